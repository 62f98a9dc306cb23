"""A worker process for the timer race test: connect, wait at a file barrier, tick once.

Usage: python tick_process.py DB_URL READY_FILE GO_FILE — prints the number of cases moved on."""
import sys
import time
from pathlib import Path

from zsa_flow.services.platform import Platform


def main(url, ready, go):
    platform = Platform.connect(url)
    platform.processes()  # connection open and warm before the race starts
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.005)
    print(platform.tick())


if __name__ == "__main__":
    main(*sys.argv[1:4])
