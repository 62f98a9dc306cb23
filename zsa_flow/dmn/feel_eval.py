"""The compiler from the `feel.py` AST to closures `fn(env) -> value`, and the public entry points.

Value model (see feel_values.py / feel_types.py): numbers are `decimal.Decimal`, strings, booleans,
None (FEEL null), dates, date-times, times, durations, ranges, functions, lists and dicts. Type
mismatches and arithmetic faults give null, as FEEL prescribes; a unary test that evaluates to
null does not match.
"""
from .feel import FeelSyntaxError, parse_expression, parse_unary_tests, uses_input
from .feel_builtins import BUILTINS, arity_ok, invoke
from .feel_java import java_function
from .feel_paths import get_path, is_instance
from .feel_types import Function, Range, parse_date, parse_datetime, parse_temporal  # noqa: F401 (re-exported)
from .feel_values import (DECIMAL_CONTEXT, arith, compare, equals, kind_of, negate, to_feel,  # noqa: F401
                          to_jsonable, to_python)


class Env:
    """What a compiled expression sees: the caller's variables (Python values, converted on lookup,
    each name once: `converted`, shared by the environments derived from this one, which see the
    same variables), local FEEL values (contexts, functions, iterations) and, in input entries, the
    cell input. FEEL values are never changed in place, so a converted value can be handed out again."""

    __slots__ = ("vars", "input", "input_name", "locals", "converted")

    def __init__(self, variables, input_value=None, input_name=None, local=None, converted=None):
        self.vars = variables
        self.input = input_value
        self.input_name = input_name
        self.locals = local
        self.converted = {} if converted is None else converted

    def lookup(self, name):
        local = self.locals
        if local is not None and name in local:
            return local[name]
        if name == self.input_name:
            return self.input
        converted = self.converted
        if name in converted:
            return converted[name]
        value = converted[name] = to_feel(self.vars.get(name))
        return value

    def child(self, bindings):
        local = dict(self.locals) if self.locals else {}
        local.update(bindings)
        return Env(self.vars, self.input, self.input_name, local, self.converted)


def _function(env, name):
    local = env.locals
    if local is not None and name in local:
        return local[name]
    value = env.vars.get(name)
    return value if isinstance(value, Function) else BUILTINS.get(name)


def compile_node(node):
    """Turn an expression AST into a closure fn(env) -> FEEL value."""
    kind = node[0]
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise FeelSyntaxError(f"unsupported expression {kind!r}")
    return handler(node)


def _lit(node):
    value = node[1]
    return lambda env: value


def _at(node):
    value = parse_temporal(node[1])
    if value is None:
        raise FeelSyntaxError(f"invalid @ literal {node[1]!r}")
    return lambda env: value


def _name(node):
    name = node[1]
    if "." not in name:
        return lambda env: env.lookup(name)
    head, *keys = name.split(".")  # a model name such as `Person.Gender`, else a path

    def dotted(env):
        if (env.locals is not None and name in env.locals) or name in env.vars:
            return env.lookup(name)
        value = env.lookup(head)
        for key in keys:
            value = get_path(value, key)
        return value
    return dotted


def _path(node):
    base, key = compile_node(node[1]), node[2]
    return lambda env: get_path(base(env), key)


def _list(node):
    items = [compile_node(n) for n in node[1]]
    return lambda env: [f(env) for f in items]


def _context(node):
    entries = [(key, compile_node(expr)) for key, expr in node[1]]

    def context(env):
        result = {}
        scope = env.child({})
        for key, fn in entries:
            value = fn(scope)
            result[key] = value
            scope.locals[key] = value
        return result
    return context


