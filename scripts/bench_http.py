"""What the benchmark's Python drivers share: a signed-in user's
keep-alive connection, the forms they post as a browser without JavaScript
posts them, and percentiles."""

import http.client
import itertools
import re
import threading
import time
import urllib.parse

HOST = "127.0.0.1"


class Client:
    """One signed-in user's keep-alive connection, as their browser keeps one."""

    def __init__(self, port, cookie):
        self.port = port
        self.cookie = cookie
        self.conn = None

    def request(self, method, path, form=None):
        """Sends one request; returns (status, Location, milliseconds). A
        broken connection is opened again once, as a browser would."""
        headers = {"Accept": "text/html", "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                res = self.conn.getresponse()
                res.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            return res.status, res.getheader("Location") or "", elapsed
        raise AssertionError("unreachable")


def slug_of(path):
    return path.strip("/").split("/")[1]


def search_page(dashboard):
    """Where a user searches: the front desk on its dashboard, other
    clinical staff on Patients; "" for a page with no search."""
    parts = dashboard.strip("/").split("/")
    if len(parts) != 3 or parts[0] != "c":
        return ""
    slug, page = parts[1], parts[2]
    if page == "reception":
        return f"/c/{slug}/reception"
    if page in ("doctor", "nurse", "admin"):
        return f"/c/{slug}/patients"
    return ""


def search_form(search_path, term):
    """The patient search form of a page (`/c/{slug}/{page}`)."""
    slug, page = search_path.strip("/").split("/")[1:3]
    return {"slug": slug, "from": page, "q": term}


# Letters only, as the name fields accept: a counter written in base 26.
def letters(n):
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out


class Registrations:
    """Registration forms for people no one has registered: each family
    name and phone number is new, so the duplicate check finds nothing and
    every form registers a patient."""

    def __init__(self, label):
        self.label = label.capitalize()
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    def form(self, slug):
        with self.lock:
            n = next(self.counter)
        return {
            "slug": slug,
            "patient[given_name]": "Asha",
            "patient[family_name]": f"{self.label}{letters(n)}",
            "patient[date_of_birth]": f"19{60 + n % 40}-0{1 + n % 9}-1{n % 10}",
            "patient[sex]": ("female", "male")[n % 2],
            # Not the demo data's range (+44 7700 900…).
            "patient[phone]": f"+44 7700 8{n:06d}",
            "patient[email]": "",
            "patient[address]": "",
            "patient[city]": "Leeds",
            "patient[state]": "",
            "patient[postal_code]": "",
            "patient[blood_group]": "",
            "patient[preferred_language]": "",
            "patient[emergency_contact_name]": "",
            "patient[emergency_contact_phone]": "",
            "patient[emergency_contact_relationship]": "",
            "patient[id_type]": "none",
            "patient[id_number]": "",
        }


REGISTERED = re.compile(r"/patients/[0-9a-f-]{36}\?registered=1$")
SLIP = re.compile(r"/visits/[0-9a-f-]{36}/slip$")


class CheckIns:
    """Check-in forms for patients not yet seen today: each clinic's
    patients in turn, across its departments."""

    def __init__(self, clinics):
        # slug -> (department ids, patient ids)
        self.clinics = clinics
        self.next = {slug: itertools.count() for slug in clinics}
        self.lock = threading.Lock()

    def form(self, slug):
        departments, patients = self.clinics[slug]
        with self.lock:
            n = next(self.next[slug])
        if n >= len(patients):
            raise RuntimeError(f"{slug}: no patient left to check in")
        return {
            "slug": slug,
            "patient": patients[n],
            "visit[department]": departments[n % len(departments)],
            "visit[doctor]": "",
            "visit[visit_type]": "walk_in",
            "visit[reason]": "Cough for a week",
            "visit[priority]": "urgent" if n % 10 == 0 else "normal",
        }


def read_clinics(path):
    """`slug<TAB>department ids (space-separated)<TAB>patient ids (space-separated)`."""
    clinics = {}
    with open(path) as f:
        for line in f:
            slug, departments, patients = line.rstrip("\n").split("\t")
            clinics[slug] = (departments.split(), patients.split())
    return clinics


def read_sessions(path):
    """The sessions bench-sign-in.py wrote: (cookie, dashboard path)."""
    with open(path) as f:
        return [tuple(line.rstrip("\n").split("\t")[:2]) for line in f if line.strip()]


def percentile(sorted_ms, p):
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, max(0, int(round(p / 100 * len(sorted_ms))) - 1))]
