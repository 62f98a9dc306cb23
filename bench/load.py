"""Load run: gunicorn + PostgreSQL + two workers, portal intake alongside 50 caseworkers.

    python -m bench.load [SECONDS] [RATE]        (defaults: 60 s, 50 applications/s)

Creates the dedicated database `zsa_load` on the local PostgreSQL (`<name>_load` when ZSA_DATABASE_URL
names a PostgreSQL database; dropped afterwards), starts
`zsa-flow serve --workers 2 --no-timers` and two `zsa-flow worker`, a webhook receiver for the
outbox, then for SECONDS: the portal posts applications at RATE per second (POST /api/v1/cases,
Bearer token, `Idempotency-Key` header, business key) and 50 caseworkers (own tokens) list their
tasks, claim one and complete it, with a think time of 1 s. Every request is bounded (loopback,
30 s timeout, at most RATE × SECONDS applications). Prints throughput, p50/p95/p99 per operation,
errors by kind, and the checks afterwards: every acknowledged application exists exactly once,
every acknowledged completion is recorded once, every due timer fired once, every outbox message
was delivered, every event chain verifies, every event is in the audit log (sequenced by the
workers, the rest once more at the end) and `audit verify` is clean. Targets: ≥ 50 applications/s, p99 < 250 ms, 0 errors.
This is a benchmark, not a test: it reports, it does not fail the build.
"""
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict

from bench.load_support import KOMMUNE, PROCESS, Cluster, Receiver, bench_database, check, drop_database, \
    fresh_database, request, wait_settled

DATABASE = bench_database("load")
CASEWORKERS = 50
THINK = 1.0


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = Counter()
        self.outcomes = Counter()

    def timed(self, operation, call):
        """Run `call`; record its latency (ms) under `operation`; returns its result or None on error."""
        start = time.perf_counter()
        try:
            result = call()
        except Exception as exc:  # connection refused/reset, timeout: counted by kind
            with self.lock:
                self.errors[f"{operation}: {type(exc).__name__}"] += 1
            return None
        with self.lock:
            self.times[operation].append((time.perf_counter() - start) * 1000)
        return result

    def error(self, kind):
        with self.lock:
            self.errors[kind] += 1


def with_retries(stats, operation, call, until, retries):
    """Call until the answer is final (not a transport error or 5xx), at most `retries` more times."""
    for attempt in range(retries + 1):
        result = stats.timed(operation, call)
        if result is not None and result[0] < 500:
            return result
        if result is not None:
            stats.error(f"{operation}: HTTP {result[0]}")
        if attempt < retries and time.monotonic() < until:
            time.sleep(min(0.2 * 2 ** attempt, 3.0))
    return None


def intake(port, token, rate, seconds, stats, accepted, retries, stop):
    """Applications at a steady rate from a small pool of sender threads."""
    interval, start = 1.0 / rate, time.monotonic()
    slots = iter(range(int(rate * seconds)))
    slot_lock = threading.Lock()

    def sender():
        while not stop.is_set():
            with slot_lock:
                slot = next(slots, None)
            if slot is None:
                return
            delay = start + slot * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            key = f"LAST-{uuid.uuid4()}"
            body = {"process": PROCESS, "kommune": KOMMUNE, "business_key": key}  # no start form: no data
            result = with_retries(stats, "intake", lambda: request(
                port, "POST", "/api/v1/cases", body, token, {"Idempotency-Key": key}), start + seconds + 60, retries)
            if result is None:
                stats.error("intake: given up")
            elif result[0] in (200, 201):
                with stats.lock:
                    accepted.append(key)
            else:
                stats.error(f"intake: HTTP {result[0]}")

    threads = [threading.Thread(target=sender) for _ in range(32)]
    for t in threads:
        t.start()
    return threads


