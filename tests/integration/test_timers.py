"""Timers fire exactly once while several workers tick the same database at the same time."""
import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from zsa_flow.services import timers
from zsa_flow.services.platform import Platform
from zsa_flow.storage.db import make_engine
from zsa_flow.storage.tables import outbox, vorgang

FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "timer")
CASES = 12


@pytest.fixture
def due_cases(zsa, clock):
    """CASES cases of the dunning process (timer PT2S -> throw message -> user task), all due.

    The case runs on after its timer, so a worker that fires it a second time would not be
    stopped by "case already completed" but would write a new case version."""
    clock.set(datetime.now(timezone.utc) - timedelta(hours=1))  # due for system-clock workers too
    zsa.deploy([FIXTURE])
    numbers = [zsa.start_case("mahnung", "15003000") for _ in range(CASES)]
    clock.advance(timedelta(seconds=3))
    return numbers


def _assert_each_fired_once(zsa, numbers):
    for number in numbers:
        types = Counter(e["type"] for e in zsa.events(number))
        assert (types["timer_fired"], types["message_sent"], types["task_created"]) == (1, 1, 1), (number, types)
        assert [t["task_def"] for t in zsa.tasks(case=number)] == ["Nachfassen"]
        assert zsa.case(number)["timers"] == []
    with zsa.uow(readonly=True) as uow:
        cases = uow.execute(select(vorgang.c.id, vorgang.c.lock_version).where(vorgang.c.number.in_(numbers))).all()
        sent = dict(uow.execute(select(outbox.c.case_id, func.count())
                                .where(outbox.c.case_id.in_([c.id for c in cases])).group_by(outbox.c.case_id)).all())
    assert sent == {c.id: 1 for c in cases}  # one dunning message per case
    assert [c.lock_version for c in cases] == [2] * len(numbers)  # started, fired: no spurious version


@pytest.mark.parametrize("round_", range(3))
def test_worker_threads_fire_each_due_timer_exactly_once(zsa, db_url, clock, due_cases, round_):
    workers = [zsa] + [Platform.connect(db_url, clock=clock) for _ in range(2)]
    barrier = threading.Barrier(len(workers))
    moved = [None] * len(workers)

    def work(i):
        barrier.wait()
        moved[i] = workers[i].tick()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for other in workers[1:]:
        other.engine.dispose()
    assert sum(moved) == CASES, moved
    _assert_each_fired_once(zsa, due_cases)


def test_worker_processes_fire_each_due_timer_exactly_once(zsa, db_url, due_cases, tmp_path):
    go = tmp_path / "go"
    env = dict(os.environ, ZSA_DATABASE_URL=db_url)
    script = str(Path(__file__).resolve().parent / "tick_process.py")
    ready = [tmp_path / f"ready-{i}" for i in range(3)]
    procs = [subprocess.Popen([sys.executable, script, db_url, str(r), str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for r in ready]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.02)
    go.touch()  # all workers tick at once
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    assert sum(int(out) for out, _ in outputs) == CASES, outputs
    _assert_each_fired_once(zsa, due_cases)


def test_a_worker_that_comes_second_neither_fires_nor_writes(zsa, db_url, clock, due_cases):
    """Both workers saw the case as due; the second starts after the first one committed."""
    first, number = Platform.connect(db_url, clock=clock), due_cases[0]
    assert timers.fire_timers(first, number) == "running"
    events = zsa.events(number)
    assert timers.fire_timers(zsa, number) is None
    assert zsa.events(number) == events
    _assert_each_fired_once(zsa, [number])
    first.engine.dispose()


def test_a_failed_scheduler_round_is_one_log_line_and_the_loop_goes_on(tmp_path, caplog):
    empty = Platform(make_engine(f"sqlite:///{tmp_path / 'leer.db'}"))  # no tables: every round fails
    scheduler = timers.TimerScheduler(empty, interval=0)
    with caplog.at_level(logging.ERROR, logger="zsa_flow.services.timers"):
        assert scheduler.run_once() == 0
        assert scheduler.run_once() == 0
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and all("\n" not in m and "no such table" in m for m in errors), errors
    empty.engine.dispose()
