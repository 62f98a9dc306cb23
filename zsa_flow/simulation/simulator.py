"""One replication of one variant: SimPy schedules, the engine runs every case (SIMULATION strategy).

Simulation time is hours since midnight of the scenario's first day; the engine's FakeClock is set to
the matching datetime before every engine operation. A ready human task waits `zsa:wait` (handover)
if it has one, queues for a person of its pool (Gemeinde offices: one pool per Gemeinde), holds them
for a sampled `zsa:duration` of working time and is completed with the values decisions.py chooses.
Receive tasks and message catch events get their message after a sampled `zsa:wait`; timers fire
after their `zsa:wait` or at their own due time, so a message races its deadline. A case is done when
it completes or only waits for a date timer without zsa:wait (a follow-up such as the reminder
before a Wohngeld period ends, which is not part of handling the application).

An automated step that a what-if gives a pool and a `zsa:duration` (the attribution's "to-be without
its automated checks") is done by hand: the case waits for a person of that pool and for the work
before the engine's next steps take their course (`_hold`). A pool of fractional staff (0.4 persons)
is one person working at that fraction of the speed.
"""
import gc
import math
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from random import Random

import simpy

from ..clock import FakeClock
from ..engine.runner import CaseRun
from ..engine.strategies import SIMULATION
from .calendar import make_calendar
from .decisions import CaseFacts

COUNTED = ("script_executed", "message_sent")


def mix(*parts) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode())


@dataclass
class Setup:
    """Everything one replication of one variant needs (picklable for worker processes)."""

    variant: str  # result key: the process id
    process_id: str
    service: str
    arrivals: dict  # Gemeinde -> cases per year
    staff: dict  # pool -> persons (per Gemeinde for Gemeinde offices)
    calendar: str
    hours: tuple
    start: str  # ISO date of the first simulated day
    warmup_h: float
    period_h: float
    drain_h: float
    seed: int
    replication: int
    paper_share: float = 0.3
    split: dict = field(default_factory=dict)  # pool -> {Gemeinde: share}: a central pool staffed per Gemeinde
    staffing: tuple | None = None  # (rule, pilots, options): staff decided in the worker (runner.resolve_staffing)


@dataclass
class CaseRecord:
    kommune: str
    arrival: float
    done: float | None = None
    effort: float = 0.0  # minutes
    queue_wait: float = 0.0  # hours
    handovers: int = 0
    media_breaks: int = 0
    incident: bool = False


@dataclass
class Raw:
    """What one replication measured (aggregated by results.py)."""

    cases: list = field(default_factory=list)  # measured CaseRecords
    tasks: dict = field(default_factory=dict)  # element id -> [queue waits in hours]
    busy: dict = field(default_factory=dict)  # pool -> working hours spent in the period
    capacity: dict = field(default_factory=dict)  # pool -> available working hours in the period
    backlog: list = field(default_factory=list)  # open cases at the start of each day
    case_hours: float = 0.0  # integral of open cases over the measured period (Little's L × period)
    task_events: int = 0  # human task start and end events
    started: int = 0
    incidents: list = field(default_factory=list)
    visits: dict = field(default_factory=dict)  # element id -> steps done (by a person or automated) in measured cases
    staffing: dict | None = None  # how a staffing rule sized the staff (runner.resolve_staffing), else None


class _Case:
    __slots__ = ("key", "run", "record", "facts", "app", "rng", "open", "waits", "timers", "serial", "measured",
                 "holding")