def _range(node):
    lo_closed, hi_closed = node[1], node[4]
    lo = compile_node(node[2]) if node[2] is not None else (lambda env: None)
    hi = compile_node(node[3]) if node[3] is not None else (lambda env: None)
    unbounded = node[2] is None or node[3] is None  # `< 10`; `null..10` is a range with a null end
    if len(node) > 5:
        unbounded = node[5]

    def make(env):
        low, high = lo(env), hi(env)
        if low is not None and high is not None and kind_of(low) != kind_of(high):
            return None
        return Range(lo_closed, low, high, hi_closed, unbounded)
    return make


def _neg(node):
    inner = compile_node(node[1])
    return lambda env: negate(inner(env))


def _bin(node):
    op, left, right = node[1], compile_node(node[2]), compile_node(node[3])
    return lambda env: arith(op, left(env), right(env))


def _cmp(node):
    return compile_cmp(node[1], compile_node(node[2]), compile_node(node[3]))


def compile_cmp(op, left, right):
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


def _logic(node):
    kind, left, right = node[0], compile_node(node[1]), compile_node(node[2])
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


def _if(node):
    cond, then, other = (compile_node(n) for n in node[1:])
    return lambda env: then(env) if cond(env) is True else other(env)


def _between(node):
    value, low, high = (compile_node(n) for n in node[1:])

    def between(env):
        v = value(env)
        c1, c2 = compare(v, low(env)), compare(v, high(env))
        return None if c1 is None or c2 is None else (c1 >= 0 and c2 <= 0)
    return between


def _in(node):
    value = compile_node(node[1])
    tests = [compile_test(t, None) for t in node[2]]

    def contains(env):
        inner = Env(env.vars, value(env), None, env.locals, env.converted)
        results = [t(inner) for t in tests]
        if True in results:
            return True
        return None if None in results else False
    return contains


def _argument(node):
    """A call argument; a built-in's name there is the function itself (`sort(l, before)`)
    unless a variable of that name exists (elsewhere a missing name is null, as always)."""
    if node[0] == "name" and node[1] in BUILTINS:
        name = node[1]

        def argument(env):
            value = env.lookup(name)
            if value is None and not (env.locals and name in env.locals) and name not in env.vars:
                return BUILTINS[name]
            return value
        return argument
    return compile_node(node)


def _call(node):
    name, args = node[1], [_argument(n) for n in node[2]]
    builtin = BUILTINS.get(name)
    if builtin is not None and not arity_ok(builtin, len(args)):
        raise FeelSyntaxError(f"function {name!r} called with {len(args)} argument(s)")
    if name in ("date", "date and time", "time", "duration") and node[2] and all(a[0] == "lit" for a in node[2]):
        constant = invoke(builtin, [a[1] for a in node[2]])
        if constant is None:
            raise FeelSyntaxError(f"invalid {name} literal {', '.join(repr(a[1]) for a in node[2])}")
        return lambda env: constant
    return lambda env: invoke(_function(env, name), [a(env) for a in args])


def _invoke(node):
    callee, args = compile_node(node[1]), [_argument(n) for n in node[2]]
    return lambda env: invoke(callee(env), [a(env) for a in args])


def _calln(node):
    callee = node[1]
    get = (lambda env: _function(env, callee)) if isinstance(callee, str) else compile_node(callee)
    named = [(key, _argument(expr)) for key, expr in node[2]]
    return lambda env: invoke(get(env), None, {k: f(env) for k, f in named})


def _instance(node):
    value, type_ = compile_node(node[1]), node[2]
    return lambda env: is_instance(value(env), type_)


def _func(node):
    params = [p for p, _ in node[1]]
    types = [t for _, t in node[1]]
    body = compile_node(node[2])
    if node[3]:  # external: a whitelisted java.lang method (feel_java.py), else a function giving null
        return lambda env: Function("external", params, java_function(body(env)) or (lambda args: None))

    def make(env):
        def run(args):
            for value, type_ in zip(args, types):
                if type_ is not None and value is not None and not is_instance(value, type_):
                    return None
            return body(env.child(dict(zip(params, args))))
        return Function("anonymous", params, run)
    return make


