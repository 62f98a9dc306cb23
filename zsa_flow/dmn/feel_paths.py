"""FEEL path expressions (`a.b`, properties of temporal values and ranges) and `instance of`."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from .feel_shifted import Shifted
from .feel_types import DTDuration, Function, Range, YMDuration, time_offset
from .feel_values import kind_of, to_feel

_DATE_PARTS = ("year", "month", "day")
_TIME_PARTS = ("hour", "minute", "second")


def _temporal_part(value, key):
    if isinstance(value, Shifted):
        return Decimal(value.year) if key == "year" else _temporal_part(value.value, key)
    kind = dt.datetime if isinstance(value, dt.datetime) else type(value)
    if kind in (dt.date, dt.datetime):
        if key in _DATE_PARTS:
            return Decimal(getattr(value, key))
        if key == "weekday":
            return Decimal(value.isoweekday())  # FEEL weekday: Monday = 1
    if kind in (dt.datetime, dt.time) or isinstance(value, dt.time):
        if key in _TIME_PARTS:
            return Decimal(getattr(value, key))
        if key == "time offset":
            return time_offset(value)
        if key == "timezone":
            return value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
    return None


def _duration_part(value, key):
    if isinstance(value, YMDuration):
        sign = -1 if value.months < 0 else 1
        if key == "years":
            return Decimal(sign * (abs(value.months) // 12))
        if key == "months":
            return Decimal(sign * (abs(value.months) % 12))
        return None
    total = abs(value.seconds)
    sign = -1 if value.seconds < 0 else 1
    parts = {"days": total // 86400, "hours": total % 86400 // 3600, "minutes": total % 3600 // 60,
             "seconds": total % 60 // 1}
    part = parts.get(key)
    return None if part is None else sign * part


def get_path(base, key):
    if isinstance(base, dict):
        return to_feel(base.get(key))
    if isinstance(base, (dt.date, dt.time, Shifted)):
        return _temporal_part(base, key)
    if isinstance(base, (DTDuration, YMDuration)):
        return _duration_part(base, key)
    if isinstance(base, Range):
        return {"start": base.lo, "end": base.hi, "start included": base.lo_closed,
                "end included": base.hi_closed}.get(key)
    if isinstance(base, list):
        return [get_path(to_feel(item), key) for item in base]
    return None


_SIMPLE = {"number": "number", "string": "string", "boolean": "boolean", "date": "date",
           "date and time": "datetime", "dateTime": "datetime", "time": "time",
           "days and time duration": "dtduration", "dayTimeDuration": "dtduration",
           "years and months duration": "ymduration", "yearMonthDuration": "ymduration",
           "list": "list", "context": "context", "range": "range", "function": "function"}


def is_instance(value, type_):
    """`value instance of type` for a parsed type (see feel.py)."""
    form = type_[0]
    if form == "type":
        name = type_[1].split(":")[-1] if type_[1].startswith(("feel:", "FEEL:")) else type_[1]
        if name == "Any":
            return value is not None
        if name == "Null":
            return value is None
        kind = _SIMPLE.get(name)
        if kind is None:
            return None
        return value is not None and kind_of(value) == kind
    if form == "def":
        return type_[1](value)
    if value is None:
        return False
    if form == "list":
        return isinstance(value, list) and all(is_instance(v, type_[1]) for v in value if v is not None)
    if form == "range":
        return isinstance(value, Range) and all(
            v is None or is_instance(v, type_[1]) for v in (value.lo, value.hi))
    if form == "context":
        return isinstance(value, dict) and all(
            key in value and (value[key] is None or is_instance(value[key], t)) for key, t in type_[1])
    if form == "function":
        return isinstance(value, Function)
    return False
