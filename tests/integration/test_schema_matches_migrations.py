"""The migrations and storage/tables.py describe the same schema: autogenerate (`migrate.revision`, what a
developer runs for the next migration) finds nothing to add, drop or change on a freshly migrated
database — on SQLite and, with ZSA_DATABASE_URL, on PostgreSQL, whose own indexes it leaves alone."""
from sqlalchemy import inspect

from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine
from zsa_flow.storage.tables import POSTGRESQL_ONLY_INDEXES


def test_a_migrated_database_is_what_tables_py_declares(db_url):
    engine = make_engine(db_url)
    try:
        assert migrate.schema_differences(engine) == []
        if engine.dialect.name == "postgresql":  # they exist there, and only the filter keeps them out
            with engine.connect() as conn:
                found = {i["name"] for t in ("human_task", "vorgang", "event") for i in inspect(conn).get_indexes(t)}
            assert POSTGRESQL_ONLY_INDEXES <= found
    finally:
        engine.dispose()


def test_the_filter_hides_only_reflected_postgresql_only_indexes():
    assert not migrate.include_object(None, "ix_task_scope", "index", True, None)
    assert migrate.include_object(None, "ix_task_scope", "index", False, None)  # declared: compared
    assert migrate.include_object(None, "ix_task_case", "index", True, None)
    assert migrate.include_object(None, "ix_event_writer_xid", "column", True, None)
