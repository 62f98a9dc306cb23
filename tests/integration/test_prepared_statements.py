"""Prepared statements (storage/prepared.py) run on the driver's cursor: what they store and read
must be exactly what SQLAlchemy's own execution stores and reads, and errors and cursor events
must look the same to callers. Runs on SQLite and, with ZSA_DATABASE_URL, on PostgreSQL."""
import os
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from zsa_flow.storage.prepared import Prepared
from zsa_flow.storage.tables import human_task

ROW = {"case_number": "X-1", "process_id": "p", "kommune": "15003000", "task_def": "t", "name": "Prüfen",
       "candidate_groups": ["sachbearbeitung", "leitung"], "candidate_users": [], "state": "open",
       "created_at": datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))), "due_at": None,
       "form_ref": None}
CLOSE = update(human_task).where(human_task.c.id == bindparam("b_id")).values(
    state=bindparam("state"), completed_at=bindparam("completed_at"), draft=None)


@pytest.fixture
def case_id(zsa):
    """A case to hang task rows on (the foreign key)."""
    from pathlib import Path

    zsa.deploy([str(Path(__file__).resolve().parents[2] / "bench" / "models" / "drei_aufgaben.bpmn")])
    number = zsa.start_case("bench_drei_aufgaben", "15003000", {"betrag": 1})
    with zsa.uow(readonly=True) as uow:
        from zsa_flow.services.runs import get_case_row

        return get_case_row(uow, number=number)["id"]


def _raw(uow, task_id):
    """The stored column values as the driver returns them (no SQLAlchemy type processing)."""
    cursor = uow.conn.connection.dbapi_connection.cursor()
    cursor.execute("SELECT * FROM human_task WHERE id = " + ("?" if uow.conn.dialect.name == "sqlite" else "%s"),
                   (task_id,))
    names = [d[0] for d in cursor.description]
    return {name: value for name, value in zip(names, cursor.fetchone()) if name != "id"}


def test_prepared_writes_store_what_sqlalchemy_stores(zsa, case_id):
    prepared_insert, prepared_close = Prepared(insert(human_task).inline()), Prepared(CLOSE)
    done = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
    with zsa.uow() as uow:
        # column defaults (priority, lock_version, candidate lists) filled in as SQLAlchemy does
        uow.conn.execute(insert(human_task), dict(ROW, id="core", case_id=case_id))
        uow.execute(prepared_insert, dict(ROW, id="prep", case_id=case_id))
        uow.conn.execute(insert(human_task), [dict(ROW, id=f"core{i}", case_id=case_id) for i in range(2)])
        uow.execute(prepared_insert, [dict(ROW, id=f"prep{i}", case_id=case_id) for i in range(2)])
        assert _raw(uow, "prep") == _raw(uow, "core") == _raw(uow, "prep1") == _raw(uow, "core1")
        # an UPDATE with a value given in the statement (draft=None is JSON null, as in Core)
        uow.conn.execute(CLOSE, {"b_id": "core", "state": "completed", "completed_at": done})
        result = uow.execute(prepared_close, {"b_id": "prep", "state": "completed", "completed_at": done})
        assert result.rowcount == 1
        assert uow.execute(prepared_close, {"b_id": "none", "state": "x", "completed_at": done}).rowcount == 0
        assert _raw(uow, "prep") == _raw(uow, "core")
        uow.commit()


def test_prepared_reads_answer_what_sqlalchemy_answers(zsa, case_id):
    query = select(human_task, (human_task.c.priority + 1).label("next_priority")).where(
        human_task.c.case_id == bindparam("b_case")).order_by(human_task.c.id)
    with zsa.uow() as uow:
        uow.execute(Prepared(insert(human_task).inline()), [dict(ROW, id=f"t{i}", case_id=case_id, draft={"a": i})
                                                            for i in range(3)])
        core = [dict(r) for r in uow.conn.execute(query, {"b_case": case_id}).mappings()]
        prepared = uow.execute(Prepared(query), {"b_case": case_id}).all()
    assert prepared == core and len(core) >= 3
    mine = [r for r in prepared if r["id"].startswith("t")]
    assert mine[0]["created_at"] == ROW["created_at"] and mine[0]["created_at"].tzinfo == timezone.utc
    assert mine[2]["draft"] == {"a": 2} and mine[0]["candidate_groups"] == ["sachbearbeitung", "leitung"]


def test_prepared_statements_fail_and_show_like_core(zsa, case_id, request):
    seen = []

    def listener(conn, cursor, statement, *rest):
        seen.append(statement)

    event.listen(zsa.engine, "before_cursor_execute", listener)
    request.addfinalizer(lambda: event.remove(zsa.engine, "before_cursor_execute", listener))
    prepared_insert = Prepared(insert(human_task).inline())
    with zsa.uow() as uow:
        uow.execute(prepared_insert, dict(ROW, id="dup", case_id=case_id))
        assert any(s.startswith("INSERT INTO human_task") for s in seen)  # statement counters see it
        with pytest.raises(IntegrityError):  # the driver's error, wrapped by SQLAlchemy as always
            uow.execute(prepared_insert, dict(ROW, id="dup", case_id=case_id))
    with zsa.uow() as uow, pytest.raises(KeyError, match="b_case"):
        uow.execute(Prepared(select(human_task).where(human_task.c.case_id == bindparam("b_case"))), {})


@pytest.mark.skipif(not os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
def test_a_dead_connection_is_invalidated_and_the_next_unit_of_work_reconnects(zsa):
    """A server restart kills the pooled connections: the prepared statement's error is SQLAlchemy's
    (connection invalidated), and the next unit of work runs on a fresh connection."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    from zsa_flow.services.runs import _CASE_BY_NUMBER

    with zsa.uow() as uow:
        pid = uow.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with psycopg.connect(os.environ["ZSA_DATABASE_URL"], autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(DBAPIError) as raised, zsa.uow() as uow:
        uow.execute(_CASE_BY_NUMBER, {"b_number": "X-1"})
    assert raised.value.connection_invalidated
    with zsa.uow() as uow:
        assert uow.execute(_CASE_BY_NUMBER, {"b_number": "X-1"}).first() is None


@pytest.mark.skipif(not os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
def test_rows_of_a_pipelined_statement_are_refused_not_read_as_empty(zsa, case_id):
    with zsa.uow() as uow:
        with uow.batch():
            result = uow.execute(Prepared(select(human_task.c.id).where(human_task.c.case_id == bindparam("b_case"))),
                                 {"b_case": case_id})
        with pytest.raises(RuntimeError, match="pipeline"):
            result.first()
