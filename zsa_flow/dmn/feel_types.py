"""FEEL value types besides numbers, strings, booleans, lists and contexts: temporal values,
durations, ranges and functions; reading and writing their ISO text forms.

date = datetime.date, date and time = datetime.datetime, time = datetime.time (tz-aware or not;
zone ids via zoneinfo), days and time duration = DTDuration (exact seconds),
years and months duration = YMDuration (months).
"""
import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from .feel_shifted import Shifted, apply, format_year, make

_ZONE_RE = r"(?P<zone>Z|[+-]\d\d:\d\d(?::\d\d)?|@[A-Za-z][\w/+\-]*)?"
_DATE_RE = r"(?P<year>-?\d{4,9})-(?P<month>\d\d)-(?P<day>\d\d)"
_TIME_RE = r"(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)(?:\.(?P<frac>\d+))?" + _ZONE_RE
DATE_RE = re.compile(_DATE_RE + r"\Z")
TIME_RE = re.compile(_TIME_RE + r"\Z")
DATETIME_RE = re.compile(_DATE_RE + "T" + _TIME_RE + r"\Z")
DURATION_RE = re.compile(r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?)S)?)?\Z")


class NanoTime(dt.time):
    """A time with digits beyond the microsecond (FEEL allows nanoseconds): they are kept for
    display; comparisons and arithmetic use the microseconds (results are plain times)."""

    __slots__ = ("nanos",)


class NanoDateTime(dt.datetime):
    """A date and time with digits beyond the microsecond (see NanoTime)."""

    __slots__ = ("nanos",)


def nanos_of(value):
    return getattr(value, "nanos", 0) if isinstance(value, (NanoTime, NanoDateTime)) else 0


def with_nanos(value, nanos):
    """The time / date-time carrying `nanos` (0..999 nanoseconds beyond its microseconds)."""
    if not nanos:
        return value
    if isinstance(value, dt.datetime):
        result = NanoDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                              value.microsecond, tzinfo=value.tzinfo)
    else:
        result = NanoTime(value.hour, value.minute, value.second, value.microsecond, tzinfo=value.tzinfo)
    result.nanos = nanos
    return result


class DTDuration:
    """days and time duration: an exact number of seconds."""

    __slots__ = ("seconds",)

    def __init__(self, seconds):
        self.seconds = Decimal(seconds)

    def __eq__(self, other):
        return isinstance(other, DTDuration) and self.seconds == other.seconds

    def __hash__(self):
        return hash(("dt", self.seconds))

    def __repr__(self):
        return f"duration({format_duration(self)!r})"

    def timedelta(self):
        whole = int(self.seconds)
        return dt.timedelta(seconds=whole, microseconds=int((self.seconds - whole) * 1_000_000))


class YMDuration:
    """years and months duration: a whole number of months."""

    __slots__ = ("months",)

    def __init__(self, months):
        self.months = int(months)

    def __eq__(self, other):
        return isinstance(other, YMDuration) and self.months == other.months

    def __hash__(self):
        return hash(("ym", self.months))

    def __repr__(self):
        return f"duration({format_duration(self)!r})"


class Range:
    """A FEEL range; `lo`/`hi` None for an open end (`< 10`, unbounded=True) or a null endpoint."""

    __slots__ = ("lo_closed", "lo", "hi", "hi_closed", "unbounded")

    def __init__(self, lo_closed, lo, hi, hi_closed, unbounded=True):
        self.lo_closed, self.lo, self.hi, self.hi_closed = lo_closed, lo, hi, hi_closed
        self.unbounded = unbounded

    def __repr__(self):
        return f"{'[' if self.lo_closed else '('}{self.lo!r}..{self.hi!r}{']' if self.hi_closed else ')'}"


class Function:
    """A FEEL function value: built-in (`impl(*args)`) or user-defined (`impl(env, args)`)."""

    __slots__ = ("name", "params", "impl", "builtin", "types")

    def __init__(self, name, params, impl, builtin=False, types=None):
        self.name, self.params, self.impl, self.builtin, self.types = name, params, impl, builtin, types

    def __repr__(self):
        params = self.params[0] if self.builtin else self.params
        return f"function {self.name}({', '.join(params)})"


def _zone(text):
    if not text:
        return None
    if text == "Z":
        return dt.timezone.utc
    if text[0] == "@":
        try:
            return ZoneInfo(text[1:])
        except (ValueError, KeyError, OSError):
            raise ValueError(f"unknown zone {text}") from None
    sign = -1 if text[0] == "-" else 1
    parts = [int(p) for p in text[1:].split(":")]
    offset = dt.timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2] if len(parts) > 2 else 0)
    if offset > dt.timedelta(hours=14):
        raise ValueError("offset out of range")
    return dt.timezone(sign * offset)


def _time_parts(m):
    hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"])
    micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
    return hour, minute, second, micro, _zone(m["zone"])


def _nanos(m):
    return int((m["frac"] or "")[6:9].ljust(3, "0"))


def _year(text):
    """The year of an ISO text: more than four digits only without leading zeros."""
    digits = text.lstrip("-")
    if len(digits) > 4 and digits.startswith("0"):
        raise ValueError("bad year")
    return int(text)


