"""Run scenarios: every variant × replication as a job, in parallel worker processes.

The jobs run in limited child processes (`engine.limited.map_limited`, at most two, one per core):
each child reads the scenarios' definitions once, then locks itself down like a script worker, so
the models' scripts run inside it without a round trip to a script worker per script, and the OS
limits bound the whole simulation. A job's measurements come back as plain JSON (`raw_to_json`).

`run_scenarios` runs the jobs of several scenarios (a study's main scenario and its intermediate
scenarios) in one `map_limited` call, longest jobs first (`job_cost`), so both children stay busy to
the end; the results do not depend on the order.

A job may leave its staff to a *staffing rule* (`Setup.staffing`, e.g. attribution.py's rules for the
intermediate scenarios): the worker sizes the staff just before it simulates, from the workload per
case of one or more *pilot runs* (`workload`: a few hundred cases of a variant around the clock with
more people than work, so nobody queues; the steps each case took, times the mean `zsa:duration`).
A pilot depends only on the model, its arrivals and the scenario's seed, never on the replication,
so every worker and every replication size the same staff; each worker runs a pilot once.
"""
import dataclasses
import os
import sys
import time

from ..engine.definitions import definition_from_bundle
from ..engine.limited import map_limited
from ..errors import ZsaError
from ..bpmn.script_pool import WorkerFailed
from . import results
from .cases import GENERATORS, Application
from .decisions import ModelDecisions
from .model import HUMAN
from .simulator import CaseRecord, Raw, Setup, Simulation

JOB_MEMORY_BYTES = 2 * 1024 ** 3  # address space of one simulation child (all open cases of a year)
JOB_SECONDS = 3 * 3600  # CPU and wall-clock limit of a whole scenario run

_DEFINITIONS = {}  # per worker process: (process id, bundle hash) -> (definition, decisions)
_WORKLOADS = {}  # per worker process: pilot key -> workload per case (`workload`)
STEP_TAGS = {"scriptTask", "businessRuleTask", "sendTask", "receiveTask", "serviceTask"}
PILOT_CASES = 400  # cases per pilot run (workload per case within a few per cent)
PILOT_REPLICATION = 1_000_000  # the pilots' random streams, apart from every real replication
PILOT_STAFF = 10_000.0  # persons per pool in a pilot: nobody waits for a person


def jobs_for(scenario):
    jobs = []
    for replication in range(scenario.replications):
        for variant in scenario.variants:
            setup = Setup(
                variant=variant.process_id, process_id=variant.process_id,
                service=variant.model.props.get("zsa:service", ""), arrivals=variant.arrivals,
                staff=variant.staff, calendar=scenario.calendar, hours=scenario.hours, start=scenario.start,
                warmup_h=scenario.warmup_h, period_h=scenario.period_h, drain_h=scenario.drain_h,
                seed=scenario.seed, replication=replication, paper_share=scenario.paper_share,
                split=variant.split, staffing=variant.staffing)
            jobs.append((setup, variant.info, variant.bundle, variant.model))
    return jobs


def pilot_job(scenario, variant, cases=PILOT_CASES):
    """A pilot run of `variant` (for a staffing rule): about `cases` cases of its arrival mix, around
    the clock, with more people than work, measured from the first case until all are done."""
    per_year = sum(variant.arrivals.values()) or 1.0
    setup = Setup(
        variant=variant.process_id, process_id=variant.process_id,
        service=variant.model.props.get("zsa:service", ""), arrivals=variant.arrivals,
        staff={pool: PILOT_STAFF for pool in variant.model.pools()}, calendar="always", hours=scenario.hours,
        start=scenario.start, warmup_h=0.0, period_h=cases / per_year * 8760.0, drain_h=max(scenario.drain_h, 8760.0),
        seed=scenario.seed, replication=PILOT_REPLICATION, paper_share=scenario.paper_share)
    return (setup, variant.info, variant.bundle, variant.model)


def workload(job):
    """Hours of work per case and pool in the pilot `job`: {"human": {pool: h}, "manual": {pool: h},
    "cases": n}: "human" the pool's tasks, "manual" automated steps a what-if has done by hand (steps
    with a pool among the automated ones). Steps taken × the step's mean `zsa:duration`."""
    setup, _info, bundle, model = job
    key = (setup.process_id, tuple(f.sha256 for f in bundle), repr(model), tuple(sorted(setup.arrivals.items())),
           setup.seed, setup.start, setup.period_h, setup.paper_share)
    if key not in _WORKLOADS:
        _variant, _replication, raw = run_job(job)
        cases = len(raw.cases) or 1
        found = {"human": {}, "manual": {}, "cases": len(raw.cases)}
        for element_id, count in sorted(raw.visits.items()):
            element = model.elements[element_id]
            if not element.pool or element.duration is None:
                continue
            kind = "human" if element.tag in HUMAN or element.tag == "startEvent" else "manual"
            found[kind][element.pool] = found[kind].get(element.pool, 0.0) + count * element.duration.mean / cases
        _WORKLOADS[key] = found
    return _WORKLOADS[key]


