"""FEEL values and the compiler from the `feel.py` AST to closures `fn(env) -> value`.

Value model: numbers are `decimal.Decimal` (money stays exact; ints/floats from the context are
converted on lookup), strings, booleans, None (FEEL null), `datetime.date`, `datetime.datetime`,
lists and dicts. Type mismatches and arithmetic faults give null, as FEEL prescribes; a unary test
that evaluates to null does not match.
"""
import datetime as dt
import decimal
from decimal import Decimal
from zoneinfo import ZoneInfo

from .feel import FeelSyntaxError, parse_expression, parse_unary_tests, uses_input

DECIMAL_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=6144, Emin=-6143,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
MAX_EXPONENT = 1000
BERLIN = ZoneInfo("Europe/Berlin")


class Env:
    """What a compiled expression sees: the variables and (in input entries) the cell input."""

    __slots__ = ("vars", "input", "input_name")

    def __init__(self, variables, input_value=None, input_name=None):
        self.vars = variables
        self.input = input_value
        self.input_name = input_name


# -- values -------------------------------------------------------------------------------------

def to_feel(value):
    """Normalise a Python value from the context into the FEEL value model."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    return value


def to_python(value):
    """FEEL value -> result value: integral numbers become int, others stay Decimal (exact)."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and value.adjusted() < 30:
            return int(value)
        return value
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def to_jsonable(value):
    """Result value -> JSON-compatible value: Decimal -> string (exact), dates -> ISO strings."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def _kind(value):
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if type(value) is dt.datetime:
        return "datetime"
    if type(value) is dt.date:
        return "date"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    return type(value).__name__


def parse_date(text):
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_datetime(text):
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _coerce_pair(a, b):
    """ISO strings compared with dates/date-times are read as such (task data holds ISO strings)."""
    if isinstance(a, str) and type(b) is dt.date:
        a = parse_date(a)
    elif isinstance(b, str) and type(a) is dt.date:
        b = parse_date(b)
    elif isinstance(a, str) and type(b) is dt.datetime:
        a = parse_datetime(a)
    elif isinstance(b, str) and type(a) is dt.datetime:
        b = parse_datetime(b)
    return a, b


def compare(a, b):
    """-1/0/1, or None if the values are not comparable (null, different types)."""
    if a is None or b is None:
        return None
    a, b = _coerce_pair(a, b)
    kind = _kind(a)
    if a is None or b is None or kind != _kind(b) or kind not in ("number", "string", "date", "datetime"):
        return None
    try:
        return (a > b) - (a < b)
    except TypeError:  # naive vs aware date-times
        return None


def equals(a, b):
    """FEEL equality: True/False, None for values of different types."""
    if a is None or b is None:
        return a is None and b is None
    a, b = _coerce_pair(a, b)
    if a is None or b is None:
        return None
    kind = _kind(a)
    if kind != _kind(b):
        return None
    if kind == "list":
        return len(a) == len(b) and all(equals(to_feel(x), to_feel(y)) is True for x, y in zip(a, b))
    if kind == "context":
        return a.keys() == b.keys() and all(equals(to_feel(a[k]), to_feel(b[k])) is True for k in a)
    try:
        return a == b
    except TypeError:
        return None


def _arith(op, a, b):
    try:
        if isinstance(a, Decimal) and isinstance(b, Decimal):
            if op == "+":
                return DECIMAL_CONTEXT.add(a, b)
            if op == "-":
                return DECIMAL_CONTEXT.subtract(a, b)
            if op == "*":
                return DECIMAL_CONTEXT.multiply(a, b)
            if op == "/":
                return DECIMAL_CONTEXT.divide(a, b)
            if op == "**":
                if b != b.to_integral_value() or abs(b) > MAX_EXPONENT:
                    return None
                return DECIMAL_CONTEXT.power(a, b)
        if op == "+" and isinstance(a, str) and isinstance(b, str):
            return a + b
    except (ArithmeticError, ValueError):
        return None
    return None


# -- built-in functions ------------------------------------------------------------------------

def _integral(value):
    return isinstance(value, Decimal) and value == value.to_integral_value()


def _fn_date(*args):
    if len(args) == 1:
        (value,) = args
        if isinstance(value, str):
            return parse_date(value)
        if type(value) is dt.datetime:
            return value.date()
        return value if type(value) is dt.date else None
    if len(args) == 3 and all(_integral(a) for a in args):
        try:
            return dt.date(*(int(a) for a in args))
        except ValueError:
            return None
    return None


def _fn_date_and_time(value):
    if isinstance(value, str):
        return parse_datetime(value)
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value if type(value) is dt.datetime else None


def _fn_string(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value if isinstance(value, str) else None


def _fn_number(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except decimal.InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _fn_decimal(value, scale):
    if not isinstance(value, Decimal) or not _integral(scale) or not -100 <= scale <= 100:
        return None
    try:
        return value.quantize(Decimal(1).scaleb(-int(scale)), rounding=decimal.ROUND_HALF_EVEN,
                              context=DECIMAL_CONTEXT)
    except ArithmeticError:
        return None


def _items(args):
    values = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
    return [to_feel(v) for v in values]


def _fn_min_max(pick):
    def fn(*args):
        items = _items(args)
        if not items:
            return None
        best = items[0]
        for item in items[1:]:
            c = compare(item, best)
            if c is None:
                return None
            if c == pick:
                best = item
        return best if compare(best, best) == 0 else None
    return fn


def _fn_sum(*args):
    items = _items(args)
    if not all(isinstance(v, Decimal) for v in items):
        return None
    total = Decimal(0)
    for item in items:
        total = _arith("+", total, item)
    return total


def _str_fn(fn):
    def wrapped(*args):
        return fn(*args) if all(isinstance(a, str) for a in args) else None
    return wrapped


def _number_fn(fn):
    def wrapped(value):
        if not isinstance(value, Decimal):
            return None
        try:
            return fn(value)
        except ArithmeticError:
            return None
    return wrapped


def _fn_today():
    """Today's date in Germany (zsa-flow serves Sachsen-Anhalt), as FEEL's today() does locally."""
    return dt.datetime.now(BERLIN).date()


BUILTINS = {
    "today": _fn_today,
    "date": _fn_date,
    "date and time": _fn_date_and_time,
    "not": lambda v: (not v) if isinstance(v, bool) else None,
    "string": _fn_string,
    "number": _fn_number,
    "abs": _number_fn(abs),
    "floor": _number_fn(lambda v: v.to_integral_value(rounding=decimal.ROUND_FLOOR)),
    "ceiling": _number_fn(lambda v: v.to_integral_value(rounding=decimal.ROUND_CEILING)),
    "decimal": _fn_decimal,
    "min": _fn_min_max(-1),
    "max": _fn_min_max(1),
    "sum": _fn_sum,
    "count": lambda v: Decimal(len(v)) if isinstance(v, list) else None,
    "string length": _str_fn(lambda s: Decimal(len(s))),
    "upper case": _str_fn(str.upper),
    "lower case": _str_fn(str.lower),
    "contains": _str_fn(lambda s, sub: sub in s),
    "starts with": _str_fn(str.startswith),
    "ends with": _str_fn(str.endswith),
}

_DATE_PARTS = {"year", "month", "day", "weekday", "hour", "minute", "second"}


def _path(base, key):
    if isinstance(base, dict):
        return to_feel(base.get(key))
    if isinstance(base, (dt.date, dt.datetime)) and key in _DATE_PARTS and hasattr(base, key):
        part = getattr(base, key)
        return Decimal(part() + 1 if key == "weekday" else part)  # FEEL weekday: Monday = 1
    if isinstance(base, list):
        return [_path(to_feel(item), key) for item in base]
    return None


# -- compiler ----------------------------------------------------------------------------------

def compile_node(node):
    """Turn an expression AST into a closure fn(env) -> FEEL value."""
    kind = node[0]
    if kind == "lit":
        value = node[1]
        return lambda env: value
    if kind == "input":
        return lambda env: env.input
    if kind == "name":
        name = node[1]

        def lookup(env):
            if name == env.input_name:
                return env.input
            return to_feel(env.vars.get(name))
        return lookup
    if kind == "path":
        base, key = compile_node(node[1]), node[2]
        return lambda env: _path(base(env), key)
    if kind == "list":
        items = [compile_node(n) for n in node[1]]
        return lambda env: [f(env) for f in items]
    if kind == "neg":
        inner = compile_node(node[1])
        return lambda env: _arith("-", Decimal(0), inner(env))
    if kind == "bin":
        op, left, right = node[1], compile_node(node[2]), compile_node(node[3])
        return lambda env: _arith(op, left(env), right(env))
    if kind == "cmp":
        return _compile_cmp(node[1], compile_node(node[2]), compile_node(node[3]))
    if kind in ("and", "or"):
        return _compile_logic(kind, compile_node(node[1]), compile_node(node[2]))
    if kind == "if":
        cond, then, other = (compile_node(n) for n in node[1:])
        return lambda env: then(env) if cond(env) is True else other(env)
    if kind == "between":
        value, low, high = (compile_node(n) for n in node[1:])

        def between(env):
            v = value(env)
            c1, c2 = compare(v, low(env)), compare(v, high(env))
            return None if c1 is None or c2 is None else (c1 >= 0 and c2 <= 0)
        return between
    if kind == "in":
        value = compile_node(node[1])
        tests = [_compile_test(t, None) for t in node[2]]

        def contains(env):
            inner = Env(env.vars, value(env), None)
            return any(t(inner) is True for t in tests)
        return contains
    if kind == "call":
        fn = BUILTINS[node[1]]
        args = [compile_node(n) for n in node[2]]
        if node[1] in ("date", "date and time") and all(a[0] == "lit" for a in node[2]):
            constant = fn(*(a[1] for a in node[2]))
            if constant is None:
                raise FeelSyntaxError(f"invalid {node[1]} literal {', '.join(repr(a[1]) for a in node[2])}")
            return lambda env: constant
        return lambda env: fn(*(a(env) for a in args))
    raise FeelSyntaxError(f"unsupported expression {kind!r}")


def _compile_cmp(op, left, right):
    if op == "=":
        return lambda env: equals(left(env), right(env))
    if op == "!=":
        def not_equal(env):
            result = equals(left(env), right(env))
            return None if result is None else not result
        return not_equal
    check = {"<": lambda c: c < 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0, ">=": lambda c: c >= 0}[op]

    def cmp(env):
        c = compare(left(env), right(env))
        return None if c is None else check(c)
    return cmp


def _compile_logic(kind, left, right):
    stop = kind == "or"  # `true or x` is true, `false and x` is false, whatever x is

    def logic(env):
        a = left(env)
        if a is stop:
            return stop
        b = right(env)
        if b is stop:
            return stop
        if isinstance(a, bool) and isinstance(b, bool):
            return not stop
        return None
    return logic


def _compile_test(test, input_name):
    """Compile one positive unary test to fn(env) -> True/False/None (env.input is the value)."""
    kind = test[0]
    if kind == "ut_cmp":
        op, endpoint = test[1], compile_node(test[2])
        return _compile_cmp(op, lambda env: env.input, endpoint)
    if kind == "ut_interval":
        low_closed, low, high, high_closed = test[1], compile_node(test[2]), compile_node(test[3]), test[4]

        def interval(env):
            c1, c2 = compare(env.input, low(env)), compare(env.input, high(env))
            if c1 is None or c2 is None:
                return None
            return (c1 > 0 or (low_closed and c1 == 0)) and (c2 < 0 or (high_closed and c2 == 0))
        return interval
    expr = test[1]
    value = compile_node(expr)
    if uses_input(expr, input_name):
        return lambda env: value(env) is True

    literal = expr[0] == "lit"

    def expression_test(env):
        v = value(env)
        x = env.input
        if isinstance(v, list):
            return any(equals(x, to_feel(item)) is True for item in v)
        if not literal and isinstance(v, bool) and not isinstance(x, bool):
            return v
        return equals(x, v)
    return expression_test


class CompiledExpression:
    """A FEEL expression compiled once; call with an Env."""

    __slots__ = ("text", "ast", "fn")

    def __init__(self, text):
        self.text = text
        self.ast = parse_expression(text)
        self.fn = compile_node(self.ast)

    def __call__(self, env):
        return self.fn(env)

    @property
    def is_literal(self):
        return self.ast[0] == "lit" or (self.ast[0] == "neg" and self.ast[1][0] == "lit")

    def constant(self):
        """The value of a literal expression (for outputValues / priorities)."""
        return self.fn(Env({}))

    def evaluate(self, context=None):
        """The result value against a dict of variables (integral numbers as int, see `to_python`)."""
        return to_python(self.fn(Env(context or {})))


class CompiledUnaryTests:
    """An input entry compiled once; `matches(env)` with env.input set to the input value."""

    __slots__ = ("text", "ast", "is_any", "matches")

    def __init__(self, text, input_name="cellInput"):
        self.text = text
        self.ast = parse_unary_tests(text)
        self.is_any = self.ast[0] == "any"
        if self.is_any:
            self.matches = lambda env: True
            return
        tests = [_compile_test(t, input_name) for t in self.ast[1]]
        if self.ast[0] == "not":
            def matches(env):
                results = [t(env) for t in tests]
                if any(r is True for r in results):
                    return False
                return None if None in results else True
        else:
            def matches(env):
                return any(t(env) is True for t in tests)
        self.matches = matches


def evaluate(text, context=None):
    """Evaluate a FEEL expression against a dict (convenience; compiles every call)."""
    return CompiledExpression(text).evaluate(context)


def matches_unary(text, value, context=None, input_name="cellInput"):
    """True if `value` satisfies the unary tests `text` (convenience; compiles every call)."""
    tests = CompiledUnaryTests(text, input_name)
    return tests.matches(Env(context or {}, to_feel(value), input_name)) is True
