#!/usr/bin/env python3
"""Gets an API token pair for each of the benchmark's users (those who read
patients: not the lab), through POST /api/v1/auth/token, a few at a time.

Input (stdin): one user per line, "email<TAB>anything".
Output (stdout): one line per token, "access token<TAB>clinic slug".
Exits non-zero when a sign-in fails.
"""

import argparse
import http.client
import json
import sys
from concurrent.futures import ThreadPoolExecutor


def token(port, email, password):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"email": email, "password": password})
    conn.request("POST", "/api/v1/auth/token", body=body, headers={"Content-Type": "application/json"})
    res = conn.getresponse()
    text = res.read()
    if res.status != 200:
        sys.exit(f"token for {email}: {res.status} {text[:200]!r}")
    access = json.loads(text)["access_token"]
    conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {access}"})
    me = json.loads(conn.getresponse().read())["data"]
    return access, me["clinics"][0]["slug"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--password", required=True)
    args = p.parse_args()
    emails = [line.split("\t")[0] for line in sys.stdin.read().splitlines() if line.strip()]
    emails = [e for e in emails if "lab_technician" not in e]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for access, slug in pool.map(lambda e: token(args.port, e, args.password), emails):
            print(f"{access}\t{slug}")


if __name__ == "__main__":
    main()
