#!/usr/bin/env python3
"""The README's API walk-through, as a client written outside HMS's own code
would make it (httpx): get a token, see who it is, search patients, open
one, register one with an idempotency key (and send it again), check them
in (twice, with one key), book them an appointment from the free times
(twice, with one key; the same time again is 409) and cancel it, change their record with If-Match (and find a
stale one refused), refresh (and find the used refresh token refused),
sign out. Then the device flow (RFC 8628) for accounts that sign in only
through single sign-on: a kiosk asks for codes and polls while its person
allows it at /device, here through the web app's plain HTML forms (as a
browser without JavaScript posts them).

Usage: walkthrough.py BASE_URL EMAIL PASSWORD. Exits non-zero, saying
which step, when an answer is not what the README promises.
"""

import datetime
import sys
import time
import uuid

import httpx


def expect(cond, what):
    if not cond:
        sys.exit(f"walkthrough: {what}")


def error_shape(res, status):
    expect(res.status_code == status, f"{res.request.url} answered {res.status_code}, not {status}: {res.text}")
    body = res.json()
    for key in ("status", "message", "errors", "request_id", "timestamp"):
        expect(key in body, f"error body without {key}: {body}")
    expect(body["request_id"] == res.headers.get("x-request-id"), "request_id differs from the header")


def main():
    base, email, password = sys.argv[1:4]
    with httpx.Client(base_url=base, timeout=10) as api:
        res = api.post("/api/v1/auth/token", json={"email": email, "password": password})
        expect(res.status_code == 200, f"token: {res.status_code} {res.text}")
        expect(res.headers.get("cache-control") == "no-store", "token answer may be cached")
        pair = res.json()
        expect(pair["token_type"] == "Bearer" and pair["expires_in"] == 900, f"token pair: {pair}")
        auth = {"authorization": f"Bearer {pair['access_token']}"}

        me = api.get("/api/v1/me", headers=auth).json()["data"]
        expect(me["email"] == email, f"me: {me}")
        slug = me["clinics"][0]["slug"]

        found = api.get(f"/api/v1/clinics/{slug}/patients", params={"per_page": 5}, headers=auth)
        expect(found.status_code == 200, f"search: {found.status_code} {found.text}")
        page = found.json()
        expect(len(page["data"]) <= 5 and page["meta"]["per_page"] == 5, f"search page: {page['meta']}")
        expect(page["data"], "the demo clinic has patients")
        first = page["data"][0]

        record = api.get(f"/api/v1/clinics/{slug}/patients/{first['id']}", headers=auth)
        expect(record.status_code == 200, f"record: {record.status_code}")
        expect(record.json()["data"]["patient_number"] == first["patient_number"], "record number")

        by_number = api.get(f"/api/v1/clinics/{slug}/patients", params={"q": first["patient_number"]}, headers=auth)
        expect([p["id"] for p in by_number.json()["data"]] == [first["id"]], "search by number")

        error_shape(api.get(f"/api/v1/clinics/{slug}/patients", params={"per_page": 1000}, headers=auth), 422)

        # Register, then the same request again: one patient.
        key = {"idempotency-key": f"walkthrough-{uuid.uuid4()}"}
        new_patient = {
            "given_name": "Walk",
            # Letters only, as names are; unique so no earlier run's patient is a duplicate.
            "family_name": "Through" + "".join(chr(97 + int(c, 16)) for c in uuid.uuid4().hex[:8]),
            "date_of_birth": "1990-04-12", "sex": "female",
            "phone": f"+91 9{uuid.uuid4().int % 10**9:09d}",
        }
        made = api.post(f"/api/v1/clinics/{slug}/patients", json=new_patient, headers=auth | key)
        expect(made.status_code == 201, f"register: {made.status_code} {made.text}")
        patient = made.json()["data"]
        again = api.post(f"/api/v1/clinics/{slug}/patients", json=new_patient, headers=auth | key)
        expect(again.status_code == 201 and again.headers.get("idempotent-replayed") == "true",
               f"replayed registration: {again.status_code} {again.headers}")
        expect(again.json()["data"]["id"] == patient["id"], "the replay names the same patient")
        error_shape(api.post(f"/api/v1/clinics/{slug}/patients", json=new_patient | {"given_name": "Other"},
                             headers=auth | key), 422)

        # Check them in, twice with one key: one visit, one token.
        departments = api.get(f"/api/v1/clinics/{slug}/departments", headers=auth).json()["data"]
        visit = {"patient": patient["id"], "department": departments[0]["id"], "reason": "Fever"}
        key = {"idempotency-key": f"walkthrough-{uuid.uuid4()}"}
        slip = api.post(f"/api/v1/clinics/{slug}/visits", json=visit, headers=auth | key)
        expect(slip.status_code == 201, f"check-in: {slip.status_code} {slip.text}")
        again = api.post(f"/api/v1/clinics/{slug}/visits", json=visit, headers=auth | key)
        expect(again.json()["data"]["token"] == slip.json()["data"]["token"], "the replay is the same visit")
        queue = api.get(f"/api/v1/clinics/{slug}/visits", params={"showing": "all", "per_page": 100},
                        headers=auth).json()
        expect(any(v["visit_id"] == slip.json()["data"]["visit_id"] for v in queue["data"]), "queued")

        # Book them an appointment: a free time in the coming week, sent
        # twice with one key (one appointment); the same time again is 409.
        day = datetime.date.today()
        slots = []
        for _ in range(8):
            day += datetime.timedelta(days=1)
            res = api.get(f"/api/v1/clinics/{slug}/slots", headers=auth,
                          params={"department": departments[0]["id"], "day": day.isoformat()})
            expect(res.status_code == 200, f"slots: {res.status_code} {res.text}")
            slots = res.json()["data"]
            if slots:
                break
        expect(slots, "a department with free times in the coming week")
        booking = {"patient": patient["id"], "department": departments[0]["id"],
                   "starts_at": slots[-1]["starts"]["utc"], "reason": "Review"}
        key = {"idempotency-key": f"walkthrough-{uuid.uuid4()}"}
        booked = api.post(f"/api/v1/clinics/{slug}/appointments", json=booking, headers=auth | key)
        expect(booked.status_code == 201, f"booking: {booked.status_code} {booked.text}")
        appointment = booked.json()["data"]
        expect(appointment["status"] == "booked", f"booked: {appointment}")
        again = api.post(f"/api/v1/clinics/{slug}/appointments", json=booking, headers=auth | key)
        expect(again.headers.get("idempotent-replayed") == "true" and again.json()["data"]["id"] == appointment["id"],
               "the replayed booking is the same appointment")
        taken = booking | {"doctor": appointment["doctor_user_id"]}
        error_shape(api.post(f"/api/v1/clinics/{slug}/appointments", json=taken, headers=auth), 409)
        cancelled = api.post(f"/api/v1/clinics/{slug}/appointments/{appointment['id']}/cancel",
                             json={"reason": "Walk-through"}, headers=auth)
        expect(cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "cancelled",
               f"cancel: {cancelled.status_code} {cancelled.text}")

        # Change the record with its ETag; the old ETag is then refused.
        etag = made.headers["etag"]
        changed = api.patch(f"/api/v1/clinics/{slug}/patients/{patient['id']}", json={"city": "Mysuru"},
                            headers=auth | {"if-match": etag})
        expect(changed.status_code == 200 and changed.json()["data"]["city"] == "Mysuru",
               f"change: {changed.status_code} {changed.text}")
        expect(changed.headers["etag"] != etag, "a change makes a new ETag")
        error_shape(api.patch(f"/api/v1/clinics/{slug}/patients/{patient['id']}", json={"city": "Hubballi"},
                              headers=auth | {"if-match": etag}), 412)
        error_shape(api.get("/api/v1/me"), 401)

        refreshed = api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        expect(refreshed.status_code == 200, f"refresh: {refreshed.status_code} {refreshed.text}")
        new = refreshed.json()
        auth = {"authorization": f"Bearer {new['access_token']}"}
        expect(api.get("/api/v1/me", headers=auth).status_code == 200, "the refreshed token works")

        revoked = api.post("/api/v1/auth/revoke", headers=auth)
        expect(revoked.status_code == 204, f"revoke: {revoked.status_code}")
        error_shape(api.get("/api/v1/me", headers=auth), 401)
        error_shape(api.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]}), 401)
        device_flow(api, base, email, password)
    print("walkthrough: every step answered as the README says")


