"""Statements (and, on PostgreSQL, round trips) of the hot paths: starting a case, claiming a task,
completing it. Upper bounds, so a change that adds a look-up of something the transaction already
holds shows up here instead of in the load run. Runs on SQLite and, with ZSA_DATABASE_URL, on
PostgreSQL."""
from pathlib import Path

import pytest
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[2]
THREE = ROOT / "bench" / "models" / "drei_aufgaben.bpmn"

# statements sent per operation, without BEGIN (SQLite sends it, PostgreSQL's driver does implicitly)
MAX_STATEMENTS = {"start": 8, "claim": 4, "complete": 7}  # no advisory lock for event appends any more
# PostgreSQL: BEGIN, the reads, one pipeline for all writes, COMMIT
MAX_ROUND_TRIPS = {"start": 5, "claim": 4, "complete": 4}


class Counter:
    """Statements sent on the platform's engine; on PostgreSQL also the round trips they took
    (statements inside one pipeline share one)."""

    def __init__(self, engine):
        self.statements, self.round_trips, self._pipeline = [], 0, None
        event.listen(engine, "before_cursor_execute", self._on_statement)
        event.listen(engine, "commit", self._on_commit)

    def _on_statement(self, conn, cursor, statement, params, context, executemany):
        if statement.strip().upper().startswith("BEGIN"):
            return
        self.statements.append(" ".join(statement.split()[:4]))
        if conn.dialect.name != "postgresql":
            return
        driver = conn.connection.driver_connection
        pipeline = getattr(driver, "_pipeline", None)
        if driver.info.transaction_status == 0 and not conn.get_execution_options().get("zsa_readonly"):
            self.round_trips += 1  # the implicit BEGIN before the transaction's first statement
        if pipeline is None:
            self.round_trips += 1
        elif pipeline is not self._pipeline:
            self._pipeline = pipeline
            self.round_trips += 1

    def _on_commit(self, conn):
        self.round_trips += 1

    def take(self):
        counted = (list(self.statements), self.round_trips)
        self.statements.clear()
        self.round_trips, self._pipeline = 0, None
        return counted


@pytest.fixture
def counted(zsa):
    zsa.deploy([str(THREE)])
    zsa.start_case("bench_drei_aufgaben", "15003000", {"betrag": 1})  # caches warm, counters exist
    return zsa, Counter(zsa.engine)


def test_start_claim_and_complete_stay_within_their_statements(counted):
    zsa, counter = counted
    number = zsa.start_case("bench_drei_aufgaben", "15003000", {"betrag": 100})
    measured = {"start": counter.take()}
    task = zsa.tasks(case=number)[0]
    counter.take()
    zsa.claim(task["id"], "anna")
    measured["claim"] = counter.take()
    zsa.complete(task["id"], {"betrag": 100}, "anna")  # the next task opens
    measured["complete"] = counter.take()
    postgres = zsa.engine.dialect.name == "postgresql"
    for operation, (statements, round_trips) in measured.items():
        assert len(statements) <= MAX_STATEMENTS[operation], (operation, statements)
        if postgres:
            assert round_trips <= MAX_ROUND_TRIPS[operation], (operation, round_trips, statements)
    # nothing the transaction already holds is read again
    completing = measured["complete"][0]
    assert sum(s.startswith("SELECT") for s in completing) == 1, completing
    assert not any("case_key" in s for s in completing if s.startswith("SELECT")), completing
    # and the record is complete: the case's history chain verifies with every step in it
    events = [e["type"] for e in zsa.events(number)]
    assert events.count("task_claimed") == 1 and events.count("task_completed") == 1
    report = zsa.verify(case=number)
    assert report.clean and report.events == len(events), report.findings


def test_a_lost_race_still_answers_conflict_after_the_batched_writes(counted):
    """The version check of a batched save is read after the batch: a stale save is refused."""
    from zsa_flow.errors import Conflict
    from zsa_flow.services.runs import get_case_row, open_run, save_run

    zsa, _ = counted
    number = zsa.start_case("bench_drei_aufgaben", "15003000", {"betrag": 7})
    task = zsa.tasks(case=number)[0]
    with zsa.uow(readonly=True) as uow:  # a second server read the case and its workflow ...
        stale = dict(get_case_row(uow, number=number))
        run, definition = open_run(zsa, uow, stale)
    zsa.complete(task["id"], {"betrag": 7}, "anna")  # ... while the first moved it on
    with zsa.uow() as uow:
        effects = run.complete_task(task["id"], {"betrag": 8})
        with pytest.raises(Conflict):
            save_run(zsa, uow, stale, definition, run, effects, "bob", zsa.clock.now(),
                     completed={"task_id": task["id"], "user": "bob"})
    events = [e["type"] for e in zsa.events(number)]
    assert events.count("task_completed") == 1
