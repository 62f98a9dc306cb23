"""FEEL built-in list and context functions (registered into feel_builtins.BUILTINS)."""
import decimal
import functools
from decimal import Decimal

from .feel_builtins import as_list, builtin, integral, invoke
from .feel_types import Function
from .feel_values import DECIMAL_CONTEXT, compare, equals, to_feel


def _items(args):
    """Functions taking a list or varargs (`min([1, 2])` = `min(1, 2)`)."""
    if len(args) == 1 and isinstance(args[0], list):
        return [to_feel(v) for v in args[0]]
    if not args:
        raise TypeError("no arguments")
    return [to_feel(v) for v in args]


def _extreme(pick, args):
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


@builtin("min", "list")
def _min(*args):
    return _extreme(-1, args)


@builtin("max", "list")
def _max(*args):
    return _extreme(1, args)


def _numbers_of(args):
    items = _items(args)
    if not all(isinstance(v, Decimal) for v in items):
        raise TypeError("numbers expected")
    return items


@builtin("sum", "list")
def _sum(*args):
    items = _numbers_of(args)
    if not items:
        return None
    return functools.reduce(DECIMAL_CONTEXT.add, items, Decimal(0))


@builtin("product", "list")
def _product(*args):
    items = _numbers_of(args)
    return functools.reduce(DECIMAL_CONTEXT.multiply, items, Decimal(1)) if items else None


@builtin("mean", "list")
def _mean(*args):
    items = _numbers_of(args)
    return DECIMAL_CONTEXT.divide(_sum(items), Decimal(len(items))) if items else None


@builtin("median", "list")
def _median(*args):
    items = sorted(_numbers_of(args))
    if not items:
        return None
    mid = len(items) // 2
    if len(items) % 2:
        return items[mid]
    return DECIMAL_CONTEXT.divide(DECIMAL_CONTEXT.add(items[mid - 1], items[mid]), Decimal(2))


@builtin("stddev", "list")
def _stddev(*args):
    items = _numbers_of(args)
    if len(items) < 2:
        return None
    mean = _mean(items)
    total = sum((DECIMAL_CONTEXT.power(v - mean, 2) for v in items), Decimal(0))
    return DECIMAL_CONTEXT.sqrt(DECIMAL_CONTEXT.divide(total, Decimal(len(items) - 1)))


@builtin("mode", "list")
def _mode(*args):
    items = _numbers_of(args)
    counts = {}
    for v in items:
        counts[v] = counts.get(v, 0) + 1
    if not counts:
        return []
    top = max(counts.values())
    return sorted(v for v, n in counts.items() if n == top)


@builtin("count", "list")
def _count(items):
    return None if items is None else Decimal(len(as_list(items)))


def _logic(args, all_):
    items = _items(args) if args != ([],) else []
    if not all(v is None or isinstance(v, bool) for v in items):
        return None
    if all_:
        return False if False in items else (None if None in items else True)
    return True if True in items else (None if None in items else False)


@builtin("all", "list")
def _all(*args):
    return _logic(args, True)


@builtin("any", "list")
def _any(*args):
    return _logic(args, False)


@builtin("list contains", "list", "element")
def _list_contains(items, element):
    return any(equals(to_feel(v), element) is True for v in as_list(items))


def _position(items, position):
    if not integral(position) or position == 0 or abs(position) > len(items):
        raise IndexError("position")
    return int(position) - 1 if position > 0 else len(items) + int(position)


@builtin("sublist", "list", "start position", "length")
def _sublist(items, start, length=None):
    items = as_list(items)
    begin = _position(items, start)
    if length is None:
        return items[begin:]
    if not integral(length) or length < 0 or begin + int(length) > len(items):
        return None
    return items[begin:begin + int(length)]


@builtin("append", "list", "item")
def _append(items, *more):
    return as_list(items) + list(more)


@builtin("concatenate", "list")
def _concatenate(*lists):
    result = []
    for items in lists:
        result.extend(as_list(items))
    return result


@builtin("insert before", "list", "position", "newItem")
def _insert_before(items, position, new):
    items = list(as_list(items))
    items.insert(_position(items, position), new)
    return items


@builtin("remove", "list", "position")
def _remove(items, position):
    items = list(as_list(items))
    del items[_position(items, position)]
    return items


@builtin("reverse", "list")
def _reverse(items):
    return list(reversed(as_list(items)))


@builtin("index of", "list", "match")
def _index_of(items, match):
    return [Decimal(i) for i, v in enumerate(as_list(items), 1) if equals(to_feel(v), match) is True]


def _distinct(items):
    result = []
    for v in items:
        if not any(equals(v, seen) is True for seen in result):
            result.append(v)
    return result


@builtin("union", "list")
def _union(*lists):
    return _distinct(_concatenate(*lists))


@builtin("distinct values", "list")
def _distinct_values(items):
    return _distinct(as_list(items))


@builtin("flatten", "list")
def _flatten(items):
    result = []
    for v in as_list(items):
        result.extend(_flatten(v) if isinstance(v, list) else [v])
    return result


@builtin("sort", "list", "precedes")
def _sort(items, precedes=None):
    items = list(as_list(items))
    if precedes is None:
        def order(a, b):
            c = compare(a, b)
            if c is None:
                raise TypeError("not comparable")
            return c
    elif isinstance(precedes, Function):
        def order(a, b):
            if invoke(precedes, [a, b]) is True:
                return -1
            if invoke(precedes, [b, a]) is True:
                return 1
            return 0
    else:
        return None
    return sorted(items, key=functools.cmp_to_key(order))


@builtin("list replace", ("list", "position", "newItem"), ("list", "match", "newItem"))
def _list_replace(items, where, new):
    if items is None:
        return None
    items = list(as_list(items))
    if isinstance(where, Function):
        if len(where.params) != 2 and not where.builtin:
            return None
        result = []
        for v in items:
            match = invoke(where, [v, new])
            if not isinstance(match, bool):
                return None
            result.append(new if match else v)
        return result
    if not isinstance(where, Decimal):
        return None
    items[_position(items, where.to_integral_value(decimal.ROUND_DOWN))] = new
    return items


# -- contexts --------------------------------------------------------------------------------------

@builtin("get value", "m", "key")
def _get_value(context, key):
    if not isinstance(context, dict) or not isinstance(key, str):
        return None
    return to_feel(context.get(key))


@builtin("get entries", "m")
def _get_entries(context):
    if not isinstance(context, dict):
        return None
    return [{"key": k, "value": to_feel(v)} for k, v in context.items()]


@builtin("context", "entries")
def _context(entries):
    result = {}
    for entry in as_list(entries):
        if not isinstance(entry, dict) or "key" not in entry or "value" not in entry:
            return None
        key = entry["key"]
        if not isinstance(key, str) or key in result:
            return None
        result[key] = entry["value"]
    return result


@builtin("context put", ("context", "key", "value"), ("context", "keys", "value"))
def _context_put(context, key, value):
    if not isinstance(context, dict):
        return None
    if isinstance(key, list):
        if not key or not all(isinstance(k, str) for k in key):
            return None
        if len(key) == 1:
            return _context_put(context, key[0], value)
        inner = _context_put(to_feel(context.get(key[0])), key[1:], value)
        return None if inner is None else _context_put(context, key[0], inner)
    if not isinstance(key, str):
        return None
    result = dict(context)
    result[key] = value
    return result


@builtin("context merge", "contexts")
def _context_merge(contexts):
    result = {}
    for context in as_list(contexts):
        if not isinstance(context, dict):
            return None
        result.update(context)
    return result

