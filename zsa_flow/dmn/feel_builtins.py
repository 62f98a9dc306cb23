"""FEEL built-in functions: registry, invocation (positional and named) and the conversion,
boolean, string and numeric functions. Lists/contexts: feel_builtins_lists.py; temporal values
and ranges: feel_builtins_time.py. A fault inside a function gives null, never an exception.
"""
import datetime as dt
import decimal
import inspect
import re
from decimal import Decimal

from .feel_types import (DTDuration, Function, Range, YMDuration, format_temporal, nanos_of, parse_date,
                         parse_datetime, parse_duration, parse_time, with_nanos)
from .feel_regex import xpath_regex
from .feel_shifted import Shifted, apply, make
from .feel_values import DECIMAL_CONTEXT, MAX_SIZE, kind_of, to_feel

BUILTINS = {}
_FAULTS = (ArithmeticError, ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError,
           re.error, RecursionError)


def builtin(name, *params, counts=None):
    """Register a built-in; `params` are the FEEL parameter names (tuples for overloads);
    `counts`: the allowed numbers of arguments where the signature does not tell."""
    def register(fn):
        sig = inspect.signature(fn).parameters.values()
        low = sum(1 for p in sig if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD)
        high = None if any(p.kind == p.VAR_POSITIONAL for p in sig) else len(sig)
        if any(p.kind == p.VAR_POSITIONAL for p in sig) and low == 0 and counts is None:
            low = 1
        overloads = params if params and isinstance(params[0], tuple) else (params,)
        BUILTINS[name] = Function(name, overloads, fn, builtin=True, types=counts or (low, high))
        return fn
    return register


def arity_ok(fn, count):
    allowed = fn.types
    if isinstance(allowed, frozenset):
        return count in allowed
    return count >= allowed[0] and (allowed[1] is None or count <= allowed[1])


def invoke(fn, args, named=None):
    """Call a FEEL function value; anything that is not a function, or a fault, gives null."""
    if not isinstance(fn, Function):
        return None
    if named is not None:
        args = _positional(fn, named)
        if args is None:
            return None
    if fn.builtin:
        if not arity_ok(fn, len(args)):
            return None
        try:
            return _sized(fn.impl(*args))
        except TypeError:
            if not any(isinstance(a, list) and len(a) == 1 for a in args):
                return None
        except _FAULTS:
            return None
        try:  # a singleton list where a single value is expected stands for its item
            return _sized(fn.impl(*(a[0] if isinstance(a, list) and len(a) == 1 else a for a in args)))
        except _FAULTS:
            return None
    if len(args) != len(fn.params):
        return None
    try:
        return fn.impl(args)
    except RecursionError:
        return None


def _sized(value):
    """Strings and lists beyond MAX_SIZE are null (a model cannot build memory bombs)."""
    if isinstance(value, (str, list)) and len(value) > MAX_SIZE:
        return None
    return value


def _positional(fn, named):
    overloads = fn.params if fn.builtin else (tuple(fn.params),)
    for names in overloads:
        if set(named) <= set(names):
            args = [named.get(n) for n in names]
            low = fn.types[0] if fn.builtin and not isinstance(fn.types, frozenset) else len(args)
            while fn.builtin and len(args) > low and names[len(args) - 1] not in named:
                args.pop()
            return args
    return None


def integral(value):
    return isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()


def as_list(value):
    return value if isinstance(value, list) else [value]


# -- conversion ------------------------------------------------------------------------------------

