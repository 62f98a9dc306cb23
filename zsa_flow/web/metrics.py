"""Prometheus metrics at /metrics (prometheus-client).

Request latencies are a histogram per process; under gunicorn the processes share them through
prometheus-client's multiprocess mode (`PROMETHEUS_MULTIPROC_DIR`, set up by `zsa-flow serve`).
Everything about cases, tasks, timers and the outbox is read from the database at scrape time,
so it is the same whichever app server answers:

- zsa_cases_started_total / zsa_cases_completed_total {process}
- zsa_tasks_open, zsa_tasks_overdue
- zsa_timers_due, zsa_timer_lag_seconds (age of the oldest due timer)
- zsa_outbox_backlog {state} (pending, dead)
"""
import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select

from ..storage.tables import human_task, outbox, timer, vorgang

REQUEST_SECONDS = Histogram("zsa_request_duration_seconds", "Antwortzeit je Anfrage",
                            ["method", "endpoint", "status"],
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


class DatabaseCollector:
    """Gauges and counters read from the database on every scrape."""

    def __init__(self, platform):
        self.platform = platform

    def collect(self):
        now = self.platform.clock.now()
        with self.platform.uow(readonly=True) as uow:
            per_process = uow.execute(select(vorgang.c.process_id, vorgang.c.state, func.count())
                                      .group_by(vorgang.c.process_id, vorgang.c.state)).all()
            open_tasks = uow.execute(select(func.count()).where(human_task.c.state == "open")).scalar()
            overdue = uow.execute(select(func.count()).where(human_task.c.state == "open",
                                                            human_task.c.due_at < now)).scalar()
            due, oldest = uow.execute(select(func.count(), func.min(timer.c.due_at))
                                      .where(timer.c.due_at <= now)).one()
            backlog = uow.execute(select(outbox.c.state, func.count()).where(outbox.c.state != "delivered")
                                  .group_by(outbox.c.state)).all()
        started = CounterMetricFamily("zsa_cases_started", "Gestartete Vorgänge", labels=["process"])
        completed = CounterMetricFamily("zsa_cases_completed", "Abgeschlossene Vorgänge", labels=["process"])
        totals, done = {}, {}
        for process, state, n in per_process:
            totals[process] = totals.get(process, 0) + n
            if state == "completed":
                done[process] = done.get(process, 0) + n
        for process, n in sorted(totals.items()):
            started.add_metric([process], n)
            completed.add_metric([process], done.get(process, 0))
        yield started
        yield completed
        yield GaugeMetricFamily("zsa_tasks_open", "Offene Aufgaben", value=open_tasks)
        yield GaugeMetricFamily("zsa_tasks_overdue", "Offene Aufgaben mit überschrittener Frist", value=overdue)
        yield GaugeMetricFamily("zsa_timers_due", "Fällige, noch nicht ausgelöste Timer", value=due)
        lag = (now - _aware(oldest)).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily("zsa_timer_lag_seconds", "Verzug des ältesten fälligen Timers", value=lag)
        outbox_gauge = GaugeMetricFamily("zsa_outbox_backlog", "Nicht zugestellte Nachrichten", labels=["state"])
        counts = dict(backlog)
        for state in ("pending", "dead"):
            outbox_gauge.add_metric([state], counts.get(state, 0))
        yield outbox_gauge


def _aware(value):
    from datetime import timezone

    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class _ThisProcess:
    """The request histogram of this process (without multiprocess mode)."""

    def collect(self):
        return REQUEST_SECONDS.collect()


def render(platform):
    """(body, content type) of one scrape."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(DatabaseCollector(platform))
    return generate_latest(registry), CONTENT_TYPE_LATEST
