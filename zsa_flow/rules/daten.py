"""Calendar helpers shared by the rules (whole months, age, month arithmetic)."""
import calendar
from datetime import date


def plus_monate(day: date, months: int) -> date:
    """`day` shifted by `months` calendar months; the day is clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def volle_monate(start: date, end: date) -> int:
    """Completed months from `start` to `end` (negative if end < start)."""
    if end < start:
        return -volle_monate(end, start)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if plus_monate(start, months) > end:
        months -= 1
    return months


def alter_jahre(geburtsdatum: date, stichtag: date) -> int:
    """Age in completed years on `stichtag` (a person born on 29 Feb ages on 1 Mar)."""
    years = stichtag.year - geburtsdatum.year
    if (stichtag.month, stichtag.day) < (geburtsdatum.month, geburtsdatum.day):
        years -= 1
    return years


def monatserster(year: int, month: int) -> date:
    return date(year, month, 1)


def monatsletzter(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