def number_text(value):
    if value == value.to_integral_value() and value.adjusted() < 34:
        return str(value.quantize(Decimal(1)))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_string(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, dt.time, DTDuration, YMDuration, Shifted)):
        return format_temporal(value)
    if isinstance(value, list):
        return "[" + ", ".join(_inner(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inner(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Range):
        return (("[" if value.lo_closed else "(") + _inner(value.lo) + ".." + _inner(value.hi)
                + ("]" if value.hi_closed else ")"))
    return str(value)


def _inner(value):
    value = to_feel(value)
    if value is None:
        return "null"
    if isinstance(value, str):
        return '"' + value + '"'
    return to_string(value)


@builtin("string", "from")
def _string(value):
    return to_string(value)


@builtin("number", "from", "grouping separator", "decimal separator")
def _number(value, grouping=None, decimal_sep=None):
    if grouping not in (None, " ", ",", ".") or decimal_sep not in (None, ".", ","):
        return None
    if grouping is not None and grouping == decimal_sep:
        return None
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if grouping:
        text = text.replace(grouping, "")
    if decimal_sep:
        text = text.replace(decimal_sep, ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        return None
    return Decimal(text)


@builtin("date", ("from",), ("year", "month", "day"), counts=frozenset({1, 3}))
def _date(*args):
    if len(args) == 1:
        (value,) = args
        if isinstance(value, str):
            return parse_date(value)
        if kind_of(value) == "datetime":
            return apply(value, lambda v: v.date())
        return value if kind_of(value) == "date" else None
    if len(args) == 3 and all(integral(a) for a in args):
        return make(dt.date, *(int(a) for a in args))
    return None


@builtin("date and time", ("from",), ("date", "time"), counts=frozenset({1, 2}))
def _date_and_time(*args):
    if len(args) == 2:
        date, time = args
        if kind_of(date) not in ("date", "datetime") or not isinstance(time, dt.time):
            return None
        return apply(date, lambda d: with_nanos(dt.datetime.combine(d if type(d) is dt.date else d.date(), time,
                                                                    tzinfo=time.tzinfo), nanos_of(time)))
    if len(args) != 1:
        return None
    value = args[0]
    if isinstance(value, str):
        return parse_datetime(value)
    if kind_of(value) == "date":
        return apply(value, lambda d: dt.datetime(d.year, d.month, d.day))
    return value if kind_of(value) == "datetime" else None


@builtin("time", ("from",), ("hour", "minute", "second", "offset"), counts=frozenset({1, 3, 4}))
def _time(*args):
    if len(args) == 1:
        value = args[0]
        if isinstance(value, str):
            return parse_time(value)
        if isinstance(value, Shifted):
            value = value.value
        if isinstance(value, dt.datetime):
            return with_nanos(value.timetz(), nanos_of(value))
        if type(value) is dt.date:
            return dt.time(0, 0, 0, tzinfo=dt.timezone.utc)
        return value if isinstance(value, dt.time) else None
    if len(args) in (3, 4) and integral(args[0]) and integral(args[1]) and isinstance(args[2], Decimal):
        tz = None
        if len(args) == 4 and args[3] is not None:
            if not isinstance(args[3], DTDuration):
                return None
            tz = dt.timezone(args[3].timedelta())
        seconds = args[2]
        micro = int((seconds - int(seconds)) * 1_000_000)
        return dt.time(int(args[0]), int(args[1]), int(seconds), micro, tzinfo=tz)
    return None


@builtin("duration", "from")
def _duration(value):
    return parse_duration(value) if isinstance(value, str) else None


@builtin("years and months duration", "from", "to")
def _ym_duration(start, end):
    from .feel_types import months_between
    if kind_of(start) not in ("date", "datetime") or kind_of(end) not in ("date", "datetime"):
        return None
    return YMDuration(months_between(start, end))


# -- boolean ---------------------------------------------------------------------------------------

@builtin("not", "negand")
def _not(value):
    return (not value) if isinstance(value, bool) else None


# -- strings ---------------------------------------------------------------------------------------

def _strings(*values):
    if not all(isinstance(v, str) for v in values):
        raise TypeError("string expected")


@builtin("substring", "string", "start position", "length")
def _substring(text, start, length=None):
    _strings(text)
    if not integral(start) or start == 0 or (length is not None and (not isinstance(length, Decimal) or length < 0)):
        return None
    chars = list(text)
    begin = int(start) - 1 if start > 0 else len(chars) + int(start)
    if begin < 0 or begin >= len(chars) + (1 if start > 0 else 0):
        return None if begin < 0 else ""
    end = len(chars) if length is None else begin + int(length)
    return "".join(chars[begin:end])


@builtin("string length", "string")
def _string_length(text):
    _strings(text)
    return Decimal(len(text))


@builtin("upper case", "string")
def _upper(text):
    _strings(text)
    return text.upper()


@builtin("lower case", "string")
def _lower(text):
    _strings(text)
    return text.lower()


@builtin("substring before", "string", "match")
def _before(text, match):
    _strings(text, match)
    return text.split(match, 1)[0] if match and match in text else ""


@builtin("substring after", "string", "match")
def _after(text, match):
    _strings(text, match)
    if not match:
        return text
    return text.split(match, 1)[1] if match in text else ""


@builtin("contains", "string", "match")
def _contains(text, match):
    _strings(text, match)
    return match in text


@builtin("starts with", "string", "match")
def _starts(text, match):
    _strings(text, match)
    return text.startswith(match)


@builtin("ends with", "string", "match")
def _ends(text, match):
    _strings(text, match)
    return text.endswith(match)


@builtin("matches", "input", "pattern", "flags")
def _matches(text, pattern, flags=None):
    _strings(text)
    return xpath_regex(pattern, flags).search(text) is not None


@builtin("replace", "input", "pattern", "replacement", "flags")
def _replace(text, pattern, replacement, flags=None):
    _strings(text, replacement)
    regex = xpath_regex(pattern, flags)
    if regex.fullmatch("") is not None:
        return None  # XPath: a pattern matching the empty string is an error
    if flags and "q" in flags:
        return regex.sub(lambda m: replacement, text)
    parts = re.findall(r"\\(.)|\$(\d)|([^\\$]+)|(.)", replacement)

    def expand(match):
        out = []
        for escaped, group, plain, other in parts:
            if group:
                out.append(match.group(int(group)) or "" if int(group) <= regex.groups else "")
            else:
                out.append(escaped or plain or other)
        return "".join(out)
    return regex.sub(expand, text)


@builtin("split", "string", "delimiter")
def _split(text, delimiter):
    _strings(text, delimiter)
    regex = xpath_regex(delimiter, None)
    if regex.fullmatch("") is not None:
        return None
    parts, start = [], 0
    for match in regex.finditer(text):
        parts.append(text[start:match.start()])
        start = match.end()
    return parts + [text[start:]]


@builtin("string join", "list", "delimiter", "prefix", "suffix", counts=frozenset({1, 2, 4}))
def _string_join(items, delimiter=None, prefix=None, suffix=None):
    if items is None:
        return None
    items = as_list(items)
    if not all(v is None or isinstance(v, str) for v in items):
        return None
    if delimiter is not None:
        _strings(delimiter)
    text = (delimiter or "").join(v for v in items if v is not None)
    return (prefix or "") + text + (suffix or "")


# -- numbers ---------------------------------------------------------------------------------------

def _numbers(*values):
    if not all(isinstance(v, Decimal) for v in values):
        raise TypeError("number expected")


_OMITTED = object()


def _scaled(value, scale, rounding):
    _numbers(value)
    if scale is _OMITTED:
        scale = Decimal(0)
    if not integral(scale) or not -6111 <= scale <= 6176:
        return None
    if value.as_tuple().exponent >= -int(scale):
        return value  # already that precise (also where quantize would exceed 34 digits)
    return value.quantize(Decimal(1).scaleb(-int(scale)), rounding=rounding, context=DECIMAL_CONTEXT)


@builtin("decimal", "n", "scale")
def _decimal(value, scale):
    _numbers(value, scale)
    return _scaled(value, scale.to_integral_value(decimal.ROUND_DOWN), decimal.ROUND_HALF_EVEN)


def _rounder(mode):
    def rounded(n, scale=_OMITTED):
        return _scaled(n, scale, mode)
    return rounded


for _name, _mode in (("floor", decimal.ROUND_FLOOR), ("ceiling", decimal.ROUND_CEILING),
                     ("round up", decimal.ROUND_UP), ("round down", decimal.ROUND_DOWN),
                     ("round half up", decimal.ROUND_HALF_UP), ("round half down", decimal.ROUND_HALF_DOWN)):
    builtin(_name, "n", "scale")(_rounder(_mode))


@builtin("abs", "n")
def _abs(value):
    if isinstance(value, (DTDuration, YMDuration)):
        return type(value)(abs(value.seconds if isinstance(value, DTDuration) else value.months))
    _numbers(value)
    return abs(value)


@builtin("modulo", "dividend", "divisor")
def _modulo(dividend, divisor):
    _numbers(dividend, divisor)
    if divisor == 0:
        return None
    quotient = DECIMAL_CONTEXT.divide(dividend, divisor).to_integral_value(decimal.ROUND_FLOOR)
    return DECIMAL_CONTEXT.subtract(dividend, DECIMAL_CONTEXT.multiply(divisor, quotient))


@builtin("sqrt", "number")
def _sqrt(value):
    _numbers(value)
    return DECIMAL_CONTEXT.sqrt(value) if value >= 0 else None


@builtin("log", "number")
def _log(value):
    _numbers(value)
    return DECIMAL_CONTEXT.ln(value) if value > 0 else None


@builtin("exp", "number")
def _exp(value):
    _numbers(value)
    return DECIMAL_CONTEXT.exp(value)


@builtin("odd", "number")
def _odd(value):
    _numbers(value)
    return int(value) % 2 == 1 if integral(value) else None


@builtin("even", "number")
def _even(value):
    _numbers(value)
    return int(value) % 2 == 0 if integral(value) else None


from . import feel_builtins_lists, feel_builtins_time  # noqa: E402,F401  (register the rest)
