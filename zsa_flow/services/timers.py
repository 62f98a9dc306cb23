"""Firing due timers: the use case behind `zsa-flow tick` and `worker`, and the scheduler in `serve`.

Any number of workers (and app servers) may tick one database at the same time; each timer still
fires exactly once and each case is advanced by one process at a time.

- PostgreSQL: a worker claims one due case at a time with `SELECT … FROM vorgang … FOR UPDATE
  SKIP LOCKED` and runs it in that same transaction. The case row is locked first, as a task
  completion does (its `UPDATE vorgang` comes first too), so the two cannot deadlock; a completion
  that overlaps waits and then fails its optimistic check (`Conflict`), a second worker skips the
  locked case and takes the next one. Inside the transaction the timer is checked to be still due
  (a worker that locked the row just after another one committed finds nothing due).
- SQLite: write transactions begin IMMEDIATE, so they serialize; the second worker sees the first
  one's commit, finds nothing due and writes nothing.

A worker killed at any point leaves the whole step or nothing (one transaction); the timer stays due
and the next round retries it. A step that fails with an error (not a lost race, not a database
outage) counts an attempt on the case's due timers; after MAX_ATTEMPTS the case shows an incident
(`zsa-flow retry NR` runs it again and resets the count).
"""
import logging
import os
import threading
import time

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from ..errors import Conflict
from ..storage.db import optimize
from ..storage.tables import timer, vorgang
from .cases import run_on_case
from .history import append_events
from .runs import CASE_QUERY, get_case_row, open_run, save_run

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
_FINISHED = ("completed", "cancelled")
_DUE = select(timer.c.case_id).where(timer.c.due_at <= bindparam("b_now"), timer.c.attempts < MAX_ATTEMPTS)
_DUE_CASES = (select(vorgang.c.number)
              .where(vorgang.c.id.in_(_DUE), vorgang.c.state.notin_(_FINISHED))
              .order_by(vorgang.c.id).limit(bindparam("b_limit")))
_NEXT_DUE_LOCKED = (CASE_QUERY
                    .where(vorgang.c.id.in_(_DUE), vorgang.c.state.notin_(_FINISHED),
                           vorgang.c.id.notin_(bindparam("b_skip", expanding=True)))
                    .order_by(vorgang.c.id).limit(1)
                    .with_for_update(skip_locked=True, of=vorgang))
_CASE_DUE_TIMER = select(timer.c.id).where(timer.c.case_id == bindparam("b_case"),
                                           timer.c.due_at <= bindparam("b_now")).limit(1)


def tick(platform, limit=500):
    """Fire every due timer (engine clock); return the number of cases moved on."""
    if platform.engine.dialect.name == "postgresql":
        return _tick_skip_locked(platform, limit)
    with platform.uow(readonly=True) as uow:
        numbers = uow.execute(_DUE_CASES, {"b_now": platform.clock.now(), "b_limit": limit}).scalars().all()
    moved = 0
    for number in numbers:
        try:
            if fire_timers(platform, number) is not None:
                moved += 1
        except Conflict:
            continue  # another worker moved the case on first
        except (OperationalError, DBAPIError):
            raise  # the database is away: end the round, the next one retries
        except Exception as exc:
            record_failure(platform, number, exc)
    return moved


def _tick_skip_locked(platform, limit):
    """PostgreSQL: claim due cases one by one (locked, skipped by other workers) and run each."""
    moved, passed = 0, [-1]
    for _ in range(limit):
        number = None
        try:
            with platform.uow() as uow:
                now = platform.clock.now()
                case_row = uow.execute(_NEXT_DUE_LOCKED, {"b_now": now, "b_skip": passed}).mappings().first()
                if case_row is None:
                    return moved
                number = case_row["number"]
                passed.append(case_row["id"])
                if uow.execute(_CASE_DUE_TIMER, {"b_case": case_row["id"], "b_now": now}).first() is None:
                    continue  # fired by another worker between our query and our lock
                run, definition = open_run(platform, uow, case_row)
                effects = run.fire_due_timers()
                save_run(platform, uow, case_row, definition, run, effects, "timer", platform.clock.now())
                uow.commit()
                moved += 1
        except Conflict:
            continue
        except (OperationalError, DBAPIError):
            raise
        except Exception as exc:
            if number is None:
                raise
            record_failure(platform, number, exc)
    return moved


