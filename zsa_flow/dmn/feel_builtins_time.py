"""FEEL built-in temporal and range functions (registered into feel_builtins.BUILTINS)."""
import datetime as dt
from decimal import Decimal

from .feel_builtins import builtin
from .feel_shifted import Shifted
from .feel_types import Range
from .feel_values import compare, equals, kind_of

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _date_of(value):
    """The date's stand-in (same calendar, feel_shifted.py) or the date itself."""
    if kind_of(value) not in ("date", "datetime"):
        raise TypeError("date expected")
    return value.value if isinstance(value, Shifted) else value


@builtin("is", "value1", "value2")
def _is(a, b):
    if a is None or b is None or kind_of(a) != kind_of(b):
        return False
    if isinstance(a, (dt.time, dt.datetime)):
        return a == b and a.tzinfo == b.tzinfo if a.tzinfo or b.tzinfo else a == b
    return equals(a, b) is True


@builtin("day of year", "date")
def _day_of_year(value):
    return Decimal(_date_of(value).timetuple().tm_yday)


@builtin("day of week", "date")
def _day_of_week(value):
    return _DAYS[_date_of(value).weekday()]


@builtin("month of year", "date")
def _month_of_year(value):
    return _MONTHS[_date_of(value).month - 1]


@builtin("week of year", "date")
def _week_of_year(value):
    return Decimal(_date_of(value).isocalendar()[1])


@builtin("now")
def _now():
    return dt.datetime.now(dt.timezone.utc)


@builtin("today")
def _today():
    return dt.date.today()


# -- ranges: points are values, ranges are Range; comparisons with null give null ------------------

class _Null(Exception):
    pass


def _c(a, b):
    c = compare(a, b)
    if c is None:
        raise _Null
    return c


def _range_fn(name, params, point_point=None, point_range=None, range_point=None, range_range=None):
    def fn(a, b):
        try:
            ra, rb = isinstance(a, Range), isinstance(b, Range)
            impl = {(False, False): point_point, (False, True): point_range,
                    (True, False): range_point, (True, True): range_range}[(ra, rb)]
            if impl is None or a is None or b is None:
                return None
            return impl(a, b)
        except _Null:
            return None
    builtin(name, *params)(fn)


def _before_rr(r1, r2):
    return _c(r1.hi, r2.lo) < 0 or (_c(r1.hi, r2.lo) == 0 and not (r1.hi_closed and r2.lo_closed))


def _overlaps(r1, r2):
    return ((_c(r1.hi, r2.lo) > 0 or (_c(r1.hi, r2.lo) == 0 and r1.hi_closed and r2.lo_closed))
            and (_c(r1.lo, r2.hi) < 0 or (_c(r1.lo, r2.hi) == 0 and r1.lo_closed and r2.hi_closed)))


def _overlaps_before(r1, r2):
    return ((_c(r1.lo, r2.lo) < 0 or (_c(r1.lo, r2.lo) == 0 and r1.lo_closed and not r2.lo_closed))
            and (_c(r1.hi, r2.lo) > 0 or (_c(r1.hi, r2.lo) == 0 and r1.hi_closed and r2.lo_closed))
            and (_c(r1.hi, r2.hi) < 0 or (_c(r1.hi, r2.hi) == 0 and (not r1.hi_closed or r2.hi_closed))))


def _finishes_rr(r1, r2):
    return (r1.hi_closed == r2.hi_closed and _c(r1.hi, r2.hi) == 0
            and (_c(r1.lo, r2.lo) > 0 or (_c(r1.lo, r2.lo) == 0 and (not r1.lo_closed or r2.lo_closed))))


def _includes_rp(r, p):
    return ((_c(r.lo, p) < 0 and _c(r.hi, p) > 0) or (_c(r.lo, p) == 0 and r.lo_closed)
            or (_c(r.hi, p) == 0 and r.hi_closed))


def _includes_rr(r1, r2):
    return ((_c(r1.lo, r2.lo) < 0 or (_c(r1.lo, r2.lo) == 0 and (r1.lo_closed or not r2.lo_closed)))
            and (_c(r1.hi, r2.hi) > 0 or (_c(r1.hi, r2.hi) == 0 and (r1.hi_closed or not r2.hi_closed))))


