"""Working time: when people of a pool can work. Simulation time is hours since the start (t0).

`always` works around the clock (validation against queueing theory). `workdays` works Monday to
Friday within configurable hours, without the public holidays of Saxony-Anhalt (`holidays`
package). Applicants' answers, postal times and timers run on calendar time either way.
"""
from bisect import bisect_left
from datetime import date, timedelta

import holidays


class AlwaysCalendar:
    name = "always"

    def work_end(self, start: float, duration: float) -> float:
        """When work of `duration` working hours begun (or queued) at `start` is done."""
        return start + duration

    def next_open(self, t: float) -> float:
        return t


class WorkdayCalendar:
    """Mon–Fri from `opens` to `closes` (hours of the day), public holidays of `subdiv` excepted."""

    name = "workdays"

    def __init__(self, first_day: date, days: int, opens: float = 8.0, closes: float = 16.0, subdiv="ST"):
        years = range(first_day.year, (first_day + timedelta(days=days)).year + 1)
        free = holidays.country_holidays("DE", subdiv=subdiv, years=list(years))
        self.opens, self.closes = opens, closes
        self.workday = [(first_day + timedelta(days=i)).weekday() < 5 and (first_day + timedelta(days=i)) not in free
                        for i in range(days)]
        length = closes - opens
        self.cum = [0.0]  # working hours before day i
        for works in self.workday:
            self.cum.append(self.cum[-1] + (length if works else 0.0))

    def _worked(self, t: float) -> float:
        day = int(t // 24)
        if day >= len(self.workday):
            raise ValueError("Simulation läuft über das Ende des Kalenders hinaus")
        if not self.workday[day]:
            return self.cum[day]
        into = min(max(t - day * 24 - self.opens, 0.0), self.closes - self.opens)
        return self.cum[day] + into

    def _at(self, worked: float) -> float:
        day = bisect_left(self.cum, worked) - 1
        if day < 0:
            day = 0
            while not self.workday[day]:
                day += 1
        return day * 24 + self.opens + (worked - self.cum[day])

    def work_end(self, start: float, duration: float) -> float:
        if duration <= 0:
            return start
        return self._at(self._worked(start) + duration)

    def next_open(self, t: float) -> float:
        day = int(t // 24)
        if self.workday[day] and t - day * 24 < self.closes:
            return max(t, day * 24 + self.opens)
        day += 1
        while not self.workday[day]:
            day += 1
        return day * 24 + self.opens


def make_calendar(name: str, first_day: date, days: int, hours=(8.0, 16.0)):
    if name == "always":
        return AlwaysCalendar()
    return WorkdayCalendar(first_day, days, hours[0], hours[1])
