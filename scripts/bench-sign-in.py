#!/usr/bin/env python3
"""Signs the benchmark's users in, all at once as at a shift change, through
the sign-in form's own endpoint, and reports the latency of each sign-in.

Input (stdin): one user per line, "email<TAB>patient-number-prefix".
Output: a sessions file for scripts/wrk-users.lua, one line per user:
"cookie<TAB>dashboard path<TAB>results of one patient search<TAB>results of
15 exact patient-number searches (space-separated)", the results addresses
as the search form leaves them (an opaque handle each, never the words), and
on stdout one line "SIGNIN<TAB>count<TAB>p50<TAB>p95<TAB>max<TAB>errors" (ms).
"""

import argparse
import http.client
import statistics
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from bench_http import search_form, search_page


def sign_in(host, port, email, password):
    body = urllib.parse.urlencode({"email": email, "password": password, "next": ""})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "text/html",
        "Origin": f"http://{host}:{port}",
    }
    conn = http.client.HTTPConnection(host, port, timeout=30)
    started = time.perf_counter()
    conn.request("POST", "/fn/auth/sign_in", body=body, headers=headers)
    res = conn.getresponse()
    res.read()
    elapsed = (time.perf_counter() - started) * 1000
    cookie = next(
        (v.split(";", 1)[0] for k, v in res.getheaders() if k.lower() == "set-cookie"),
        None,
    )
    location = res.getheader("Location") or ""
    conn.close()
    ok = res.status in (302, 303) and cookie is not None and "/login" not in location
    return ok, elapsed, cookie, urllib.parse.urlparse(location).path


# One search per user, taken in turn: names, two names, phone digits, the
# start of a patient number (# is the clinic's prefix).
TERMS = ["smith", "pat", "grace", "oliver grant", "wil", "900321", "0321", "#-00012", "jo", "amara okafor"]
# A session keeps its last 20 searches (server::patients::searches): one
# search and 15 numbers all stay usable.
NUMBERS_PER_USER = 15


def start_search(host, port, cookie, search, term):
    """Submits the search form as a browser without JavaScript does; returns
    the results address it is sent to."""
    body = urllib.parse.urlencode(search_form(search, term))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "text/html",
        "Origin": f"http://{host}:{port}",
        "Cookie": cookie,
    }
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/fn/patients/start_search", body=body, headers=headers)
    res = conn.getresponse()
    res.read()
    conn.close()
    location = res.getheader("Location") or ""
    if res.status not in (302, 303) or "?s=" not in location:
        raise RuntimeError(f"search form answered {res.status} {location!r}")
    return location


def searches(port, n, cookie, search, prefix):
    if not search:
        return "", ""
    term = TERMS[n % len(TERMS)].replace("#", prefix)
    one = start_search("127.0.0.1", port, cookie, search, term)
    numbers = [
        start_search("127.0.0.1", port, cookie, search, f"{prefix}-{(n * NUMBERS_PER_USER + k) % 50000 + 1:07d}")
        for k in range(1, NUMBERS_PER_USER + 1)
    ]
    return one, " ".join(numbers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-searches", action="store_true", help="sign in only (a storm)")
    args = ap.parse_args()
    users = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        results = list(
            pool.map(lambda u: sign_in("127.0.0.1", args.port, u[0], args.password), users)
        )
    errors = 0
    signed_in = []
    for (email, prefix), (ok, _, cookie, landing) in zip(users, results):
        if not ok:
            errors += 1
            print(f"sign-in failed for {email}", file=sys.stderr)
            continue
        signed_in.append((cookie, landing, prefix))
    if args.no_searches:
        found = [("", "")] * len(signed_in)
    else:
        with ThreadPoolExecutor(max_workers=4) as pool:
            found = list(
                pool.map(
                    lambda nu: searches(args.port, nu[0], nu[1][0], search_page(nu[1][1]), nu[1][2]),
                    enumerate(signed_in),
                )
            )
    with open(args.out, "w") as out:
        for (cookie, landing, _), (one, numbers) in zip(signed_in, found):
            out.write(f"{cookie}\t{landing}\t{one}\t{numbers}\n")
    times = sorted(r[1] for r in results)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    print(
        f"SIGNIN\t{len(times)}\t{statistics.median(times):.1f}\t{p95:.1f}\t{times[-1]:.1f}\t{errors}"
    )


if __name__ == "__main__":
    main()