def device_flow(api, base, email, password):
    started = api.post("/api/v1/auth/device", json={"client_name": "Walkthrough kiosk"})
    expect(started.status_code == 200, f"device: {started.status_code} {started.text}")
    codes = started.json()
    expect(codes["verification_uri"] == f"{base}/device", f"device page: {codes['verification_uri']}")
    poll = {"device_code": codes["device_code"]}
    pending = api.post("/api/v1/auth/device/token", json=poll)
    expect(pending.status_code == 202 and pending.json()["status"] == "authorization_pending",
           f"first poll: {pending.status_code} {pending.text}")

    # The person, in a browser where they sign in, types the code and allows
    # the device. Posted as a browser posts a form: from the site's own page
    # (the origin check) and asking for HTML (so the answer is a redirect).
    form_headers = {"origin": base, "accept": "text/html", "referer": f"{base}/device"}
    with httpx.Client(base_url=base, timeout=10, headers=form_headers) as browser:
        signed_in = browser.post("/fn/auth/sign_in", data={"email": email, "password": password})
        expect(signed_in.status_code in (302, 303), f"sign-in form: {signed_in.status_code} {signed_in.text}")
        page = browser.get("/device", params={"code": codes["user_code"]})
        expect(page.status_code == 200 and "Walkthrough kiosk" in page.text, f"device page: {page.status_code}")
        allowed = browser.post("/fn/device/answer_device", data={"code": codes["user_code"], "decision": "allow"})
        expect(allowed.status_code in (302, 303) and allowed.headers["location"].endswith("/device?done=allow"),
               f"allow: {allowed.status_code} {allowed.headers}")

    # Polling sooner than `interval` is refused (slow_down): wait it out.
    time.sleep(codes["interval"])
    tokens = api.post("/api/v1/auth/device/token", json=poll)
    expect(tokens.status_code == 200, f"device tokens: {tokens.status_code} {tokens.text}")
    auth = {"authorization": f"Bearer {tokens.json()['access_token']}"}
    me = api.get("/api/v1/me", headers=auth)
    expect(me.status_code == 200 and me.json()["data"]["email"] == email, f"device's me: {me.text}")
    error_shape(api.post("/api/v1/auth/device/token", json=poll), 401)
    expect(api.post("/api/v1/auth/revoke", headers=auth).status_code == 204, "device sign-out")


if __name__ == "__main__":
    main()
