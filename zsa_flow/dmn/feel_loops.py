"""FEEL filters (`list[cond]`, `list[2]`) and iterations (`for`, `some`, `every`), compiled to
closures for feel_eval.py (which registers them in its handler table)."""
import datetime as dt
from decimal import Decimal

from .feel_builtins import integral
from .feel_eval import _HANDLERS, compile_node
from .feel_types import Range


def _filter(node):
    base, cond = compile_node(node[1]), compile_node(node[2])
    literal_index = node[2][0] == "lit" or (node[2][0] == "neg" and node[2][1][0] == "lit")

    def filtered(env):
        items = base(env)
        if items is None:
            return None
        if not isinstance(items, list):
            items = [items]
        if literal_index:
            index = cond(env)
            if isinstance(index, bool):
                return list(items) if index else []
            return _index(items, index)
        result = []
        for n, item in enumerate(items):
            bindings = {"item": item}
            if isinstance(item, dict):
                bindings.update(item)
            outcome = cond(env.child(bindings))
            if n == 0 and isinstance(outcome, Decimal):
                return _index(items, outcome)
            if outcome is True:
                result.append(item)
        return result
    return filtered


def _index(items, index):
    if not isinstance(index, Decimal) or index != index.to_integral_value():
        return None
    index = int(index)
    if 0 < index <= len(items):
        return items[index - 1]
    if index < 0 and -index <= len(items):
        return items[index]
    return None


MAX_ITERATIONS = 100_000  # per for/some/every (all combinations): model text is hostile input


def _bounded(count):
    if count > MAX_ITERATIONS:
        raise _NullIteration  # too many iterations: the expression is null
    return count


def _iter_values(source):
    if isinstance(source, list):
        return source
    if isinstance(source, tuple):  # `for i in a..b`: integers or dates, either direction
        lo, hi = source
        if isinstance(lo, Decimal) and isinstance(hi, Decimal) and integral(lo) and integral(hi):
            step = 1 if hi >= lo else -1
            _bounded(abs(hi - lo))
            return [Decimal(i) for i in range(int(lo), int(hi) + step, step)]
        if type(lo) is dt.date and type(hi) is dt.date:
            days = _bounded(abs((hi - lo).days)) * (1 if hi >= lo else -1)
            step = 1 if days >= 0 else -1
            return [lo + dt.timedelta(days=i) for i in range(0, days + step, step)]
        return None
    if isinstance(source, Range) and isinstance(source.lo, Decimal) and isinstance(source.hi, Decimal):
        if not (integral(source.lo) and integral(source.hi)) or source.hi < source.lo:
            return None
        lo, hi = int(source.lo) + (not source.lo_closed), int(source.hi) - (not source.hi_closed)
        _bounded(hi - lo)
        return [Decimal(i) for i in range(lo, hi + 1)]
    if isinstance(source, Range) and type(source.lo) is dt.date and type(source.hi) is dt.date:
        days = _bounded((source.hi - source.lo).days)
        if days < 0:
            return None
        first, last = int(not source.lo_closed), days - int(not source.hi_closed)
        return [source.lo + dt.timedelta(days=i) for i in range(first, last + 1)]
    if isinstance(source, Range):
        return None
    if source is None:
        return None
    return [source]


def _bindings(contexts, env):
    """All combinations of the iteration variables (later sources may use earlier variables)."""
    produced = [0]

    def expand(index, scope, bound):
        if index == len(contexts):
            produced[0] += 1
            _bounded(produced[0])
            yield bound
            return
        var, source = contexts[index]
        values = _iter_values(source(scope))
        if values is None:
            raise _NullIteration
        for value in values:
            yield from expand(index + 1, scope.child({var: value}), {**bound, var: value})
    return expand(0, env, {})


class _NullIteration(Exception):
    pass


def _for(node):
    return for_loop([(var, compile_node(src)) for var, src in node[1]], compile_node(node[2]))


def for_loop(contexts, body):
    """`for v in … return body` over compiled iteration contexts (also the boxed iterator's)."""
    def loop(env):
        result = []
        try:
            for bound in _bindings(contexts, env):
                result.append(body(env.child({**bound, "partial": result})))
        except _NullIteration:
            return None
        return result
    return loop


def _quant(node):
    return quantified_loop([(var, compile_node(src)) for var, src in node[2]], compile_node(node[3]),
                           node[1] == "every")


def quantified_loop(contexts, cond, every):
    """`some`/`every` over the bindings of `contexts` (shared with the boxed iterator)."""
    def quantified(env):
        try:
            results = [cond(env.child(bound)) for bound in _bindings(contexts, env)]
        except _NullIteration:
            return None
        return quantify(results, every)
    return quantified


def quantify(results, every):
    """some/every over condition results: null if any result is not a boolean."""
    if not all(isinstance(r, bool) for r in results):
        return None
    return all(results) if every else any(results)


def _span(node):
    lo, hi = compile_node(node[1]), compile_node(node[2])
    return lambda env: (lo(env), hi(env))


_HANDLERS.update({"filter": _filter, "for": _for, "quant": _quant, "span": _span})
