"""Runtime guards and builtins for the BPMN script sandbox (used by `script_engine`).

Attribute access is an allow-list per type (`ATTRIBUTES`); operations that can build huge values in
one C call (`* ** << + %`, `join`, `replace`, `extend`, `range`, `str()`, f-string values) are
size-checked before they run. Anything refused raises `SandboxViolation`.
"""
import operator
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, guarded_unpack_sequence

MAX_ITEMS = 1_000_000        # characters / elements a single operation may produce
MAX_INT_BITS = 10_000        # ~3000 decimal digits; keeps every int JSON-serialisable
MAX_FORMAT_WIDTH = 1_000
MAX_DECIMAL_EXPONENT = 1_000  # also the Emax/Emin scripts run with: int()/round() of 1E+999999 takes minutes


class SandboxViolation(BaseException):
    """Raised by the guards; a BaseException so that `except Exception` in a script cannot hide it."""


def _limit(size, what):
    if size > MAX_ITEMS:
        raise SandboxViolation(f"{what} wäre zu groß ({size} > {MAX_ITEMS} Zeichen/Elemente)")


def _limit_bits(bits):
    if bits > MAX_INT_BITS:
        raise SandboxViolation(f"Zahl wäre zu groß (mehr als {MAX_INT_BITS} Bit)")


def _size(obj):
    """Rough element count of obj (chars of strings, items of containers); raises above MAX_ITEMS."""
    stack, total = [obj], 0
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            _limit(total, "Wert")
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            _limit(total, "Wert")
            stack.extend(item)
        else:
            total += 1
        _limit(total, "Wert")
    return total


_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
        "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<<": operator.lshift,
        ">>": operator.rshift, "|": operator.or_, "^": operator.xor, "&": operator.and_,
        "@": operator.matmul}
_SEQUENCES = (str, bytes, list, tuple)
_PERCENT_FIELD = re.compile(r"[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?")


def _percent_numbers(fmt):
    """(width, precision) of every %-conversion, parsing `%(key)` with nested parentheses as Python does."""
    found, i = [], fmt.find("%")
    while i >= 0:
        i += 1
        if fmt.startswith("(", i):
            depth = 0
            while i < len(fmt):
                depth += {"(": 1, ")": -1}.get(fmt[i], 0)
                i += 1
                if depth == 0:
                    break
        field = _PERCENT_FIELD.match(fmt, i)
        found.append(field.groups(""))
        i = fmt.find("%", field.end() + 1)
    return found


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_mul(a, b):
    seq, n = (a, b) if isinstance(a, _SEQUENCES) else (b, a)
    if isinstance(seq, _SEQUENCES) and isinstance(n, int):
        _limit(len(seq) * n, "Wiederholung")
    elif _is_int(a) and _is_int(b):
        _limit_bits(a.bit_length() + b.bit_length())


def _check_add(a, b):
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        _limit(len(a) + len(b), "Verkettung")


def _check_pow(a, b):
    if _is_int(a) and _is_int(b) and b > 0 and abs(a) > 1:
        _limit_bits(b * a.bit_length())


def _check_lshift(a, b):
    if _is_int(a) and _is_int(b) and a:
        _limit_bits(a.bit_length() + b)


def _check_mod(a, b):
    if isinstance(a, (str, bytes)):
        text = a.decode("latin-1") if isinstance(a, bytes) else a
        for width, precision in _percent_numbers(text):
            for number in (width, precision):
                if number == "*" or (number and int(number) > MAX_FORMAT_WIDTH):
                    raise SandboxViolation(f"Formatbreite {number!r} ist nicht erlaubt")
        _size(b)


_CHECKS = {"*": _check_mul, "+": _check_add, "**": _check_pow, "<<": _check_lshift, "%": _check_mod}
_INPLACE = {op + "=": op for op in _OPS}


def _binop(op, a, b):
    if op != "+" or isinstance(a, _SEQUENCES):  # fast path for numeric addition
        check = _CHECKS.get(op)
        if check is not None:
            check(a, b)
    return _OPS[op](a, b)


def _inplacevar(op, a, b):
    return _binop(_INPLACE[op], a, b)


def _augitem(obj, key, op, value):
    target = full_write_guard(obj)
    target[key] = _binop(op, obj[key], value)


def _fmt(value):
    _size(value)
    return value


def _join(sep, items):
    items = list(items)
    _limit(sum(len(i) if isinstance(i, str) else 1 for i in items) + len(sep) * len(items), "join()")
    return sep.join(items)


