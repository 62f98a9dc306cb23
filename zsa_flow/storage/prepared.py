"""Prepared statements for the hot path: compiled once per dialect, run on the driver's cursor.

SQLAlchemy Core spends more per execution (compiled-cache lookup, execution context, result
metadata, events) than SQLite spends running one of the small statements of a task completion.
The statements that every completion, claim and case start sends are wrapped in `Prepared`; a
unit of work runs them (`uow.execute(prepared, params)`) straight on its connection's DBAPI cursor
with what SQLAlchemy would have done around them, so nothing changes in what is sent or stored:

- the SQL is SQLAlchemy's own compilation of the statement for the dialect;
- bind values go through the same bind processors (JSON, UTC datetimes, ...), binds with a
  value in the statement and Python-side column defaults of an INSERT are filled in as SQLAlchemy
  fills them;
- result values go through the same result processors; rows come back as dicts;
- the engine's cursor events fire (statement counters and other listeners on the engine see
  these statements; SQLAlchemy's own `echo` logging does not), and a driver error is handled by
  SQLAlchemy (wrapped as `sqlalchemy.exc.*`, a dead connection invalidates the pool), so callers
  and `uow.batch()` see the errors they always saw.

Only plain statements are accepted: no expanding (IN-list) or literal-execute binds, no escaped
bind names, no SQL-expression or sequence column defaults; `Prepared` refuses others when it
compiles them, so a statement that would need more is noticed at once, not stored differently.
"""
import re
import threading
import weakref

from sqlalchemy.sql.dml import Insert

_NAMED = re.compile(r"%\(([^)]+)\)s")


class Prepared:
    """A Core statement run by `UnitOfWork.execute` without SQLAlchemy's per-execution machinery.

    Compiled once per dialect (per engine, as SQLAlchemy's own compiled cache: the processors
    depend on the engine's settings, e.g. its JSON deserializer); an INSERT without `.values()`
    once per set of parameter keys (as SQLAlchemy compiles it)."""

    __slots__ = ("statement", "by_keys", "_plans", "_lock")

    def __init__(self, statement):
        self.statement = statement
        self.by_keys = isinstance(statement, Insert) and not statement._values and not statement._multi_values
        self._plans = weakref.WeakKeyDictionary()  # dialect -> {parameter keys or None: Plan}
        self._lock = threading.Lock()

    def plan(self, dialect, params):
        keys = tuple(sorted(params)) if self.by_keys else None
        plans = self._plans.get(dialect)
        found = plans.get(keys) if plans is not None else None
        if found is None:
            with self._lock:
                plans = self._plans.setdefault(dialect, {})
                found = plans.get(keys) or Plan(self.statement, dialect, keys)
                plans[keys] = found
        return found

    def __repr__(self):
        return f"Prepared({self.statement})"


class Plan:
    """One compilation: SQL text, how to build the driver's parameters, how to read result rows."""

    def __init__(self, statement, dialect, keys):
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        if compiled.escaped_bind_names or compiled.literal_execute_params or compiled.post_compile_params \
                or compiled.update_prefetch:
            raise ValueError(f"statement not suitable for Prepared: {statement}")
        self.sql = compiled.string
        self.positional = compiled.positional
        names = list(compiled.positiontup) if compiled.positional else list(dict.fromkeys(_NAMED.findall(self.sql)))
        processors = compiled._bind_processors
        defaults = {}
        for column in compiled.insert_prefetch:  # Python-side column defaults of an INSERT
            default = column.default
            if default is None or not (default.is_scalar or default.is_callable):
                raise ValueError(f"column default of {column} not suitable for Prepared")
            defaults[column.key] = _Value(default.arg) if default.is_scalar else _called(default.arg)
        # bind(params) and row(raw) are generated once per plan: a tuple (qmark) or dict (named
        # styles) of the values, each through its processor; a value missing from `params` takes
        # its fallback (a value in the statement, a column default) or is a KeyError naming it
        env, binds = {}, []
        for i, name in enumerate(names):
            bind = compiled.binds.get(name)
            if name in defaults:
                env[f"_f{i}"] = defaults[name]
                value = f"(params[{name!r}] if {name!r} in params else _f{i}())"
            elif bind is not None and not bind.required:
                env[f"_f{i}"] = _Value(bind.effective_value)
                value = f"(params[{name!r}] if {name!r} in params else _f{i}())"
            else:
                value = f"params[{name!r}]"
            if processors.get(name) is not None:
                env[f"_p{i}"] = processors[name]
                value = f"_p{i}({value})"
            binds.append(value if self.positional else f"{name!r}: {value}")
        body = (f"({''.join(b + ', ' for b in binds)})" if self.positional else f"{{{', '.join(binds)}}}")
        self.bind = _function("bind", "params", body, env)
        columns = compiled._result_columns
        self.returns_rows = bool(columns)
        env, fields = {}, []
        for i, column in enumerate(columns):
            processor = column.type._cached_result_processor(dialect, None)
            if processor is not None:
                env[f"_p{i}"] = processor
            fields.append(f"{column.keyname!r}: " + (f"_p{i}(raw[{i}])" if processor is not None else f"raw[{i}]"))
        self.row = _function("row", "raw", f"{{{', '.join(fields)}}}", env)


