"""Simulation benchmark: one year of Hundehaltung (to-be) for 25 Gemeinden, side by side.

    python -m bench.simulate [--kommunen 25] [--days 365]

1. zsa-flow: the SimPy simulator with every case on the real engine (SIMULATION strategy).
2. the bare engine: the very same engine operations of the same cases (recorded in step 1),
   replayed one case after another without SimPy, scheduling, sampling or form decisions.
3. Prosimos 2.1.0 on a simplified conversion of the same model (the human tasks, the gateways with
   the model's zsa:probability, the document wait as an intermediate event, the same durations and
   staffing), installed only into bench/.venv-prosimos (created here; never a project dependency).
Events are counted the same way everywhere: one start and one end event per human task. Times are
CPU seconds of the simulating process (the machine is shared). Steps 1 and 2 run in one limited child
process (`engine.limited.run_limited`), as `zsa-flow simulate` runs its jobs: the models' scripts run
inside it, so their CPU time is counted and no script worker round trip is paid. Prints `ratio N` (zsa-flow events/s
÷ Prosimos events/s, target ≥ 0.5) and `overhead N` (zsa-flow time ÷ bare engine time, target ≤ 1.5).
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zsa_flow.clock import FakeClock
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.engine.limited import run_limited
from zsa_flow.engine.runner import CaseRun
from zsa_flow.engine.strategies import SIMULATION
from zsa_flow.simulation.cases import GENERATORS
from zsa_flow.simulation.decisions import ModelDecisions
from zsa_flow.simulation.runner import JOB_MEMORY_BYTES, jobs_for
from zsa_flow.simulation.scenario import build_scenario
from zsa_flow.simulation.simulator import Simulation

from . import prosimos_model

ROOT = Path(__file__).resolve().parents[1]
PROSIMOS_VENV = ROOT / "bench" / ".venv-prosimos"


def scenario(kommunen, days):
    doc = {"name": "bench", "period": f"P{days}D", "warmup": "PT0S", "drain": "P120D", "replications": 1,
           "seed": 1, "kommunen": kommunen, "library": [str(ROOT / "processes"), str(ROOT / "forms")],
           "variants": [{"process": "hundehaltung"}],
           "staff": {"ZSA Sachbearbeitung Hundehaltung": 2, "Ordnungsamt (Gemeinde)": 1, "Steueramt (Gemeinde)": 1}}
    return build_scenario(doc, str(ROOT / "processes" / "hundehaltung" / "bench.yaml"))


def prepare(kommunen, days):
    """Before lock-down: the definition and a simulation set up (calendar loaded)."""
    setup, info, bundle, model = jobs_for(scenario(kommunen, days))[0]
    definition = definition_from_bundle(info, bundle)
    return Simulation(setup, definition, model, ModelDecisions(model, definition), GENERATORS["hundehaltung"]), \
        definition


def run_zsa_flow(sim, definition):
    sim.trace = []
    started = time.process_time()
    raw = sim.run()
    seconds = time.process_time() - started
    return raw, seconds, sim.trace, definition


def measure(state):
    """In the limited child: zsa-flow's simulation, then the bare engine on the recorded operations."""
    raw, seconds, trace, definition = run_zsa_flow(*state)
    bare_seconds, cases = run_bare(trace, definition)
    return {"events": raw.task_events, "seconds": seconds, "bare_seconds": bare_seconds, "cases": cases}


def run_bare(trace, definition):
    """Replay the recorded operations per case on fresh CaseRuns, without SimPy."""
    by_case = {}
    for entry in trace:
        by_case.setdefault(entry[0], []).append(entry)
    started = time.process_time()
    for entries in by_case.values():
        clock = FakeClock(entries[0][1])
        run = CaseRun.new(definition, clock, SIMULATION)
        ids = {}
        for _case, at, name, args, opened in entries:
            clock.set(at)
            if name == "complete_task":
                args = (ids[args[0]], args[1])
            effects = getattr(run, name)(*args)
            ids.update(zip(opened, (t.task_id for t in effects.tasks_opened)))
    return time.process_time() - started, len(by_case)


def run_prosimos(model_path, sc, cases, staff):
    python = PROSIMOS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(PROSIMOS_VENV)], check=True)
    check = subprocess.run([str(python), "-c", "import prosimos"], capture_output=True)
    if check.returncode != 0:
        install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                                  "prosimos==2.1.0"], capture_output=True, text=True)
        if install.returncode != 0:
            return None, "Installation in bench/.venv-prosimos gescheitert: " + install.stderr.strip()[-300:]
    with tempfile.TemporaryDirectory() as tmp:
        bpmn, params = Path(tmp) / "hundehaltung.bpmn", Path(tmp) / "hundehaltung.json"
        prosimos_model.write(model_path, sc, staff, bpmn, params)
        out = subprocess.run([str(python), str(Path(__file__).with_name("prosimos_run.py")), str(bpmn), str(params),
                              str(cases), tmp], capture_output=True, text=True)
        if out.returncode != 0:
            return None, "Prosimos-Lauf gescheitert: " + (out.stderr.strip().splitlines() or ["?"])[-1]
        return json.loads(out.stdout.strip().splitlines()[-1]), None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommunen", type=int, default=25)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--skip-prosimos", action="store_true", help="only zsa-flow and the bare engine")
    args = parser.parse_args(argv)
    sc = scenario(args.kommunen, args.days)
    measured = run_limited(prepare, measure, (args.kommunen, args.days), memory_bytes=JOB_MEMORY_BYTES,
                           cpu_seconds=3600, wall_seconds=3600)
    events, seconds, bare_seconds, cases = (measured[k] for k in ("events", "seconds", "bare_seconds", "cases"))
    print(f"model hundehaltung (to-be), {args.kommunen} Gemeinden, {args.days} Tage: {cases} Fälle, "
          f"{events} Aufgabenereignisse (Start + Ende)")
    print(f"zsa-flow     {seconds:8.2f} s CPU  {events / seconds:10.0f} events/s  {seconds / cases * 1000:6.2f} ms/Fall")
    print(f"bare engine  {bare_seconds:8.2f} s CPU  {events / bare_seconds:10.0f} events/s  "
          f"{bare_seconds / cases * 1000:6.2f} ms/Fall")
    variant = sc.variants[0]
    prosimos, why = (None, "--skip-prosimos") if args.skip_prosimos else \
        run_prosimos(variant.info.file.path, sc, cases, variant.staff)
    if prosimos:
        p_rate = prosimos["events"] / prosimos["seconds"]
        print(f"Prosimos     {prosimos['seconds']:8.2f} s CPU  {p_rate:10.0f} events/s  "
              f"{prosimos['seconds'] / prosimos['cases'] * 1000:6.2f} ms/Fall ({prosimos['cases']} Fälle, "
              f"{prosimos['events']} Ereignisse)")
        print(f"ratio {events / seconds / p_rate:.2f}")
    else:
        print(f"Prosimos     nicht gemessen: {why}")
        print("ratio n/a")
    print(f"overhead {seconds / bare_seconds:.2f}")


if __name__ == "__main__":
    main()
