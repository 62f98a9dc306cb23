"""A whole study as the CLI and the browser run it: the scenario, the gain attribution (when there is a
to-be and as-is variants), an optional capacity sweep, and the structural comparison — one result
document (results.py keys, plus `structure`, `attribution`, `sweep`)."""
from . import attribution, sweep
from .runner import run_scenario
from .structure import structure


def run_study(scenario, sweeps=(), target=0.9, workers=None, attribute=True, progress=None):
    """`progress(stage, done, total)`: stage is "Szenario", "Zwischenszenarien" or "Kapazität"."""
    spec = sweep.parse(sweeps, scenario) if sweeps else None  # malformed --sweep fails before simulating

    def stage(name):
        return (lambda done, total: progress(name, done, total)) if progress else None

    result = run_scenario(scenario, workers=workers, progress=stage("Szenario"))
    if attribute:
        step = {"n": 0}

        def run(what_if):
            step["n"] += 1
            report = stage(f"Zwischenszenario {step['n']}/3")
            return run_scenario(what_if, workers=workers, progress=report)

        result["attribution"] = attribution.attribute(scenario, result, run)
    if spec:
        report = stage("Kapazität")
        result["sweep"] = sweep.sweep(scenario, spec, lambda point: run_scenario(point, workers=workers),
                                      target, progress=(lambda n: report(n, n)) if report else None)
    result["structure"] = structure(scenario)
    return result
