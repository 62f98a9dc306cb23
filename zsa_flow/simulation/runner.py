"""Run a scenario: every variant × replication as a job, in parallel worker processes."""
import os
import sys
import time
from multiprocessing import get_context

from ..engine.definitions import definition_from_bundle
from . import results
from .cases import GENERATORS
from .decisions import ModelDecisions
from .simulator import Setup, Simulation

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


def run_job(job):
    """One replication of one variant (also the unit a worker process runs)."""
    setup, info, bundle, model = job
    key = (setup.process_id, tuple(f.sha256 for f in bundle), repr(model))  # repr: with scenario overrides
    if key not in _DEFINITIONS:
        definition = definition_from_bundle(info, bundle)
        _DEFINITIONS[key] = (definition, ModelDecisions(model, definition))
    definition, decisions = _DEFINITIONS[key]
    generator = GENERATORS.get(setup.service, _plain)
    started = time.perf_counter()
    raw = Simulation(setup, definition, model, decisions, generator).run()
    raw.seconds = time.perf_counter() - started
    return setup.variant, setup.replication, raw


def _plain(facts, rng, kommune, today):
    """Services without a generator: an empty application; gateways follow zsa:probability."""
    from .cases import Application
    return Application({"kommune": kommune}, None)


def run_scenario(scenario, workers=None, progress=None):
    """Simulate every variant and replication; returns the result document (results.py)."""
    jobs = jobs_for(scenario)
    workers = workers or min(len(jobs), os.cpu_count() or 1, 2)
    raws = {}
    done = 0
    if workers <= 1:
        outputs = map(run_job, jobs)
        pool = None
    else:
        pool = get_context("fork" if sys.platform != "win32" else "spawn").Pool(workers)
        outputs = pool.imap_unordered(run_job, jobs)
    try:
        for variant, replication, raw in outputs:
            raws.setdefault(variant, {})[replication] = raw
            done += 1
            if progress:
                progress(done, len(jobs))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
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
