"""Unit of work: one database transaction per use case; rolled back unless committed.

On PostgreSQL a read-only unit of work runs in autocommit (no BEGIN/ROLLBACK round trips; under
READ COMMITTED every statement has its own snapshot anyway), and `batch()` sends the statements of
its block in one pipeline (psycopg pipeline mode): one round trip for all writes whose results
nobody reads.
"""
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from .prepared import Prepared, Rows, run as run_prepared


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
        self.pipelined = False  # inside batch() on PostgreSQL: results arrive at the end of the block
        self._expected = []  # (result, error) checked when the batch ends

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
        """Run a statement inside this unit of work; a `Prepared` one straight on the driver's
        cursor (storage/prepared.py), answering rows as dicts."""
        if type(statement) is Prepared:
            return run_prepared(self.conn, statement, params if params is not None else {}, self.pipelined)
        return self.conn.execute(statement, params) if params is not None else self.conn.execute(statement)

    @contextmanager
    def batch(self):
        """Statements whose results are not read, sent together (PostgreSQL pipeline); errors surface
        at the end of the block as SQLAlchemy errors and the transaction rolls back as usual.
        Checks registered with `expect_one` inside the block run at its end, before any such error
        (a lost race then answers with its own error rather than the collision it caused)."""
        if self.conn.dialect.name != "postgresql" or self.pipelined:  # SQLite, or part of an enclosing batch
            yield
            return
        import psycopg

        self._expected = []
        try:
            self.pipelined = True
            with self.conn.connection.driver_connection.pipeline():
                yield
        except psycopg.Error as exc:
            self.pipelined = False
            self._check_expected()
            raise DBAPIError.instance("pipeline", None, exc, psycopg.Error) from exc
        except DBAPIError:
            self.pipelined = False
            self._check_expected()
            raise
        finally:
            self.pipelined = False
        self._check_expected()

    def expect_one(self, result, error):
        """Raise `error` (an exception, or a callable that raises) unless the UPDATE or DELETE of
        `result` matched exactly one row; inside a batch this is checked when the batch ends (the
        driver's cursor learns the count when the pipeline's results arrive)."""
        if self.pipelined:
            self._expected.append((result, error))
        else:
            self._fail_unless_one(result, error)

    def _check_expected(self):
        expected, self._expected = self._expected, []
        for result, error in expected:
            self._fail_unless_one(result, error)

    @staticmethod
    def _fail_unless_one(result, error):
        if type(result) is Rows:
            count = result.rowcount
        else:
            cursor = getattr(result.context, "cursor", None)
            count = cursor.rowcount if cursor is not None and result.context.dialect.name == "postgresql" \
                else result.rowcount
        if count != 1:
            if isinstance(error, BaseException):
                raise error
            error()
            raise AssertionError("the error callable must raise")

    def commit(self):
        """Make the work durable, then run the after-commit hooks (cache updates)."""
        self._tx.commit()
        hooks, self.after_commit = self.after_commit, []
        for hook in hooks:
            hook()
