"""Cost and effect of running scripts in limited worker processes (issue 13).

    python -m bench.isolation [N]

1. One expression (`betrag + 0 < 10`) in-process vs. in a worker: CPU microseconds per evaluation,
   counting the parent's and the worker's CPU; a plain comparison (`betrag < 10`) stays in-process.
2. SIMULATION strategy: N Hundeanmeldungen started (scripts, decisions, gateways up to the first
   person) with isolated vs. in-process scripts: `sim-ratio` (isolated / in-process CPU).
3. Every payload of tests/fixtures/hostile/scripts.json: how it was bounded, after how long, and
   this process's peak RSS afterwards.
4. A 15,000-component form: CPU seconds to parse and check (25 s before issue 13, quadratic).
"""
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from zsa_flow.bpmn.script_engine import SandboxEnvironment, ScriptError
from zsa_flow.bpmn.script_isolated import IsolatedEnvironment
from zsa_flow.bpmn.script_pool import worker_cpu_seconds
from zsa_flow.clock import FakeClock
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.engine.runner import CaseRun
from zsa_flow.engine.strategies import SIMULATION
from zsa_flow.forms import parse_form
from zsa_flow.library.loader import read_library
from zsa_flow.rules.functions import SCRIPT_FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]


def cpu():
    return time.process_time() + worker_cpu_seconds()


def per_expression(env, n, source="betrag + 0 < 10"):
    env.evaluate("1 + 1", {})
    start = cpu()
    for i in range(n):
        env.evaluate(source, {"betrag": i})
    return (cpu() - start) / n


def simulation(isolated, n):
    sys.path.insert(0, str(ROOT / "tests" / "features"))
    from hunde_steps import ANMELDUNG

    library = read_library([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    definition = definition_from_bundle(library.processes["hundehaltung"], library.bundle("hundehaltung"))
    functions = definition.script_engine.environment.globals
    definition.script_engine.environment = (IsolatedEnvironment if isolated else SandboxEnvironment)(functions, 2.0)
    CaseRun.new(definition, FakeClock(), SIMULATION).start(ANMELDUNG | {"kommune": "15003000"},
                                                            message="antrag_hundehaltung")
    start = cpu()
    for _ in range(n):
        run = CaseRun.new(definition, FakeClock(), SIMULATION)
        run.start(ANMELDUNG | {"kommune": "15003000"}, message="antrag_hundehaltung")
        assert run.state() == "running", run.incident
    return (cpu() - start) / n


def hostile():
    env = IsolatedEnvironment({**SCRIPT_FUNCTIONS, "heute": None}, 2.0)
    for payload in json.loads((ROOT / "tests" / "fixtures" / "hostile" / "scripts.json").read_text()):
        started = time.monotonic()
        try:
            env.execute(payload["script"], {})
            outcome = "NICHT BEGRENZT"
        except ScriptError as error:
            outcome = f"{error.error_type}: {error.message}"
        print(f"  {payload['name']:<26} {time.monotonic() - started:5.2f} s  {outcome}")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def large_form():
    components = [{"type": "textfield", "id": f"F{i}", "key": f"g{i % 50}.f{i}"} for i in range(15_000)]
    text = '{"id":"gross","components":[' + ",\n".join(json.dumps(c) for c in components) + "]}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gross.form"
        path.write_text(text)
        started = time.process_time()
        parse_form(path.read_bytes(), str(path))
        return time.process_time() - started


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 50
    inline = per_expression(SandboxEnvironment({}, 2.0), 20 * n)
    isolated = per_expression(IsolatedEnvironment({}, 2.0), 20 * n)
    comparison = per_expression(IsolatedEnvironment({}, 2.0), 20 * n, "betrag < 10")
    print(f"expression: in-process {inline * 1e6:.0f} µs, isolated {isolated * 1e6:.0f} µs CPU (parent + worker); "
          f"plain comparison with isolation on: {comparison * 1e6:.0f} µs")
    sim_inline, sim_isolated = simulation(False, n), simulation(True, n)
    print(f"simulation start of a Hundeanmeldung: in-process {sim_inline * 1000:.2f} ms, "
          f"isolated {sim_isolated * 1000:.2f} ms CPU")
    print("hostile scripts:")
    hostile()
    print(f"15,000-component form parsed in {large_form():.2f} s CPU")
    print(f"sim-ratio {sim_isolated / sim_inline:.2f}")


if __name__ == "__main__":
    main(sys.argv)
