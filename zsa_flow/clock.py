"""Injectable time source: production uses the system clock, tests move a FakeClock."""
from datetime import datetime, timedelta, timezone


class SystemClock:
    """Current UTC time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FakeClock:
    """A clock that only moves when told to (tests, simulation)."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward by `delta` and return the new now."""
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when