def caseworker(port, user, token, until, stats, completed, retries, stop):
    rnd = random.Random(user)
    while time.monotonic() < until and not stop.is_set():
        time.sleep(rnd.uniform(0.5 * THINK, 1.5 * THINK))
        listed = with_retries(stats, "list", lambda: request(port, "GET", "/api/v1/tasks?limit=200", None, token),
                              until, retries)
        if listed is None or listed[0] != 200:
            continue
        free = [t for t in listed[1] if t["assignee"] is None]
        if not free:
            continue
        task = rnd.choice(free)["id"]
        claimed = with_retries(stats, "claim", lambda: request(port, "POST", f"/api/v1/tasks/{task}/claim", {}, token),
                               until, retries)
        if claimed is None:
            continue
        if claimed[0] == 409:
            stats.outcomes["claim lost to a colleague (409)"] += 1
            continue
        if claimed[0] != 200:
            stats.error(f"claim: HTTP {claimed[0]}")
            continue
        done = with_retries(stats, "complete", lambda: request(
            port, "POST", f"/api/v1/tasks/{task}/complete", {"data": {}}, token), until + 60, retries)
        if done is not None and done[0] == 200:
            with stats.lock:
                completed[task] = user
        elif done is not None and done[0] == 409 and retries:
            stats.outcomes["complete answered 409 after a retry (first attempt had committed)"] += 1
            with stats.lock:
                completed[task] = user
        else:
            stats.error(f"complete: {'given up' if done is None else 'HTTP %d' % done[0]}")


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(seconds=60, rate=50, faults=None, retries=0):
    """One bounded run; `faults(cluster, started)` runs in a thread alongside (bench.faults)."""
    with tempfile.TemporaryDirectory() as workdir:
        url, tokens = fresh_database(DATABASE)
        receiver = Receiver()
        cluster = Cluster(url, workdir, receiver.url)
        stats, accepted, completed, stop = Stats(), [], {}, threading.Event()
        try:
            cluster.start()
            print(f"gunicorn :{cluster.port} (2 processes), 2 workers, PostgreSQL database {DATABASE}; "
                  f"{seconds} s, {rate} applications/s, {CASEWORKERS} caseworkers")
            started = time.monotonic()
            until = started + seconds
            senders = intake(cluster.port, tokens["portal"], rate, seconds, stats, accepted, retries, stop)
            threads = []
            for i in range(CASEWORKERS):
                user = f"sb{i:02d}"
                threads.append(threading.Thread(target=caseworker, args=(cluster.port, user, tokens[user], until,
                                                                           stats, completed, retries, stop)))
                threads[-1].start()
            injector = None
            if faults is not None:
                injector = threading.Thread(target=faults, args=(cluster, started))
                injector.start()
            for t in senders:
                t.join(timeout=seconds + 180)
            intake_elapsed = time.monotonic() - started
            for t in threads:
                t.join(timeout=seconds + 180)
            if injector is not None:
                injector.join()
            stop.set()
            settled = wait_settled(url, 90)
            report(stats, accepted, completed, intake_elapsed, seconds)
            print(f"settled (no due timer, outbox delivered): {'yes' if settled else 'NO'}")
            results = check(url, accepted, completed, receiver)
        finally:
            stop.set()
            cluster.stop()
            receiver.stop()
            drop_database(DATABASE)
    ok = True
    for name, value, good in results:
        ok &= good
        print(f"{name} {value}{'' if good else '   <-- FAILED'}")
    print("invariants " + ("hold" if ok else "VIOLATED"))
    return ok, stats


def report(stats, accepted, completed, elapsed, seconds):
    print(f"applications accepted {len(accepted)} in {elapsed:.1f} s: {len(accepted) / elapsed:.1f}/s "
          f"(planned: {seconds} s at the given rate)")
    print(f"tasks completed {len(completed)} in {seconds} s: {len(completed) / seconds:.1f}/s")
    print(f"{'operation':10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    worst = 0.0
    for operation in ("intake", "list", "claim", "complete"):
        times = stats.times.get(operation, [])
        worst = max(worst, pct(times, 99) if times else 0)
        print(f"{operation:10} {len(times):6} {pct(times, 50):8.1f} {pct(times, 95):8.1f} {pct(times, 99):8.1f} "
              f"{max(times) if times else float('nan'):8.1f}")
    for kind, n in sorted(stats.outcomes.items()):
        print(f"  {kind}: {n}")
    given_up = sum(n for k, n in stats.errors.items() if "given up" in k or ": HTTP 4" in k)
    print(f"errors {sum(stats.errors.values())} (failed attempts; with retries on, {given_up} of them final)"
          + "".join(f"\n  {k}: {n}" for k, n in sorted(stats.errors.items())))
    print(f"worst p99 {worst:.1f} ms (target < 250 ms); throughput {len(accepted) / elapsed:.1f} applications/s "
          f"(target >= 50)")
    if stats.times.get("intake"):
        print(f"intake median {statistics.median(stats.times['intake']):.1f} ms")


def main(argv):
    seconds = int(argv[1]) if len(argv) > 1 else 60
    rate = float(argv[2]) if len(argv) > 2 else 50
    run(seconds, rate)


if __name__ == "__main__":
    main(sys.argv)
