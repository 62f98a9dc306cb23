"""FEEL values: conversion from/to Python, comparison, equality and arithmetic (null on mismatch).

Numbers are `decimal.Decimal` with 34 significant digits (IEEE 754 decimal128, as DMN requires);
ints/floats from a context are converted on lookup (floats via their repr), never the reverse.
"""
import datetime as dt
import decimal
from decimal import Decimal

from .feel_shifted import BASE_YEAR, CYCLE_DAYS, Shifted, apply, split
from .feel_types import (DTDuration, Function, NanoDateTime, NanoTime, Range, YMDuration, add_months,
                         format_temporal, parse_date, parse_datetime, time_seconds)

DECIMAL_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=6144, Emin=-6143,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
MAX_EXPONENT = 1000
MAX_SIZE = 1_000_000  # characters of a string, items of a list built by FEEL (hostile input: no doubling bombs)
_SCALARS = (Decimal, str, bool, type(None))


def to_feel(value):
    """Normalise a Python value from the context into the FEEL value model (deep)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is int:
        return Decimal(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if kind is list or kind is tuple:
        return [to_feel(v) for v in value]
    if kind is dict:
        return {k: to_feel(v) for k, v in value.items()}
    return value


def to_python(value):
    """FEEL value -> result value: integral numbers become int, others stay Decimal (exact)."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 30:
            return int(value)
        return value
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def to_jsonable(value):
    """Result value -> JSON-compatible value: Decimal -> string (exact), temporal -> ISO strings."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.time, DTDuration, YMDuration)):
        return value.isoformat() if type(value) in (dt.date, dt.datetime) else format_temporal(value)
    if isinstance(value, (NanoTime, NanoDateTime)):
        return format_temporal(value)
    if isinstance(value, Shifted):
        return format_temporal(value)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (Range, Function)):
        return repr(value)
    return value


_KINDS = {Decimal: "number", bool: "boolean", str: "string", dt.datetime: "datetime", dt.date: "date",
          dt.time: "time", list: "list", dict: "context", DTDuration: "dtduration", YMDuration: "ymduration",
          Range: "range", Function: "function", NanoDateTime: "datetime", NanoTime: "time"}


def kind_of(value):
    kind = type(value)
    if kind is Shifted:
        return "date" if type(value.value) is dt.date else "datetime"
    return _KINDS.get(kind) or kind.__name__


def _coerce_pair(a, b):
    """ISO strings compared with dates/date-times are read as such (task data holds ISO strings)."""
    ta, tb = type(a), type(b)
    if ta is str and tb is dt.date:
        return parse_date(a), b
    if tb is str and ta is dt.date:
        return a, parse_date(b)
    if ta is str and tb is dt.datetime:
        return parse_datetime(a), b
    if tb is str and ta is dt.datetime:
        return a, parse_datetime(b)
    return a, b


def _utc(value):
    """Naive date-times compare as if they were UTC with aware ones."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def _key(value, kind):
    """What comparisons compare; times and date-times to the millisecond (as the TCK expects)."""
    if kind == "dtduration":
        return value.seconds
    if kind == "ymduration":
        return value.months
    if kind == "time":
        return time_seconds(value).quantize(Decimal("0.001"), rounding=decimal.ROUND_DOWN)
    if kind == "datetime" and value.microsecond % 1000:
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def compare(a, b):
    """-1/0/1, or None if the values are not comparable (null, different types)."""
    kind = type(a)
    if kind is type(b):  # what the general path below does for these exact types
        if kind is str or kind is Decimal:
            return (a > b) - (a < b)
        if kind is dt.date and (a.year - BASE_YEAR) // 400 == 0 == (b.year - BASE_YEAR) // 400:
            return (a > b) - (a < b)  # `split` leaves such dates as they are, with no cycles
    if a is None or b is None:
        return None
    a, b = _coerce_pair(a, b)
    kind = kind_of(a)
    if a is None or b is None or kind != kind_of(b):
        return None
    if kind not in ("number", "string", "date", "datetime", "time", "dtduration", "ymduration"):
        return None
    if kind in ("date", "datetime"):
        (a, cycles_a), (b, cycles_b) = split(a), split(b)
        if cycles_a != cycles_b:
            return (cycles_a > cycles_b) - (cycles_a < cycles_b)
    a, b = _key(a, kind), _key(b, kind)
    if kind == "datetime" and (a.tzinfo is None) != (b.tzinfo is None):
        a, b = _utc(a), _utc(b)
    return (a > b) - (a < b)


def equals(a, b):
    """FEEL equality: True/False, None for values of different types."""
    kind = type(a)
    if kind is type(b) and (kind is str or kind is bool or kind is Decimal):  # as the general path below
        return a == b if kind is not Decimal else (a > b) - (a < b) == 0
    if a is None or b is None:
        return a is None and b is None
    a, b = _coerce_pair(a, b)
    if a is None or b is None:
        return None
    kind = kind_of(a)
    if kind != kind_of(b):
        return None
    if kind == "list":
        return len(a) == len(b) and all(equals(to_feel(x), to_feel(y)) is True for x, y in zip(a, b))
    if kind == "context":
        return a.keys() == b.keys() and all(equals(to_feel(a[k]), to_feel(b[k])) is True for k in a)
    if kind == "range":
        return (a.lo_closed == b.lo_closed and a.hi_closed == b.hi_closed and a.unbounded == b.unbounded
                and equals(a.lo, b.lo) is True and equals(a.hi, b.hi) is True)
    if kind in ("number", "string", "boolean", "date", "datetime", "time", "dtduration", "ymduration"):
        return compare(a, b) == 0 if kind != "boolean" else a == b
    return a is b