def _replace(text, old, new, count=-1):
    if len(new) > len(old):
        hits = text.count(old) if old else len(text) + 1
        hits = min(hits, count) if count >= 0 else hits
        _limit(len(text) + hits * (len(new) - len(old)), "replace()")
    return text.replace(old, new, count)


def _extend(target, items):
    items = list(items)
    _limit(len(target) + len(items), "extend()")
    target.extend(items)


WRAPPED = {(str, "join"): _join, (str, "replace"): _replace, (list, "extend"): _extend}
_DATE = {"year", "month", "day", "weekday", "isoweekday", "isoformat", "replace"}
ATTRIBUTES = {
    str: {"lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "rsplit",
          "splitlines", "join", "replace", "find", "rfind", "index", "count", "isdigit", "isalpha",
          "isalnum", "isspace", "isdecimal", "isnumeric", "title", "capitalize", "casefold",
          "removeprefix", "removesuffix", "partition", "rpartition", "islower", "isupper"},
    dict: {"get", "keys", "values", "items", "copy", "update", "pop", "setdefault", "clear"},
    list: {"append", "extend", "insert", "remove", "pop", "index", "count", "sort", "reverse", "copy", "clear"},
    tuple: {"index", "count"},
    set: {"add", "discard", "remove", "union", "intersection", "difference", "issubset", "issuperset", "copy"},
    float: {"is_integer"},
    Decimal: {"quantize", "to_integral_value"},
    date: _DATE, datetime: _DATE | {"hour", "minute", "second", "date"},
    timedelta: {"days", "seconds", "total_seconds"},
}
CLASS_ATTRIBUTES = {date: {"fromisoformat"}, datetime: {"fromisoformat"}}


def _getattr(obj, name, *default):
    allowed = CLASS_ATTRIBUTES.get(obj, ()) if isinstance(obj, type) else ATTRIBUTES.get(type(obj), ())
    if isinstance(obj, Exception) and not isinstance(obj, type):
        allowed = {"args"}
    if name not in allowed:
        raise SandboxViolation(f"Zugriff auf '{name}' ist nicht erlaubt")
    wrapper = WRAPPED.get((type(obj), name))
    if wrapper is not None:
        return lambda *args, **kwargs: wrapper(obj, *args, **kwargs)
    return getattr(obj, name)


def _apply(function, *args, **kwargs):
    return function(*args, **kwargs)


def _range(*args):
    result = range(*args)
    try:
        size = len(result)
    except OverflowError:
        size = MAX_ITEMS + 1
    _limit(size, "range()")
    return result


def _str(*args):
    if args:
        _size(args[0])
    return str(*args)


def _decimal(value="0"):
    result = Decimal(value)
    if result.is_finite() and abs(result.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise SandboxViolation(f"Decimal wäre zu groß (Exponent über {MAX_DECIMAL_EXPONENT})")
    return result


def _int(value=0, *args):
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > MAX_DECIMAL_EXPONENT:
        raise SandboxViolation("Zahl wäre zu groß")
    return int(value, *args)


def _sum(values, start=0):
    if not isinstance(start, (int, float, Decimal)):
        raise TypeError("sum() addiert nur Zahlen")
    return sum(values, start)


_REAL_TYPES = {_str: str, _int: int, _range: range, _decimal: Decimal}


def _isinstance(obj, classes):
    classes = tuple(classes) if isinstance(classes, tuple) else (classes,)
    return isinstance(obj, tuple(_REAL_TYPES.get(c, c) for c in classes))


EXCEPTIONS = {e.__name__: e for e in (Exception, ValueError, TypeError, KeyError, IndexError,
                                      ZeroDivisionError, ArithmeticError, LookupError)}
BUILTINS = {
    "len": len, "min": min, "max": max, "abs": abs, "round": round, "sorted": sorted,
    "reversed": reversed, "enumerate": enumerate, "zip": zip, "any": any, "all": all,
    "sum": _sum, "range": _range, "int": _int, "float": float, "str": _str, "bool": bool,
    "list": list, "dict": dict, "set": set, "tuple": tuple, "isinstance": _isinstance,
    "Decimal": _decimal, "date": date, "datetime": datetime, "timedelta": timedelta,
    "None": None, "True": True, "False": False, **EXCEPTIONS,
}
GUARDS = {
    "_getattr_": _getattr, "_getitem_": operator.getitem, "_getiter_": iter, "_write_": full_write_guard,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence, "_unpack_sequence_": guarded_unpack_sequence,
    "_inplacevar_": _inplacevar, "_apply_": _apply, "_zsa_binop_": _binop, "_zsa_fmt_": _fmt,
    "_zsa_augitem_": _augitem,
}
