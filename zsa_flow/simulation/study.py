"""A whole study as the CLI and the browser run it: the scenario, the gain attribution (when there is a
to-be and as-is variants), an optional capacity sweep, and the structural comparison — one result
document (results.py keys, plus `structure`, `attribution`, `sweep`).

The scenario and the attribution's intermediate scenarios run together in one set of worker
processes (runner.run_scenarios, longest jobs first); the sweep's points follow one after another,
since each point decides the next."""
from . import attribution, sweep
from .runner import run_scenario, run_scenarios
from .structure import structure


def run_study(scenario, sweeps=(), target=0.9, workers=None, attribute=True, progress=None):
    """`progress(stage, done, total)`: stage is "Szenario", "Szenario und Zwischenszenarien" or "Kapazität"."""
    spec = sweep.parse(sweeps, scenario) if sweeps else None  # malformed --sweep fails before simulating

    def stage(name):
        return (lambda done, total: progress(name, done, total)) if progress else None

    what_ifs = attribution.plan(scenario) if attribute else None
    if what_ifs:
        keys = sorted(what_ifs)
        documents = run_scenarios([scenario, *(what_ifs[k] for k in keys)], workers=workers,
                                  progress=stage("Szenario und Zwischenszenarien"))
        result = documents[0]
        result["attribution"] = attribution.attribute(scenario, result, dict(zip(keys, documents[1:])))
    else:
        result = run_scenario(scenario, workers=workers, progress=stage("Szenario"))
    if spec:
        report = stage("Kapazität")
        result["sweep"] = sweep.sweep(scenario, spec, lambda point: run_scenario(point, workers=workers),
                                      target, progress=(lambda n: report(n, n)) if report else None)
    result["structure"] = structure(scenario)
    return result