def negate(value):
    if isinstance(value, Decimal):
        return -value
    if isinstance(value, DTDuration):
        return DTDuration(-value.seconds)
    if isinstance(value, YMDuration):
        return YMDuration(-value.months)
    return None


def _power(a, b):
    if b == b.to_integral_value():
        if abs(b) > MAX_EXPONENT:
            return None
        return DECIMAL_CONTEXT.power(a, b)
    if a < 0:
        return None
    return DECIMAL_CONTEXT.power(a, b)


def _numbers(op, a, b):
    if op == "+":
        return DECIMAL_CONTEXT.add(a, b)
    if op == "-":
        return DECIMAL_CONTEXT.subtract(a, b)
    if op == "*":
        return DECIMAL_CONTEXT.multiply(a, b)
    if op == "/":
        return DECIMAL_CONTEXT.divide(a, b)
    return _power(a, b)


def arith(op, a, b):
    """a op b for + - * / **; None (FEEL null) for unsupported operand types and faults."""
    try:
        if type(a) is Decimal and type(b) is Decimal:
            return _numbers(op, a, b)
        if a is None or b is None:
            return None
        if op == "+" and type(a) is str and type(b) is str:
            return a + b if len(a) + len(b) <= MAX_SIZE else None
        return _temporal(op, a, b)
    except (ArithmeticError, ValueError, OverflowError, TypeError):
        return None


def _temporal(op, a, b):
    ka, kb = kind_of(a), kind_of(b)
    if op in "+-":
        if ka == kb and ka in ("dtduration", "ymduration"):
            sign = 1 if op == "+" else -1
            if ka == "dtduration":
                return DTDuration(a.seconds + sign * b.seconds)
            return YMDuration(a.months + sign * b.months)
        if ka in ("date", "datetime", "time") and kb in ("dtduration", "ymduration"):
            return shift(a, b if op == "+" else negate(b))
        if op == "+" and kb in ("date", "datetime", "time") and ka in ("dtduration", "ymduration"):
            return shift(b, a)
        if op == "-" and ka in ("date", "datetime") and kb in ("date", "datetime"):
            return _difference(a, b)
        if op == "-" and ka == kb == "time":
            return DTDuration(time_seconds(a) - time_seconds(b))
        return None
    if op == "*":
        if ka == "number" and kb in ("dtduration", "ymduration"):
            a, b, ka, kb = b, a, kb, ka
        if kb == "number" and ka == "dtduration":
            return DTDuration(DECIMAL_CONTEXT.multiply(a.seconds, b))
        if kb == "number" and ka == "ymduration":
            return YMDuration(int(DECIMAL_CONTEXT.multiply(Decimal(a.months), b).to_integral_value(decimal.ROUND_DOWN)))
        return None
    if op == "/":
        if ka == "dtduration" and kb == "number":
            return DTDuration(DECIMAL_CONTEXT.divide(a.seconds, b))
        if ka == "ymduration" and kb == "number":
            return YMDuration(int(DECIMAL_CONTEXT.divide(Decimal(a.months), b).to_integral_value(decimal.ROUND_DOWN)))
        if ka == kb == "dtduration":
            return DECIMAL_CONTEXT.divide(a.seconds, b.seconds)
        if ka == kb == "ymduration":
            return DECIMAL_CONTEXT.divide(Decimal(a.months), Decimal(b.months))
    return None


def _difference(a, b):
    """a - b for dates / date-times: a date counts as midnight UTC; with and without a zone: null."""
    (a, cycles_a), (b, cycles_b) = split(a), split(b)
    both_dates = type(a) is dt.date and type(b) is dt.date
    if type(a) is dt.date:
        a = dt.datetime(a.year, a.month, a.day, tzinfo=None if both_dates else dt.timezone.utc)
    if type(b) is dt.date:
        b = dt.datetime(b.year, b.month, b.day, tzinfo=None if both_dates else dt.timezone.utc)
    if (a.tzinfo is None) != (b.tzinfo is None):
        return None
    delta = a - b
    days = delta.days + (cycles_a - cycles_b) * CYCLE_DAYS
    return DTDuration(Decimal(days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 1_000_000)


def shift(value, duration):
    """date / date and time / time plus a duration (None outside the calendar)."""
    if isinstance(value, Shifted):
        return apply(value, lambda v: shift(v, duration))
    if isinstance(duration, YMDuration):
        if isinstance(value, dt.time):
            return None
        return add_months(value, duration.months)
    if type(value) is dt.date:
        moved = dt.datetime(value.year, value.month, value.day) + duration.timedelta()
        return moved.date()
    if isinstance(value, dt.datetime):
        return value + duration.timedelta()
    base = dt.datetime(2000, 1, 1, value.hour, value.minute, value.second, value.microsecond)
    moved = base + duration.timedelta()
    return moved.time().replace(tzinfo=value.tzinfo)
