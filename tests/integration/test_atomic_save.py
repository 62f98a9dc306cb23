"""A save that fails halfway leaves nothing half-written.

The database itself refuses the history rows of one case (a trigger, as a full disk or a lost
connection would refuse them) after the case row, the stored state, the task rows and the timers
of the same transaction were already written. Afterwards the case is exactly as before, and the
same completion succeeds once the database accepts writes again.
"""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from zsa_flow.storage.tables import event, human_task, outbox, timer, vorgang, workflow_state

SQLITE_TRIGGER = ("CREATE TRIGGER refuse_history BEFORE INSERT ON event WHEN NEW.case_id = :case_id "
                  "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
PG_FUNCTION = ("CREATE OR REPLACE FUNCTION refuse_history() RETURNS trigger AS $$ BEGIN "
               "RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql")
PG_TRIGGER = ("CREATE TRIGGER refuse_history BEFORE INSERT ON event FOR EACH ROW "
              "WHEN (NEW.case_id = {case_id}) EXECUTE FUNCTION refuse_history()")


def _snapshot(zsa, case_id):
    with zsa.engine.connect() as conn:
        return {
            "case": dict(conn.execute(vorgang.select().where(vorgang.c.id == case_id)).mappings().one()),
            "state": conn.execute(workflow_state.select().where(workflow_state.c.case_id == case_id)).one()._tuple(),
            "tasks": sorted(tuple(r) for r in conn.execute(human_task.select().where(human_task.c.case_id == case_id))),
            "timers": sorted(tuple(r) for r in conn.execute(timer.select().where(timer.c.case_id == case_id))),
            "events": conn.execute(event.select().where(event.c.case_id == case_id)).all(),
            "outbox": conn.execute(outbox.select().where(outbox.c.case_id == case_id)).all(),
        }


def _refuse_history(zsa, case_id, on):
    with zsa.engine.begin() as conn:
        if zsa.engine.dialect.name == "sqlite":
            conn.execute(text(SQLITE_TRIGGER.replace(":case_id", str(int(case_id)))) if on else
                         text("DROP TRIGGER refuse_history"))
        elif on:
            conn.execute(text(PG_FUNCTION))
            conn.execute(text(PG_TRIGGER.format(case_id=int(case_id))))
        else:
            conn.execute(text("DROP TRIGGER refuse_history ON event"))


def test_a_completion_that_fails_while_writing_history_writes_nothing(zsa, test_library):
    zsa.deploy(test_library)
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    with zsa.engine.connect() as conn:
        case_id = conn.execute(vorgang.select().where(vorgang.c.number == number)).one().id
    [task] = zsa.tasks(case=number)
    zsa.claim(task["id"], "anna")
    before = _snapshot(zsa, case_id)
    _refuse_history(zsa, case_id, on=True)
    try:
        with pytest.raises(DBAPIError, match="disk full"):
            zsa.complete(task["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
        assert _snapshot(zsa, case_id) == before
        assert [t["id"] for t in zsa.tasks(case=number)] == [task["id"]]
    finally:
        _refuse_history(zsa, case_id, on=False)
    zsa.complete(task["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
    assert _snapshot(zsa, case_id)["case"]["lock_version"] == before["case"]["lock_version"] + 1
    assert [t["name"] for t in zsa.tasks(case=number)] != [task["name"]]
