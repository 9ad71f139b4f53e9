#!/usr/bin/env python3
"""The front desk at a working pace: every signed-in staff member does what
their role does at about one request a second (a pause of 0.5–1.5 s after
each answer), and each kind of request's latency is reported on its own.

- receptionists: the front desk's queue page, a search by name, a check-in,
  a registration;
- doctors: their dashboard with "Today's queue", a search by name;
- nurses: their dashboard (waiting for vitals), a search by name;
- lab technicians: their dashboard.

Pages are read and forms posted as a browser without JavaScript does: a
page is one GET; a form is a POST answered by a redirect, which must lead
where success leads (the new record, the token slip) or it counts as an
error. A search by name is the results page of a search the user started
before the run (the search runs on every load).

Before the run, --queue N checks N patients in at each clinic (unmeasured),
so the queues are a busy morning's.

Output: one line per kind, "OP<TAB>kind<TAB>count<TAB>p50<TAB>p95<TAB>p99<TAB>errors" (ms).
"""

import argparse
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench_http import (
    REGISTERED,
    SLIP,
    CheckIns,
    Client,
    Registrations,
    percentile,
    read_clinics,
    read_sessions,
    search_form,
    search_page,
    slug_of,
)

NAMES = ["smith", "grace", "oliver grant", "amara okafor", "wil", "patel", "jones"]

# What each role does, and how often (weights).
WORK = {
    "reception": [("desk_queue", 4), ("search_by_name", 3), ("check_in", 2), ("registration", 1)],
    "doctor": [("doctor_queue", 4), ("search_by_name", 1)],
    "nurse": [("nurse_queue", 3), ("search_by_name", 1)],
    "lab": [("lab_dashboard", 1)],
}


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.ms = {}
        self.errors = {}
        self.shown = 0

    def add(self, kind, ms, ok, what):
        with self.lock:
            self.ms.setdefault(kind, []).append(ms)
            self.errors.setdefault(kind, 0)
            if not ok:
                self.errors[kind] += 1
                if self.shown < 5:
                    self.shown += 1
                    print(f"{kind}: {what}", file=sys.stderr)


def search_results(client, dashboard, n):
    """Starts a search by name from the user's page; returns the results page."""
    form = search_form(search_page(dashboard), NAMES[n % len(NAMES)])
    status, location, _ = client.request("POST", "/fn/patients/start_search", form)
    if status not in (302, 303) or "?s=" not in location:
        raise RuntimeError(f"search form answered {status} {location!r}")
    return location


def act(kind, client, user, registrations, check_ins):
    """Does one thing; returns (ms, ok, what happened)."""
    cookie, dashboard, results = user
    slug = slug_of(dashboard)
    if kind == "registration":
        status, location, ms = client.request("POST", "/fn/patients/register_patient", registrations.form(slug))
        return ms, status in (302, 303) and REGISTERED.search(location), f"{status} {location}"
    if kind == "check_in":
        status, location, ms = client.request("POST", "/fn/visits/check_in_patient", check_ins.form(slug))
        return ms, status in (302, 303) and SLIP.search(location), f"{status} {location}"
    path = results if kind == "search_by_name" else dashboard
    status, location, ms = client.request("GET", path)
    return ms, status == 200, f"{status} {location}"


def work(port, user, role, seconds, registrations, check_ins, results):
    client = Client(port, user[0])
    kinds = [k for k, w in WORK[role] for _ in range(w)]
    rng = random.Random()
    # Not all at once: people do not start in step.
    time.sleep(rng.uniform(0, 1))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        try:
            ms, ok, what = act(kind, client, user, registrations, check_ins)
        except Exception as e:  # noqa: BLE001 — a failed request is an error to count
            ms, ok, what = 0.0, False, repr(e)
        results.add(kind, ms, ok, what)
        time.sleep(rng.uniform(0.5, 1.5))


def role_of(dashboard):
    page = dashboard.rstrip("/").rsplit("/", 1)[-1]
    return page if page in WORK else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--sessions", required=True)
    ap.add_argument("--clinics", required=True)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--queue", type=int, default=0, help="check-ins per clinic before the run")
    args = ap.parse_args()
    sessions = read_sessions(args.sessions)
    check_ins = CheckIns(read_clinics(args.clinics))
    registrations = Registrations("Paced")

    # A morning's queue, checked in by each clinic's first receptionist.
    desks = {}
    for cookie, dashboard in sessions:
        if role_of(dashboard) == "reception":
            desks.setdefault(slug_of(dashboard), cookie)
    with ThreadPoolExecutor(max_workers=4) as pool:
        def check_in(slug):
            status, location, _ = Client(args.port, desks[slug]).request(
                "POST", "/fn/visits/check_in_patient", check_ins.form(slug))
            if status not in (302, 303) or not SLIP.search(location):
                raise RuntimeError(f"check-in before the run answered {status} {location!r}")
        list(pool.map(check_in, [s for s in desks for _ in range(args.queue)]))

    users = []
    for n, (cookie, dashboard) in enumerate(sessions):
        role = role_of(dashboard)
        if role is None:
            raise RuntimeError(f"no work for the page {dashboard}")
        results_page = ""
        if any(k == "search_by_name" for k, _ in WORK[role]):
            results_page = search_results(Client(args.port, cookie), dashboard, n)
        users.append(((cookie, dashboard, results_page), role))

    results = Results()
    threads = [
        threading.Thread(target=work, args=(args.port, u, role, args.seconds, registrations, check_ins, results))
        for u, role in users
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for kind in sorted(results.ms):
        ms = sorted(results.ms[kind])
        print(
            f"OP\t{kind}\t{len(ms)}\t{percentile(ms, 50):.2f}\t{percentile(ms, 95):.2f}"
            f"\t{percentile(ms, 99):.2f}\t{results.errors[kind]}"
        )


if __name__ == "__main__":
    main()