class Simulation:
    def __init__(self, setup: Setup, definition, model, decisions, generator):
        self.s, self.definition, self.model, self.decisions, self.generator = setup, definition, model, decisions, generator
        self.env = simpy.Environment()
        self.t0 = datetime.fromisoformat(setup.start).replace(tzinfo=timezone.utc)
        self.end = setup.warmup_h + setup.period_h + setup.drain_h
        days = int(self.end // 24) + 60
        self.cal = make_calendar(setup.calendar, self.t0.date(), days, setup.hours)
        self.clock = FakeClock(self.t0)
        self.raw = Raw()
        self.pools = {}
        self.trace = None
        self.open_cases = 0
        self._last_change = 0.0
        self.by_message = {}
        for element in model.elements.values():
            if element.message:
                self.by_message.setdefault(element.message, []).append(element.id)

    # -- running ------------------------------------------------------------------------------

    def run(self) -> Raw:
        arrivals = []
        for kommune, per_year in sorted(self.s.arrivals.items()):
            rng, t, rate = Random(mix(self.s.seed, self.s.replication, kommune)), 0.0, per_year / 8760.0
            index = 0
            while rate > 0:
                t += rng.expovariate(rate)
                if t >= self.s.warmup_h + self.s.period_h:
                    break
                arrivals.append((t, kommune, index))
                index += 1
        arrivals.sort()
        self.env.process(self._arrivals(arrivals))
        self.env.process(self._backlog())
        with _collector_for_many_cases():
            self.env.run(until=self.end)
        self._capacity()
        return self.raw

    def _arrivals(self, arrivals):
        for t, kommune, index in arrivals:
            yield self.env.timeout(t - self.env.now)
            self._arrive(kommune, index)

    def _backlog(self):
        while True:
            if self.s.warmup_h <= self.env.now < self.s.warmup_h + self.s.period_h:
                self.raw.backlog.append(self.open_cases)
            yield self.env.timeout(24.0)

    def _arrive(self, kommune, index):
        case = _Case()
        case.key = (kommune, index)
        seed = mix(self.s.seed, self.s.replication, kommune, index)
        case.rng = Random(seed)
        case.facts = CaseFacts(seed, self.decisions)
        case.record = CaseRecord(kommune, self.env.now)
        case.measured = self.s.warmup_h <= self.env.now < self.s.warmup_h + self.s.period_h
        case.open, case.waits, case.timers, case.serial, case.holding = set(), {}, {}, 0, 0
        case.app = self.generator(case.facts, case.rng, kommune, self._now().date())
        case.run = CaseRun.new(self.definition, self.clock, SIMULATION)
        self.raw.started += 1
        self._count_open(+1)
        if case.measured:
            self.raw.cases.append(case.record)
        model = self.model
        paper = model.paper_start and (not model.message_start or case.rng.random() < self._paper_share())
        if paper:
            element = model.elements[model.paper_start]
            if element.pool and element.duration:
                self.env.process(self._work(case, None, element))
                return
            self._op(case, case.run.start, case.app.data)
        else:
            self._op(case, case.run.start, case.app.data, model.message_start)

    def _paper_share(self):
        return self.model.paper_share if self.model.paper_share is not None else self.s.paper_share

    def _now(self):
        return self.t0 + timedelta(hours=self.env.now)

    def _op(self, case, operation, *args):
        self.clock.set(self._now())
        effects = operation(*args)
        if self.trace is not None:  # bench/simulate.py replays the same operations on the bare engine
            self.trace.append((case.key, self.clock.now(), operation.__name__, args,
                               [t.task_id for t in effects.tasks_opened]))
        self._after(case, effects)

    # -- people -----------------------------------------------------------------------------

    def _pool(self, element, kommune):
        split = self.s.split.get(element.pool)
        key = (element.pool, kommune if element.municipal or split else None)
        pool = self.pools.get(key)
        if pool is None:
            persons = float(self.s.staff.get(element.pool, 1.0)) * (split.get(kommune, 0.0) if split else 1.0)
            persons = max(persons, 0.01)
            capacity = max(1, math.ceil(persons))
            pool = self.pools[key] = (simpy.Resource(self.env, capacity), capacity / persons, element.pool, persons)
        return pool

    def _work(self, case, opened, element):
        """A person of the element's pool does the task (opened=None: types in a paper application)."""
        rng, record = case.rng, case.record
        if element.wait is not None:
            yield self.env.timeout(element.wait.sample(rng))
        work = yield from self._occupy(element, record.kommune, rng=rng, still_open=(
            None if opened is None else lambda: opened.task_id in case.open))
        if work is None:
            return  # cancelled while it waited
        ready, begin, minutes = work
        record.effort += minutes
        record.queue_wait += begin - ready
        record.handovers += element.handover
        record.media_breaks += element.media_break
        if case.measured:
            self.raw.tasks.setdefault(element.id, []).append(begin - ready)
            self.raw.visits[element.id] = self.raw.visits.get(element.id, 0) + 1
        if opened is None:
            self._op(case, case.run.start, case.app.data)
            return
        if opened.task_id not in case.open:
            return
        data = self.decisions.form_data(opened.form_ref, case.run.case_data(), case.facts, self._now().date())
        self._op(case, case.run.complete_task, opened.task_id, data)

    def _occupy(self, element, kommune, minutes=None, rng=None, still_open=None):
        """Wait for a person of the element's pool, then hold them for the work: `minutes`, else a
        sample of its zsa:duration drawn once the person is there. Returns (ready, begin, minutes) —
        when the step was ready, when work began (the next open hour) and its minutes — or None when
        `still_open()` turned false while the step waited. Busy time counts in the measured period."""
        ready = self.env.now
        resource, slow, pool_name, _persons = self._pool(element, kommune)
        with resource.request() as request:
            yield request
            if still_open is not None and not still_open():
                return None
            begin = self.cal.next_open(self.env.now)
            if minutes is None:
                minutes = element.duration.sample(rng) * 60 if element.duration else 0.0
            finish = self.cal.work_end(self.env.now, minutes / 60 * slow)
            self.raw.task_events += 2
            if finish > self.env.now:
                yield self.env.timeout(finish - self.env.now)
        if self.s.warmup_h <= begin < self.s.warmup_h + self.s.period_h:
            self.raw.busy[pool_name] = self.raw.busy.get(pool_name, 0.0) + minutes / 60
        return ready, begin, minutes

    def _hold(self, case, effects, manual):
        """Automated steps done by hand (a what-if, e.g. the to-be without its automated checks): the
        case waits for a person of the step's pool and for the work, one step after the other, before
        the rest of the engine's effects (next tasks, timers, messages) take their course."""
        record = case.record
        for element, minutes in manual:
            ready, begin, _minutes = yield from self._occupy(element, record.kommune, minutes=minutes)
            record.queue_wait += begin - ready
            if case.measured:
                self.raw.tasks.setdefault(element.id, []).append(begin - ready)
        case.holding -= 1
        if record.done is None:
            self._continue(case, effects)

    # -- the engine's effects -----------------------------------------------------------------

    def _after(self, case, effects):
        record, elements = case.record, self.model.elements
        if effects.incident:
            record.incident = True
            self.raw.incidents.append(effects.incident)
            self._finish(case)
            return
        manual = []
        for event in effects.events:
            element = elements.get(event.get("element_id"))
            if element is None:
                continue
            kind = event["type"]
            if kind in COUNTED:
                if case.measured:
                    self.raw.visits[element.id] = self.raw.visits.get(element.id, 0) + 1
                if element.duration is not None:
                    minutes = element.duration.sample(case.rng) * 60
                    record.effort += minutes
                    if element.pool and minutes > 0:  # done by hand (a what-if): a person of the pool does it
                        manual.append((element, minutes))
            if kind in COUNTED or kind == "timer_fired" or kind == "message_received":
                record.handovers += element.handover
                record.media_breaks += element.media_break
        for closed in effects.tasks_closed:
            case.open.discard(closed.task_id)
        for timer_id in effects.timers_cleared:
            case.timers.pop(timer_id, None)
        if manual:
            self._await_messages(case, add=False)  # a message the case no longer waits for is not delivered
            case.holding += 1
            self.env.process(self._hold(case, effects, manual))
            return
        self._continue(case, effects)

    def _continue(self, case, effects):
        """The rest of the engine's effects: the tasks it opened, its timers, the messages it waits for."""
        elements = self.model.elements
        for opened in effects.tasks_opened:
            case.open.add(opened.task_id)
            self.env.process(self._work(case, opened, elements[opened.element_id]))
        for timer in effects.timers_set:
            element = elements.get(timer.element_id)
            if element is not None and element.wait is not None:
                at = self.env.now + element.wait.sample(case.rng)
            elif element is not None and element.timer == "timeDate":
                case.timers[timer.timer_id] = None  # a follow-up, not part of handling the case
                continue
            else:
                at = max(self.env.now, (timer.due_at - self.t0).total_seconds() / 3600)
            case.serial += 1
            case.timers[timer.timer_id] = (case.serial, timer.due_at)
            self._later(at - self.env.now, self._fire, case, timer.timer_id, case.serial)
        self._await_messages(case)
        if not case.holding and not case.open and not case.waits and all(v is None for v in case.timers.values()):
            self._finish(case)  # completed, or only a follow-up date timer is left

    def _await_messages(self, case, add=True):
        names = case.run.waiting_messages() if self.by_message else []
        waiting = set()
        for name in names:
            ids = self.by_message.get(name, [])
            if len(ids) > 1:
                active = case.run.active_elements()[0]
                ids = [i for i in ids if i in active]
            waiting.update(ids)
        for element_id in list(case.waits):
            if element_id not in waiting:
                del case.waits[element_id]
        if not add:
            return
        for element_id in waiting:
            if element_id in case.waits:
                continue
            element = self.model.elements[element_id]
            case.serial += 1
            case.waits[element_id] = case.serial
            delay = element.wait.sample(case.rng) if element.wait is not None else None
            if delay is not None:
                self._later(delay, self._deliver, case, element_id, case.serial)

    def _later(self, delay, action, *args):
        self.env.timeout(max(delay, 0.0)).callbacks.append(lambda _event: action(*args))

    def _fire(self, case, timer_id, serial):
        entry = case.timers.get(timer_id)
        if entry is None or entry[0] != serial or case.record.done is not None:
            return
        now = self._now()
        self.clock.set(max(now, entry[1]))  # the executable due time may lie after the sampled one
        effects = case.run.fire_due_timers()
        if self.trace is not None:
            self.trace.append((case.key, self.clock.now(), "fire_due_timers", (),
                               [t.task_id for t in effects.tasks_opened]))
        self._after(case, effects)

    def _deliver(self, case, element_id, serial):
        if case.waits.get(element_id) != serial or case.record.done is not None:
            return
        del case.waits[element_id]
        element = self.model.elements[element_id]
        payload = case.app.correction if element.message == "unterlagen_eingegangen" else {}
        if payload:
            case.facts.overrides.update(case.app.corrected_facts)
        self._op(case, case.run.deliver_message, element.message, payload)

    def _finish(self, case):
        if case.record.done is None:
            case.record.done = self.env.now
            self._count_open(-1)
            case.open.clear()
            case.waits.clear()
            case.timers.clear()
            case.run.release()

    def _count_open(self, change):
        start, stop = self.s.warmup_h, self.s.warmup_h + self.s.period_h
        low, high = max(self._last_change, start), min(self.env.now, stop)
        if high > low:
            self.raw.case_hours += self.open_cases * (high - low)
        self._last_change = self.env.now
        self.open_cases += change

    def _capacity(self):
        self._count_open(0)
        start, stop = self.s.warmup_h, self.s.warmup_h + self.s.period_h
        hours = working_hours(self.cal, start, stop)
        for (pool, _kommune), (_res, _slow, _name, persons) in self.pools.items():
            self.raw.capacity[pool] = self.raw.capacity.get(pool, 0.0) + persons * hours


@contextmanager
def _collector_for_many_cases():
    """While a replication runs: the objects alive before it (definitions, modules) are left out of
    the cycle collector's full passes (gc.freeze), and it runs less often (every 10,000 instead of
    700 allocations), since every case allocates thousands of objects that live until the case ends.
    What is collected is unchanged; settings are restored afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def working_hours(cal, start, stop):
    """Hours a person works between two simulation times under the calendar."""
    if cal.name == "always":
        return stop - start
    return cal._worked(stop) - cal._worked(start)