def resolve_staffing(setup):
    """A setup with a staffing rule: the staff the rule sizes from its pilots' workloads, and its notes."""
    rule, pilots, options = setup.staffing
    staff, notes = rule({name: workload(job) for name, job in pilots.items()}, setup, **options)
    return dataclasses.replace(setup, staff=staff, staffing=None), notes


def job_cost(job):
    """A job's relative run time: cases it simulates × the steps its model has (to order jobs)."""
    setup, _info, _bundle, model = job
    steps = sum(1 for e in model.elements.values() if e.pool or e.tag in STEP_TAGS)
    return sum(setup.arrivals.values()) * (setup.warmup_h + setup.period_h) / 8760.0 * (1 + steps)


def _prepared(job):
    setup, info, bundle, model = job
    key = (setup.process_id, tuple(f.sha256 for f in bundle), repr(model))  # repr: with scenario overrides
    if key not in _DEFINITIONS:
        definition = definition_from_bundle(info, bundle)
        _DEFINITIONS[key] = (definition, ModelDecisions(model, definition))
    return _DEFINITIONS[key]


def run_job(job):
    """One replication of one variant (also the unit a worker process runs)."""
    setup, _info, _bundle, model = job
    definition, decisions = _prepared(job)
    generator = GENERATORS.get(setup.service, _plain)
    started = time.perf_counter()
    notes = None
    if setup.staffing:
        setup, notes = resolve_staffing(setup)
    raw = Simulation(setup, definition, model, decisions, generator).run()
    raw.staffing = notes
    raw.seconds = time.perf_counter() - started
    return setup.variant, setup.replication, raw


def _plain(facts, rng, kommune, today):
    """Services without a generator: an empty application; gateways follow zsa:probability."""
    return Application({"kommune": kommune}, None)


def prepare_jobs(jobs):
    """In a child, before it locks down: the definitions and decision helpers of every job and of its
    staffing rule's pilots, and a simulation of each set up once (its calendar loads the holiday
    tables, which opens files)."""
    for job in [*jobs, *(p for job in jobs if job[0].staffing for p in job[0].staffing[1].values())]:
        definition, decisions = _prepared(job)
        Simulation(job[0], definition, job[3], decisions, GENERATORS.get(job[0].service, _plain))
    return jobs


def work_job(jobs, index):
    """In a locked-down child: job `index`, its measurements as JSON."""
    variant, replication, raw = run_job(jobs[index])
    return [variant, replication, raw_to_json(raw)]


def raw_to_json(raw):
    return {**dataclasses.asdict(raw), "seconds": getattr(raw, "seconds", None)}


def raw_from_json(data):
    data = dict(data)
    seconds = data.pop("seconds", None)
    raw = Raw(**{**data, "cases": [CaseRecord(**c) for c in data["cases"]]})
    raw.seconds = seconds
    return raw


def run_scenario(scenario, workers=None, progress=None):
    """Simulate every variant and replication; returns the result document (results.py)."""
    return run_scenarios([scenario], workers, progress)[0]


def run_scenarios(scenarios, workers=None, progress=None):
    """Simulate every variant and replication of several scenarios in one set of worker processes,
    longest jobs first; one result document (results.py) per scenario, as if each ran alone."""
    jobs, owners = [], []
    for number, scenario in enumerate(scenarios):
        for job in jobs_for(scenario):
            jobs.append(job)
            owners.append(number)
    order = sorted(range(len(jobs)), key=lambda i: (-job_cost(jobs[i]), i))
    workers = workers or min(len(jobs), os.cpu_count() or 1, 2)
    raws = [{} for _ in scenarios]
    done = 0
    try:
        for index, (variant, replication, raw) in map_limited(
                prepare_jobs, work_job, (jobs,), order, workers=workers,
                memory_bytes=JOB_MEMORY_BYTES, cpu_seconds=JOB_SECONDS, wall_seconds=JOB_SECONDS):
            raws[owners[index]].setdefault(variant, {})[replication] = raw_from_json(raw)
            done += 1
            if progress:
                progress(done, len(jobs))
    except WorkerFailed as failure:
        raise ZsaError(f"Simulation abgebrochen: {failure.message}") from None
    documents = []
    for scenario, found in zip(scenarios, raws):
        ordered = {v.process_id: [found[v.process_id][r] for r in range(scenario.replications)]
                   for v in scenario.variants}
        documents.append(results.build(scenario, ordered))
    return documents


def stderr_progress(done, total):
    """A text progress bar on stderr."""
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\rSimulation [{'#' * filled}{'.' * (width - filled)}] {done}/{total} Läufe")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
