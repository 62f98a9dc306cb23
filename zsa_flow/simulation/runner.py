"""Run a scenario: every variant × replication as a job, in parallel worker processes.

The jobs run in limited child processes (`engine.limited.map_limited`, at most two, one per core):
each child reads the scenario's definitions once, then locks itself down like a script worker, so
the models' scripts run inside it without a round trip to a script worker per script, and the OS
limits bound the whole simulation. A job's measurements come back as plain JSON (`raw_to_json`).
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
from .simulator import CaseRecord, Raw, Setup, Simulation

JOB_MEMORY_BYTES = 2 * 1024 ** 3  # address space of one simulation child (all open cases of a year)
JOB_SECONDS = 3 * 3600  # CPU and wall-clock limit of a whole scenario run

_DEFINITIONS = {}  # per worker process: (process id, bundle hash) -> (definition, decisions)


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
                split=variant.split)
            jobs.append((setup, variant.info, variant.bundle, variant.model))
    return jobs


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
    raw = Simulation(setup, definition, model, decisions, generator).run()
    raw.seconds = time.perf_counter() - started
    return setup.variant, setup.replication, raw


def _plain(facts, rng, kommune, today):
    """Services without a generator: an empty application; gateways follow zsa:probability."""
    return Application({"kommune": kommune}, None)


def prepare_jobs(jobs):
    """In a child, before it locks down: the definitions and decision helpers of every job, and a
    simulation of each set up once (its calendar loads the holiday tables, which opens files)."""
    for job in jobs:
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
    jobs = jobs_for(scenario)
    workers = workers or min(len(jobs), os.cpu_count() or 1, 2)
    raws = {}
    done = 0
    try:
        for _index, (variant, replication, raw) in map_limited(
                prepare_jobs, work_job, (jobs,), range(len(jobs)), workers=workers,
                memory_bytes=JOB_MEMORY_BYTES, cpu_seconds=JOB_SECONDS, wall_seconds=JOB_SECONDS):
            raws.setdefault(variant, {})[replication] = raw_from_json(raw)
            done += 1
            if progress:
                progress(done, len(jobs))
    except WorkerFailed as failure:
        raise ZsaError(f"Simulation abgebrochen: {failure.message}") from None
    ordered = {v.process_id: [raws[v.process_id][r] for r in range(scenario.replications)] for v in scenario.variants}
    return results.build(scenario, ordered)


def stderr_progress(done, total):
    """A text progress bar on stderr."""
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\rSimulation [{'#' * filled}{'.' * (width - filled)}] {done}/{total} Läufe")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
