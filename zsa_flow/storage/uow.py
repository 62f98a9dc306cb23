"""Unit of work: one database transaction per use case; rolled back unless committed.

On PostgreSQL a read-only unit of work runs in autocommit (no BEGIN/ROLLBACK round trips; under
READ COMMITTED every statement has its own snapshot anyway), and `batch()` sends the statements of
its block in one pipeline (psycopg pipeline mode): one round trip for all writes whose results
nobody reads.
"""
from contextlib import contextmanager, nullcontext

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError


class UnitOfWork:
    """`with UnitOfWork(engine) as uow: ...; uow.commit()` — leaving without commit rolls back."""

    def __init__(self, engine: Engine, readonly: bool = False, keys=None):
        self.engine = engine
        self.readonly = readonly
        self.keys = keys  # services.crypto.DataKeys: case keys for event data
        self.case_ciphers = {}  # case id -> unwrapped case cipher, for this transaction only
        self.conn: Connection | None = None
        self._tx = None
        self.after_commit = []  # callables run once the transaction is durable

    def __enter__(self):
        conn = self.engine.connect()
        if self.readonly:
            options = {"zsa_readonly": True}
            if conn.dialect.name == "postgresql":
                options["isolation_level"] = "AUTOCOMMIT"
            conn = conn.execution_options(**options)
        self.conn = conn
        self._tx = conn.begin()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()

    def execute(self, statement, params=None):
        """Run a statement inside this unit of work."""
        return self.conn.execute(statement, params) if params is not None else self.conn.execute(statement)

    @contextmanager
    def batch(self):
        """Statements whose results are not read, sent together (PostgreSQL pipeline); errors surface
        at the end of the block as SQLAlchemy errors and the transaction rolls back as usual."""
        if self.conn.dialect.name != "postgresql":
            with nullcontext():
                yield
            return
        import psycopg

        try:
            with self.conn.connection.driver_connection.pipeline():
                yield
        except psycopg.Error as exc:
            raise DBAPIError.instance("pipeline", None, exc, psycopg.Error) from exc

    def commit(self):
        """Make the work durable, then run the after-commit hooks (cache updates)."""
        self._tx.commit()
        hooks, self.after_commit = self.after_commit, []
        for hook in hooks:
            hook()
