"""Unit of work: one database transaction per use case; rolled back unless committed."""
from sqlalchemy.engine import Connection, Engine


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
            conn = conn.execution_options(zsa_readonly=True)
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

    def commit(self):
        """Make the work durable, then run the after-commit hooks (cache updates)."""
        self._tx.commit()
        hooks, self.after_commit = self.after_commit, []
        for hook in hooks:
            hook()
