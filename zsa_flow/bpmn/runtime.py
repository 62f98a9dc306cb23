"""Per-run context the engine hands to specs: the clock and the deployment's decisions.

SpiffWorkflow's timer definitions read `datetime.now()` directly; ours read the clock set here so
tests and the simulation can move time. A ContextVar keeps concurrent runs in threads apart.
"""
from contextvars import ContextVar
from contextlib import contextmanager

from ..clock import SystemClock

_clock = ContextVar("zsa_clock", default=SystemClock())


def now():
    """The engine's notion of 'now' (UTC, timezone-aware)."""
    return _clock.get().now()


@contextmanager
def using_clock(clock):
    """Run a block of engine work with `clock` as the time source."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)
