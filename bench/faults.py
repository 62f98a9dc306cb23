"""Fault run: the load run (bench/load.py) while processes die and PostgreSQL restarts.

    python -m bench.faults [SECONDS] [RATE]        (defaults: 60 s, 50 applications/s)

During the load: kill -9 one gunicorn worker process (the master starts a new one), kill -9 one
`zsa-flow worker` (a new one is started), and restart PostgreSQL once
(`pg_ctlcluster --skip-systemctl-redirect VERSION main restart`). Clients retry failed requests
(transport errors and 5xx) with backoff, applications with the same Idempotency-Key and business
key. Afterwards the same invariants as the load run are checked; the output names what was
injected and ends with the checks, including the `lost` and `duplicated` lines.
Restarting PostgreSQL affects everything else using the local cluster for a few seconds.
"""
import os
import signal
import subprocess
import sys
import time

from bench import load


def _pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def inject(seconds):
    marks = [seconds * 0.25, seconds * 0.45, seconds * 0.65]
    injected = []

    def faults(cluster, started):
        def at(offset):
            time.sleep(max(0.0, started + offset - time.monotonic()))

        at(marks[0])
        pids = cluster.app_server_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            injected.append(f"t={time.monotonic() - started:5.1f}s kill -9 gunicorn worker pid {pids[0]}")
        at(marks[1])
        pid = cluster.kill_worker(0)
        injected.append(f"t={time.monotonic() - started:5.1f}s kill -9 zsa-flow worker pid {pid} (new one started)")
        at(marks[2])
        t0 = time.monotonic()
        result = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "restart"],
                                capture_output=True, text=True)
        injected.append(f"t={t0 - started:5.1f}s PostgreSQL restart ({time.monotonic() - t0:.1f} s, "
                        f"exit {result.returncode})")

    return faults, injected


def main(argv):
    seconds = int(argv[1]) if len(argv) > 1 else 60
    rate = float(argv[2]) if len(argv) > 2 else 50
    faults, injected = inject(seconds)
    ok, _ = load.run(seconds, rate, faults=faults, retries=8)
    print("injected:")
    for line in injected:
        print(f"  {line}")
    print(f"fault run: invariants {'hold' if ok else 'VIOLATED'}")


if __name__ == "__main__":
    main(sys.argv)