_HANDLERS = {
    "lit": _lit, "at": _at, "input": lambda node: (lambda env: env.input), "name": _name, "path": _path,
    "list": _list, "context": _context, "range": _range, "neg": _neg, "bin": _bin, "cmp": _cmp,
    "and": _logic, "or": _logic, "if": _if, "between": _between, "in": _in, "call": _call,
    "invoke": _invoke, "calln": _calln, "instance": _instance, "func": _func,
}


def in_range(value, rng):
    """Membership of a value in a Range: True/False, None if not comparable."""
    if (rng.lo is None or rng.hi is None) and not rng.unbounded:
        return None
    if rng.lo is not None:
        c = compare(value, rng.lo)
        if c is None:
            return None
        if c < 0 or (c == 0 and not rng.lo_closed):
            return False
    if rng.hi is not None:
        c = compare(value, rng.hi)
        if c is None:
            return None
        if c > 0 or (c == 0 and not rng.hi_closed):
            return False
    return True


def _member(x, v):
    if isinstance(v, Range):
        return in_range(x, v)
    return equals(x, v)


def compile_test(test, input_name):
    """Compile one positive unary test to fn(env) -> True/False/None (env.input is the value)."""
    kind = test[0]
    if kind == "ut_cmp":
        op, endpoint = test[1], compile_node(test[2])
        return compile_cmp(op, lambda env: env.input, endpoint)
    if kind == "ut_interval":
        low_closed, low, high, high_closed = test[1], compile_node(test[2]), compile_node(test[3]), test[4]

        def interval(env):
            lo, hi = low(env), high(env)
            if lo is None or hi is None:
                return None
            return in_range(env.input, Range(low_closed, lo, hi, high_closed))
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
            if isinstance(x, list) and equals(x, v) is True:
                return True
            results = []
            for item in v:
                item = to_feel(item)
                found = _member(x, item)
                results.append(found if isinstance(item, Range) or found is not None else False)
            return True if True in results else (None if None in results else False)
        if not literal and isinstance(v, bool) and not isinstance(x, bool):
            return v
        return _member(x, v)
    return expression_test


def _resolve_types(node, types):
    """`instance of` a model's item definition: ("type", name) -> ("def", check(value))."""
    if isinstance(node, list):
        return [_resolve_types(n, types) for n in node]
    if not isinstance(node, tuple) or not node or node[0] == "lit":
        return node
    if node[0] == "instance":
        return ("instance", _resolve_types(node[1], types), _resolve_type(node[2], types))
    return tuple(_resolve_types(part, types) if isinstance(part, (tuple, list)) else part for part in node)


def _resolve_type(type_, types):
    form = type_[0]
    if form == "type" and type_[1] in types:
        return ("def", types.instance_check(type_[1]))
    if form in ("list", "range"):
        return (form, _resolve_type(type_[1], types))
    if form == "context":
        return ("context", [(k, _resolve_type(t, types)) for k, t in type_[1]])
    return type_


class CompiledExpression:
    """A FEEL expression compiled once; call with an Env. `names`: names in scope (with spaces)."""

    __slots__ = ("text", "ast", "fn")

    def __init__(self, text, names=frozenset(), types=None):
        self.text = text
        self.ast = parse_expression(text, names)
        self.fn = compile_node(_resolve_types(self.ast, types) if types else self.ast)

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

    def __init__(self, text, input_name="cellInput", names=frozenset()):
        self.text = text
        self.ast = parse_unary_tests(text, names)
        self.is_any = self.ast[0] == "any"
        if self.is_any:
            self.matches = lambda env: True
            return
        tests = [compile_test(t, input_name) for t in self.ast[1]]
        if self.ast[0] == "not":
            def matches(env):
                results = [t(env) for t in tests]
                if any(r is True for r in results):
                    return False
                return None if None in results else True
        elif len(tests) == 1:
            matches = tests[0]
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


from . import feel_loops  # noqa: E402,F401  (registers filter, for, some/every)
