"""Database engines: SQLite (WAL, immediate write transactions) or PostgreSQL via psycopg 3."""
import json
import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

DEFAULT_URL = "sqlite:///instance/zsa.db"


def database_url(url: str | None = None) -> str:
    """The configured URL: argument, else ZSA_DATABASE_URL, else the embedded SQLite file."""
    url = url or os.environ.get("ZSA_DATABASE_URL") or DEFAULT_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None) -> Engine:
    """Create an engine with the settings zsa-flow relies on for correctness under concurrency."""
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               json_deserializer=json_loads)
        _configure_sqlite(engine)
        return engine
    # No ping per checkout (a round trip per use case): a connection that died with a server restart
    # fails its statement, SQLAlchemy then discards the whole pool and the caller retries.
    # ZSA_DB_PRE_PING=1 pings before every use instead.
    return create_engine(url, pool_size=10, max_overflow=20, json_deserializer=json_loads,
                         pool_pre_ping=os.environ.get("ZSA_DB_PRE_PING", "") in ("1", "true", "yes"))


_SHORT_LISTS = {}  # JSON text -> tuple of strings: candidate groups, roles, Kommunen repeat on every row


def json_loads(text):
    """json.loads for column values; short lists of strings (a task's candidate groups, an account's
    roles) are parsed once per process and handed out as a fresh list each time."""
    if len(text) > 96:
        return json.loads(text)
    key = text if isinstance(text, str) else bytes(text)
    known = _SHORT_LISTS.get(key)
    if known is not None:
        return list(known)
    value = json.loads(key)
    if isinstance(value, list) and all(type(item) is str for item in value) and len(_SHORT_LISTS) < 10_000:
        _SHORT_LISTS[key] = tuple(value)
    return value


def _configure_sqlite(engine):
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    # Writers take the write lock up front: two concurrent read-modify-write transactions then
    # serialize and the loser sees the winner's commit instead of failing with SQLITE_BUSY. Read-only
    # connections (execution option `zsa_readonly`) begin deferred. This is the dialect's own BEGIN
    # hook, not a "begin" event listener: any connection event listener makes SQLAlchemy dispatch
    # every connection event (connect, begin, commit, rollback) through the event system, which
    # costs more per unit of work than the BEGIN itself.
    dialect = engine.dialect
    set_options = dialect.set_connection_execution_options

    def set_connection_execution_options(connection, opts):
        if "zsa_readonly" in opts:  # kept on this checkout's pool connection, read at BEGIN
            connection.connection.zsa_readonly = bool(opts["zsa_readonly"])
        set_options(connection, opts)

    def do_begin(pooled):
        # straight to the driver: a statement execution through SQLAlchemy would cost more than
        # the BEGIN itself; an error (e.g. still locked after busy_timeout) is wrapped by SQLAlchemy
        pooled.driver_connection.execute("BEGIN" if getattr(pooled, "zsa_readonly", False) else "BEGIN IMMEDIATE")

    dialect.set_connection_execution_options = set_connection_execution_options
    dialect.do_begin = do_begin


def optimize(engine) -> None:
    """Refresh the query planner's statistics (SQLite's ANALYZE via PRAGMA optimize).

    Without statistics SQLite may pick the wrong index for task-list searches once tables are
    large; PostgreSQL's autovacuum keeps its own statistics."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA optimize=0x10002")