def _function(name, arg, expression, env):
    """`lambda arg: expression` with the names of `env` bound (generated code of a Plan)."""
    namespace = dict(env)
    exec(f"def {name}({arg}):\n    return {expression}\n", namespace)  # noqa: S102 - only our own names
    return namespace[name]


class _Value:
    """A fixed fallback value (a bind given in the statement, a scalar column default)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __call__(self):
        return self.value


def _called(wrapped):
    """A callable column default (SQLAlchemy wraps it to take the execution context)."""
    return lambda: wrapped(None)


class Rows:
    """What `UnitOfWork.execute` answers for a Prepared statement: rows as dicts, and `rowcount`
    (read from the cursor when asked: inside a PostgreSQL pipeline it is known once the batch is through)."""

    __slots__ = ("cursor", "_plan", "_raw")

    def __init__(self, cursor, plan, raw):
        self.cursor, self._plan, self._raw = cursor, plan, raw

    @property
    def rowcount(self):
        return self.cursor.rowcount

    def mappings(self):
        return self

    def _rows(self):
        if self._raw is None and self._plan.returns_rows:  # sent inside a PostgreSQL pipeline (uow.batch)
            raise RuntimeError("rows of a statement sent in a pipeline are not read; run it outside batch()")
        return self._raw

    def all(self):
        return [self._plan.row(raw) for raw in self._rows() or ()]

    def __iter__(self):
        return iter(self.all())

    def first(self):
        raw = self._rows()
        return self._plan.row(raw[0]) if raw else None

    def one(self):
        if not self._rows() or len(self._raw) != 1:
            from sqlalchemy.exc import NoResultFound, MultipleResultsFound

            raise (NoResultFound if not self._raw else MultipleResultsFound)(
                "Expected exactly one row, got %d" % len(self._raw or ()))
        return self._plan.row(self._raw[0])

    def scalar(self):
        first = self.first()
        return next(iter(first.values())) if first is not None else None

    def scalar_one(self):
        return next(iter(self.one().values()))


def run(conn, prepared, params, pipelined=False):
    """Execute `prepared` with `params` (a dict, or a list of dicts: executemany) on the SQLAlchemy
    Connection `conn`'s DBAPI connection; see the module docstring."""
    many = isinstance(params, list)
    plan = prepared.plan(conn.dialect, params[0] if many else params)
    parameters = [plan.bind(p) for p in params] if many else plan.bind(params)
    statement = plan.sql
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        # the engine's listeners (zsa-flow and its tests listen on the engine, not on connections)
        dispatch = conn.engine.dispatch
        if dispatch.before_cursor_execute:
            for fn in dispatch.before_cursor_execute:
                statement, parameters = fn(conn, cursor, statement, parameters, None, many)
        if many:
            cursor.executemany(statement, parameters)
        else:
            cursor.execute(statement, parameters)
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(conn, cursor, statement, parameters, None, many)
        raw = cursor.fetchall() if plan.returns_rows and not pipelined else None
    except BaseException as exc:
        conn._handle_dbapi_exception(exc, statement, parameters, cursor, None)
        raise
    return Rows(cursor, plan, raw)