def parse_date(text):
    m = DATE_RE.match(text)
    if not m:
        return None
    try:
        return make(dt.date, _year(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        return None


def parse_time(text):
    m = TIME_RE.match(text)
    if not m:
        return None
    try:
        hour, minute, second, micro, zone = _time_parts(m)
        if hour == 24 and minute == second == micro == 0:
            hour = 0
        return with_nanos(dt.time(hour, minute, second, micro, tzinfo=zone), _nanos(m))
    except ValueError:
        return None


def parse_datetime(text):
    m = DATETIME_RE.match(text)
    if not m:
        date = parse_date(text)
        return None if date is None else apply(date, lambda d: dt.datetime(d.year, d.month, d.day))
    try:
        hour, minute, second, micro, zone = _time_parts(m)
        extra = 0
        if hour == 24 and minute == second == micro == 0:
            hour, extra = 0, 1
        value = make(dt.datetime, _year(m["year"]), int(m["month"]), int(m["day"]), hour, minute, second, micro,
                     tzinfo=zone)
        value = apply(value, lambda v: v + dt.timedelta(days=extra))
        if isinstance(value, Shifted):
            return Shifted(with_nanos(value.value, _nanos(m)), value.cycles)
        return with_nanos(value, _nanos(m))
    except (ValueError, OverflowError):
        return None


def parse_duration(text):
    m = DURATION_RE.match(text.strip()) if isinstance(text, str) else None
    if not m or text.strip().endswith(("P", "T")):
        return None
    sign, years, months, days, hours, minutes, seconds = m.groups()
    factor = -1 if sign else 1
    if days is None and hours is None and minutes is None and seconds is None:
        return YMDuration(factor * (int(years or 0) * 12 + int(months or 0)))
    if years or months:  # mixed forms: counted as days and time with 0 years/months only
        if int(years or 0) or int(months or 0):
            return None
    total = (Decimal(days or 0) * 86400 + Decimal(hours or 0) * 3600 + Decimal(minutes or 0) * 60
             + Decimal(seconds or 0))
    return DTDuration(factor * total)


def parse_temporal(text):
    """@"..." literals: date, time, date and time or duration."""
    if text.startswith(("P", "-P")):
        return parse_duration(text)
    if re.match(r"-?\d{4,}-\d\d-\d\dT", text):
        return parse_datetime(text)
    if ":" in text:
        return parse_time(text)
    return parse_date(text)


def _strip_zeros(text):
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_duration(value):
    if isinstance(value, YMDuration):
        months = abs(value.months)
        years, months = divmod(months, 12)
        body = (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
        return ("-" if value.months < 0 else "") + "P" + body
    total = abs(value.seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    body = f"{int(days)}D" if days else ""
    clock = (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "")
    if seconds:
        clock += _strip_zeros(format(seconds, "f")) + "S"
    if clock:
        body += "T" + clock
    return ("-" if value.seconds < 0 else "") + "P" + (body or "T0S")


def format_zone(tz, value=None):
    if tz is None:
        return ""
    if isinstance(tz, ZoneInfo):
        return "@" + tz.key
    offset = tz.utcoffset(value if isinstance(value, dt.datetime) else None)
    if not offset:
        return "Z"
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = int(abs(offset).total_seconds())
    text = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 else "")


def format_time(value):
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond or nanos_of(value):
        text += _strip_zeros(f".{value.microsecond:06d}{nanos_of(value):03d}")
    return text + format_zone(value.tzinfo, value)


def format_temporal(value):
    if isinstance(value, Shifted):
        return format_year(value.year) + format_temporal(value.value)[4:]
    if type(value) is dt.date:
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() + "T" + format_time(value)
    if isinstance(value, dt.time):
        return format_time(value)
    return format_duration(value)


def time_offset(value):
    """The UTC offset of a time/date-time as a DTDuration, None without one."""
    tz = value.tzinfo
    if tz is None:
        return None
    if isinstance(value, dt.time):
        offset = tz.utcoffset(None) if not isinstance(tz, ZoneInfo) else None
    else:
        offset = value.utcoffset()
    return None if offset is None else DTDuration(int(offset.total_seconds()))


def time_seconds(value):
    """Seconds since midnight (UTC when the time has an offset) for comparing times."""
    seconds = Decimal(value.hour * 3600 + value.minute * 60 + value.second) + Decimal(value.microsecond) / 1_000_000
    offset = time_offset(value)
    if offset is not None:
        seconds -= offset.seconds
    return seconds


def add_months(value, months):
    """A date/date-time moved by whole months; the day is clamped to the month's length."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        return None
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day if year < 9999 or month < 12 else 31
    return value.replace(year=year, month=month, day=min(value.day, last))


def _plain(value):
    return value.value if isinstance(value, Shifted) else value


def months_between(start, end):
    """Whole months from start to end (date/date-time), as `years and months duration` counts them."""
    months = (end.year - start.year) * 12 + _plain(end).month - _plain(start).month
    s, e = _plain(start).day, _plain(end).day  # the time of day does not count
    if months > 0 and e < s:
        months -= 1
    elif months < 0 and e > s:
        months += 1
    return months
