"""Applying and checking Alembic migrations without an alembic.ini."""
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ..errors import DatabaseNotMigrated
from .tables import POSTGRESQL_ONLY_INDEXES, metadata

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine) -> None:
    """Bring the schema to the newest revision (`zsa-flow db upgrade`)."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("COMMIT")  # our begin hook opened one; alembic manages its own
            conn.exec_driver_sql("BEGIN")
        command.upgrade(_config(conn), "head")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """What autogenerate compares: everything but the PostgreSQL-only indexes tables.py does not declare."""
    return not (type_ == "index" and reflected and name in POSTGRESQL_ONLY_INDEXES)


def schema_differences(engine) -> list:
    """What autogenerate would put into a new migration for this (migrated) database: [] when the
    migrations and tables.py describe the same schema."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"include_object": include_object}),
                                metadata)


def revision(engine, message: str) -> None:
    """Autogenerate a migration from the difference between tables.py and the database (dev only)."""
    with engine.begin() as conn:
        command.revision(_config(conn), message=message, autogenerate=True)


@lru_cache(maxsize=1)
def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def ensure_migrated(engine) -> None:
    """Raise a clear error when the database lacks the newest schema."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head():
        raise DatabaseNotMigrated(
            "Die Datenbank ist nicht auf dem aktuellen Stand "
            f"(Revision {current or 'keine'}, benötigt {head()}). Bitte zuerst `zsa-flow db upgrade` ausführen."
        )