def _starts_rr(r1, r2):
    return (_c(r1.lo, r2.lo) == 0 and r1.lo_closed == r2.lo_closed
            and (_c(r1.hi, r2.hi) < 0 or (_c(r1.hi, r2.hi) == 0 and (not r1.hi_closed or r2.hi_closed))))


def _coincides_rr(r1, r2):
    return (_c(r1.lo, r2.lo) == 0 and _c(r1.hi, r2.hi) == 0 and r1.lo_closed == r2.lo_closed
            and r1.hi_closed == r2.hi_closed)


_PP = ("point1", "point2")
_PR = ("point", "range")
_RP = ("range", "point")
_RR = ("range1", "range2")

_range_fn("before", (_PP, _PR, _RP, _RR),
          lambda a, b: _c(a, b) < 0,
          lambda p, r: _c(p, r.lo) < 0 or (_c(p, r.lo) == 0 and not r.lo_closed),
          lambda r, p: _c(r.hi, p) < 0 or (_c(r.hi, p) == 0 and not r.hi_closed),
          _before_rr)
_range_fn("after", (_PP, _PR, _RP, _RR),
          lambda a, b: _c(a, b) > 0,
          lambda p, r: _c(p, r.hi) > 0 or (_c(p, r.hi) == 0 and not r.hi_closed),
          lambda r, p: _c(r.lo, p) > 0 or (_c(r.lo, p) == 0 and not r.lo_closed),
          lambda r1, r2: _before_rr(r2, r1))
_range_fn("meets", (_RR,), range_range=lambda r1, r2: r1.hi_closed and r2.lo_closed and _c(r1.hi, r2.lo) == 0)
_range_fn("met by", (_RR,), range_range=lambda r1, r2: r2.hi_closed and r1.lo_closed and _c(r2.hi, r1.lo) == 0)
_range_fn("overlaps", (_RR,), range_range=_overlaps)
_range_fn("overlaps before", (_RR,), range_range=_overlaps_before)
_range_fn("overlaps after", (_RR,), range_range=lambda r1, r2: _overlaps_before(r2, r1))
_range_fn("finishes", (_PR, _RR), point_range=lambda p, r: r.hi_closed and _c(r.hi, p) == 0,
          range_range=_finishes_rr)
_range_fn("finished by", (_RP, _RR), range_point=lambda r, p: r.hi_closed and _c(r.hi, p) == 0,
          range_range=lambda r1, r2: _finishes_rr(r2, r1))
_range_fn("includes", (_RP, _RR), range_point=_includes_rp, range_range=_includes_rr)
_range_fn("during", (_PR, _RR), point_range=lambda p, r: _includes_rp(r, p),
          range_range=lambda r1, r2: _includes_rr(r2, r1))
_range_fn("starts", (_PR, _RR), point_range=lambda p, r: r.lo_closed and _c(r.lo, p) == 0,
          range_range=_starts_rr)
_range_fn("started by", (_RP, _RR), range_point=lambda r, p: r.lo_closed and _c(r.lo, p) == 0,
          range_range=lambda r1, r2: _starts_rr(r2, r1))
_range_fn("coincides", (_PP, _RR), point_point=lambda a, b: _c(a, b) == 0, range_range=_coincides_rr)


def _constant(node):
    if node is None or node[0] in ("lit", "at"):
        return True
    if node[0] == "neg":
        return _constant(node[1])
    return node[0] == "call" and node[1] in ("date", "time", "date and time", "duration") and all(
        _constant(a) for a in node[2])


@builtin("range", "from")
def _range_from(text):
    """A range from its literal text (`range("[1..3]")`); endpoints must be literals."""
    from .feel import parse_expression
    from .feel_eval import Env, compile_node
    if not isinstance(text, str):
        return None
    node = parse_expression(text.strip())
    if node[0] != "range" or (node[2] is None and node[3] is None) or not all(_constant(n) for n in node[2:4]):
        return None
    value = compile_node(node)(Env({}))
    if value is not None and value.lo is None and value.hi is None:
        return None
    if value is not None and value.lo is not None and value.hi is not None:
        order = compare(value.lo, value.hi)
        if order is None or order > 0:
            return None
    return value
