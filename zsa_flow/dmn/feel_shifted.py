"""Dates and date-times outside Python's years 1..9999 (FEEL allows -999,999,999..999,999,999).

A `Shifted` value is a datetime.date/datetime moved by whole 400-year cycles: the Gregorian calendar
repeats every 400 years (146,097 days, whole weeks), so month lengths, leap days and weekdays of
the stand-in are those of the real date. Arithmetic works on the stand-in and renormalises.
"""
import datetime as dt

CYCLE_DAYS = 146_097
BASE_YEAR = 2000


class Shifted:
    __slots__ = ("value", "cycles")

    def __init__(self, value, cycles):
        self.value, self.cycles = value, cycles

    @property
    def year(self):
        return self.value.year + 400 * self.cycles

    def __eq__(self, other):
        return isinstance(other, Shifted) and (self.value, self.cycles) == (other.value, other.cycles)

    def __hash__(self):
        return hash((self.value, self.cycles))

    def __repr__(self):
        return f"Shifted({self.value!r}, {self.cycles})"


def make(kind, year, *rest, tzinfo=None):
    """A date (kind dt.date) or date-time (dt.datetime), Shifted when the year is out of range."""
    if abs(year) > 999_999_999:
        raise ValueError("year out of FEEL's range")
    cycles = 0 if 1 <= year <= 9999 else (year - BASE_YEAR) // 400
    args = (year - 400 * cycles,) + rest
    value = kind(*args) if kind is dt.date else kind(*args, tzinfo=tzinfo)
    return value if cycles == 0 else Shifted(value, cycles)


def split(value):
    """(stand-in, cycles) of a date/date-time, Shifted or not, normalised for comparing."""
    if isinstance(value, Shifted):
        value, cycles = value.value, value.cycles
    else:
        cycles = 0
    extra = (value.year - BASE_YEAR) // 400
    if extra:
        value, cycles = value.replace(year=value.year - 400 * extra), cycles + extra
    return value, cycles


def normalise(value, cycles):
    """The plain value when its real year is in 1..9999, else a Shifted one."""
    year = value.year + 400 * cycles
    if 1 <= year <= 9999:
        return value.replace(year=year)
    extra = (value.year - BASE_YEAR) // 400
    return Shifted(value.replace(year=value.year - 400 * extra), cycles + extra)


def apply(value, fn):
    """fn(stand-in) for a Shifted value (e.g. adding a duration), renormalised; plain values as is."""
    if not isinstance(value, Shifted):
        return fn(value)
    result = fn(value.value)
    return None if result is None else normalise(result, value.cycles)


def format_year(year):
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