def fire_timers(platform, number, actor="timer"):
    """Let a case's due timers fire and run on; the new case state, or None when no timer of
    the case is due any more (another worker fired it first)."""
    now = platform.clock.now()

    def still_due(uow, case_row):
        return uow.execute(_CASE_DUE_TIMER, {"b_case": case_row["id"], "b_now": now}).first() is not None

    return run_on_case(platform, number, actor, lambda run: run.fire_due_timers(), only_if=still_due)


def record_failure(platform, number, exc):
    """Count a failed attempt on the case's due timers; after MAX_ATTEMPTS put the case in incident."""
    message = one_line(exc)
    log.error("Timer von %s fehlgeschlagen: %s", number, message)
    with platform.uow() as uow:
        now = platform.clock.now()
        case_row = get_case_row(uow, number=number)
        due = (timer.c.case_id == case_row["id"]) & (timer.c.due_at <= now)
        uow.execute(update(timer).where(due).values(attempts=timer.c.attempts + 1, last_error=message))
        attempts = uow.execute(select(func.max(timer.c.attempts)).where(due)).scalar() or 0
        if attempts >= MAX_ATTEMPTS and case_row["state"] not in ("incident",) + _FINISHED:
            result = uow.execute(update(vorgang).where(vorgang.c.id == case_row["id"],
                                                       vorgang.c.lock_version == case_row["lock_version"])
                                 .values(state="incident", incident=f"Timer: {message}", updated_at=now,
                                         lock_version=case_row["lock_version"] + 1))
            if result.rowcount != 1:
                return  # moved on meanwhile: the next round sees it afresh
            append_events(uow, case_row, [{"type": "incident_raised", "data": {
                "message": f"Timer: {message}", "source": "timer", "attempts": attempts}}], "timer", now)
            platform.workflows.take(case_row["id"], case_row["lock_version"])
        uow.commit()


class TimerScheduler:
    """Ticks every `interval` seconds until stopped: in a background thread (`zsa-flow serve`,
    `start()`/`stop()`) or in the foreground (`zsa-flow worker`, `run()`). With an outbox
    configuration (services/transports.OutboxConfig) each round also delivers due messages.

    A failed round (say the database is briefly locked) is logged as one line; the next round
    simply tries again. Planner statistics are refreshed once an hour. Every round appends the
    events committed since to the audit log (services/sequencer.py; a round skips it while another
    process's sequencer runs). When a signing key is configured (ZSA_AUDIT_SIGNING_KEY_FILE) a
    signed checkpoint of the event log is stored every `checkpoint_interval` seconds
    (ZSA_AUDIT_CHECKPOINT_INTERVAL, default one hour; 0 = never)."""

    OPTIMIZE_EVERY = 3600.0

    def __init__(self, platform, interval=5.0, checkpoint_interval=None, outbox=None):
        self.platform = platform
        self.interval = interval
        self.outbox = outbox
        if checkpoint_interval is None:
            configured = os.environ.get("ZSA_AUDIT_SIGNING_KEY_FILE")
            checkpoint_interval = float(os.environ.get("ZSA_AUDIT_CHECKPOINT_INTERVAL", "3600")) if configured else 0
        self.checkpoint_interval = checkpoint_interval
        self._last_checkpoint = None
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
            self.sequence_events()
            self.checkpoint_if_due()
            self._stop.wait(self.interval)

    def sequence_events(self):
        """Append the events committed since the last round to the audit log; the number appended
        (None when another process's sequencer is at it, or after an error)."""
        from .sequencer import sequence

        return self._guarded(lambda platform: sequence(platform, wait=False), self.platform)

    def checkpoint_if_due(self):
        """Store a signed checkpoint when the interval has passed (first one at start)."""
        if not self.checkpoint_interval:
            return None
        if self._last_checkpoint is not None and time.monotonic() - self._last_checkpoint < self.checkpoint_interval:
            return None
        from .checkpoints import write_checkpoint

        self._last_checkpoint = time.monotonic()
        document = self._guarded(write_checkpoint, self.platform)
        if document:
            log.info("Prüfpunkt gespeichert: %d Ereignisse, Wurzel %s", document["tree_size"], document["root_hash"][:16])
        return document

    def run_once(self):
        """One round: fire what is due; the number of cases moved on (0 after an error)."""
        moved = self._guarded(tick, self.platform) or 0
        if moved:
            log.info("%d Vorgänge weitergeführt (Timer)", moved)
        if self.outbox is not None and self.outbox.routes:
            from .outbox import deliver_due

            sent = self._guarded(lambda platform: deliver_due(platform, self.outbox), self.platform)
            if sent:
                log.info("Postausgang: %s", ", ".join(f"{k} {v}" for k, v in sorted(sent.items())))
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
