#!/usr/bin/env python3
"""Open event streams: every signed-in session opens its clinic's stream
(`/live/{slug}`), as each open page does; then, round after round, one
patient is checked in at each clinic through the check-in form, and each
stream's delay from that form being sent to the change being heard is
measured.

The delay is the whole path a person waits on: the check-in, its commit,
PostgreSQL's NOTIFY, the server's one listener, and the fan-out to every
stream. This process reads all the streams on one core, so the later
streams' delays include the reading of the earlier ones: the figures are
an upper bound.

Output: "LIVE<TAB>streams<TAB>deliveries<TAB>p50<TAB>p95<TAB>max<TAB>missed
<TAB>server RSS with the streams open (MiB)<TAB>stream failures".
"""

import argparse
import asyncio
import sys
import time

from bench_http import HOST, SLIP, CheckIns, Client, percentile, read_clinics, read_sessions, slug_of

WAIT = 5.0  # seconds a stream may take before its change counts as missed


class Stream(asyncio.Protocol):
    """One open page's stream: notes when it first hears a change after
    `since` was set."""

    def __init__(self, opened):
        self.opened = opened
        self.buffer = b""
        self.headers_done = False
        self.since = None
        self.heard = None
        self.waiter = None

    def data_received(self, data):
        now = time.perf_counter()
        if not self.headers_done:
            self.buffer += data
            if b"\r\n\r\n" not in self.buffer:
                return
            head, _, data = self.buffer.partition(b"\r\n\r\n")
            self.headers_done = True
            ok = head.startswith(b"HTTP/1.1 200")
            if not self.opened.done():
                self.opened.set_result(ok)
        if self.since is not None and self.heard is None and b"data:" in data:
            self.heard = now
            if self.waiter and not self.waiter.done():
                self.waiter.set_result(None)

    def connection_lost(self, exc):
        if not self.opened.done():
            self.opened.set_result(False)
        if self.waiter and not self.waiter.done():
            self.waiter.set_result(None)

    def listen(self, since):
        self.since, self.heard = since, None
        self.waiter = asyncio.get_running_loop().create_future()


async def open_stream(port, cookie, slug):
    loop = asyncio.get_running_loop()
    opened = loop.create_future()
    transport, stream = await loop.create_connection(lambda: Stream(opened), HOST, port)
    transport.write(
        (
            f"GET /live/{slug} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    return transport, stream, await asyncio.wait_for(opened, 30)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--server-pid", type=int, required=True)
    ap.add_argument("--sessions", required=True, nargs="+")
    ap.add_argument("--clinics", required=True)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    sessions = [s for path in args.sessions for s in read_sessions(path)]
    # From the end of each clinic's list: the front desk run took the start.
    check_ins = CheckIns({slug: (d, p[::-1]) for slug, (d, p) in read_clinics(args.clinics).items()})

    opened = await asyncio.gather(
        *(open_stream(args.port, cookie, slug_of(dashboard)) for cookie, dashboard in sessions),
        return_exceptions=True,
    )
    streams = {}  # slug -> [Stream]
    failures = 0
    for (cookie, dashboard), result in zip(sessions, opened):
        if isinstance(result, BaseException) or not result[2]:
            failures += 1
            continue
        streams.setdefault(slug_of(dashboard), []).append(result[1])
    # Let the server settle with every stream open before reading its memory.
    await asyncio.sleep(1)
    rss = rss_mib(args.server_pid)

    # Each clinic's check-ins by one of its receptionists.
    desks = {}
    for cookie, dashboard in sessions:
        if dashboard.endswith("/reception"):
            desks.setdefault(slug_of(dashboard), Client(args.port, cookie))
    loop = asyncio.get_running_loop()
    delays, missed = [], 0
    for _ in range(args.rounds):
        sent = {}
        for slug in streams:
            since = time.perf_counter()
            for s in streams[slug]:
                s.listen(since)
            sent[slug] = since
        posts = [
            loop.run_in_executor(None, desks[slug].request, "POST", "/fn/visits/check_in_patient", check_ins.form(slug))
            for slug in streams
        ]
        for status, location, _ in await asyncio.gather(*posts):
            if status not in (302, 303) or not SLIP.search(location):
                print(f"check-in answered {status} {location!r}", file=sys.stderr)
        every = [s for group in streams.values() for s in group]
        await asyncio.wait([s.waiter for s in every], timeout=WAIT)
        for s in every:
            if s.heard is None:
                missed += 1
            else:
                delays.append((s.heard - s.since) * 1000)
        # Anything else the check-in set off is heard before the next round.
        await asyncio.sleep(0.3)
    delays.sort()
    print(
        f"LIVE\t{sum(len(g) for g in streams.values())}\t{len(delays)}\t{percentile(delays, 50):.1f}"
        f"\t{percentile(delays, 95):.1f}\t{delays[-1] if delays else float('nan'):.1f}\t{missed}\t{rss:.1f}\t{failures}"
    )


if __name__ == "__main__":
    asyncio.run(main())
