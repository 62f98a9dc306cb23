"""Firing due timers: the use case behind `zsa-flow tick` and `worker`, and the scheduler in `serve`.

Any number of workers may tick one database at the same time; each timer still fires exactly
once. A case is run only while one of its timer rows is still due *inside* the write transaction:
on SQLite (`BEGIN IMMEDIATE`) a worker that comes second sees the first one's commit, finds
nothing due and writes nothing. Two runs that overlap on PostgreSQL (READ COMMITTED) may both
pass that check; the case row's optimistic lock then lets exactly one of them commit and the
other gets `Conflict` and rolls back, so it neither fires twice nor writes a new case version.
"""
import logging
import threading
import time

from sqlalchemy import bindparam, select

from ..errors import Conflict
from ..storage.db import optimize
from ..storage.tables import timer, vorgang
from .cases import run_on_case

log = logging.getLogger(__name__)

_DUE_CASES = (select(vorgang.c.number)
              .where(vorgang.c.id.in_(select(timer.c.case_id).where(timer.c.due_at <= bindparam("b_now"))))
              .order_by(vorgang.c.id).limit(bindparam("b_limit")))
_CASE_DUE_TIMER = select(timer.c.id).where(timer.c.case_id == bindparam("b_case"),
                                           timer.c.due_at <= bindparam("b_now")).limit(1)


def tick(platform, limit=500):
    """Fire every due timer (engine clock); return the number of cases moved on."""
    with platform.uow(readonly=True) as uow:
        numbers = uow.execute(_DUE_CASES, {"b_now": platform.clock.now(), "b_limit": limit}).scalars().all()
    moved = 0
    for number in numbers:
        try:
            if fire_timers(platform, number) is not None:
                moved += 1
        except Conflict:
            continue  # another worker moved the case on first
    return moved


def fire_timers(platform, number, actor="timer"):
    """Let a case's due timers fire and run on; the new case state, or None when no timer of
    the case is due any more (another worker fired it first)."""
    now = platform.clock.now()

    def still_due(uow, case_row):
        return uow.execute(_CASE_DUE_TIMER, {"b_case": case_row["id"], "b_now": now}).first() is not None

    return run_on_case(platform, number, actor, lambda run: run.fire_due_timers(), only_if=still_due)


class TimerScheduler:
    """Ticks every `interval` seconds until stopped: in a background thread (`zsa-flow serve`,
    `start()`/`stop()`) or in the foreground (`zsa-flow worker`, `run()`).

    A failed round (say the database is briefly locked) is logged as one line; the next round
    simply tries again. Planner statistics are refreshed once an hour."""

    OPTIMIZE_EVERY = 3600.0

    def __init__(self, platform, interval=5.0):
        self.platform = platform
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        """Run the loop in a daemon thread."""
        self._thread = threading.Thread(target=self.run, name="zsa-timers", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=10.0):
        """Ask the loop to end and wait for the round in progress (at most `timeout` seconds)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self):
        """Tick, wait, repeat until `stop()`."""
        last_optimize = None
        while not self._stop.is_set():
            self.run_once()
            if last_optimize is None or time.monotonic() - last_optimize > self.OPTIMIZE_EVERY:
                self._guarded(optimize, self.platform.engine)
                last_optimize = time.monotonic()
            self._stop.wait(self.interval)

    def run_once(self):
        """One round: fire what is due; the number of cases moved on (0 after an error)."""
        moved = self._guarded(tick, self.platform) or 0
        if moved:
            log.info("%d Vorgänge weitergeführt (Timer)", moved)
        return moved

    @staticmethod
    def _guarded(function, argument):
        try:
            return function(argument)
        except Exception as exc:  # the loop must outlive any single failure
            log.error("Timer-Durchlauf fehlgeschlagen: %s", one_line(exc))
            return None


def one_line(exc):
    """An exception as one readable line (SQLAlchemy's text spans several lines with the SQL)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
