"""Timers with several workers: a case held by one worker is skipped by the others (PostgreSQL),
a worker that dies mid-step leaves nothing behind, and a step that keeps failing raises an incident."""
import os
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from zsa_flow.engine.runner import CaseRun
from zsa_flow.services import timers
from zsa_flow.services.platform import Platform
from zsa_flow.storage.tables import timer, vorgang

USE_PG = os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres")

FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "timer")


@pytest.fixture
def due(zsa, clock):
    clock.set(datetime.now(timezone.utc) - timedelta(hours=1))
    zsa.deploy([FIXTURE])
    numbers = [zsa.start_case("mahnung", "15003000") for _ in range(3)]
    clock.advance(timedelta(seconds=3))
    return numbers


def _fired(zsa, number):
    return Counter(e["type"] for e in zsa.events(number))["timer_fired"]


@pytest.mark.skipif(not USE_PG, reason="SKIP LOCKED: PostgreSQL")
def test_a_case_locked_by_another_worker_is_skipped_and_fired_once_after_it_died(zsa, db_url, clock, due):
    other = Platform.connect(db_url, clock=clock)
    held = other.engine.connect()  # another worker, mid-step on the first case: holds its row lock
    tx = held.begin()
    held.execute(text("SELECT id FROM vorgang WHERE number = :n FOR UPDATE"), {"n": due[0]})
    assert zsa.tick() == 2  # the other two cases; the held one is skipped, not waited for
    assert [_fired(zsa, n) for n in due] == [0, 1, 1]
    tx.rollback()  # the other worker dies before committing: its step is gone as a whole
    held.close()
    assert zsa.tick() == 1
    assert zsa.tick() == 0
    assert [_fired(zsa, n) for n in due] == [1, 1, 1]
    other.engine.dispose()


def test_a_step_that_keeps_failing_raises_an_incident_and_retry_runs_it_again(zsa, clock, due, monkeypatch):
    original = CaseRun.fire_due_timers

    def broken(self):
        raise RuntimeError("Register nicht erreichbar")

    monkeypatch.setattr(CaseRun, "fire_due_timers", broken)
    for attempt in range(1, timers.MAX_ATTEMPTS + 1):
        assert zsa.tick() == 0
        with zsa.uow(readonly=True) as uow:
            counts = uow.execute(select(timer.c.attempts)).scalars().all()
        assert counts == [attempt] * 3
    case = zsa.case(due[0])
    assert case["state"] == "incident" and "Register nicht erreichbar" in case["incident"]
    assert [e["type"] for e in zsa.events(due[0])][-1] == "incident_raised"
    assert zsa.tick() == 0  # no more attempts after the incident

    monkeypatch.setattr(CaseRun, "fire_due_timers", original)
    assert zsa.retry(due[0]) == "running"
    assert _fired(zsa, due[0]) == 1 and zsa.case(due[0])["timers"] == []
    with zsa.uow(readonly=True) as uow:
        states = uow.execute(select(vorgang.c.state).order_by(vorgang.c.id)).scalars().all()
    assert states == ["running", "incident", "incident"]
