"""A whole job (e.g. a simulation) may run in one limited child process: its scripts run in-process
there (no worker round trip), the OS limits and a wall-clock deadline bound the whole job."""
from pathlib import Path

import pytest

from zsa_flow.bpmn.script_pool import WorkerFailed
from zsa_flow.bpmn.script_worker import is_limited_process
from zsa_flow.clock import FakeClock
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.engine.limited import run_limited
from zsa_flow.engine.runner import CaseRun
from zsa_flow.engine.strategies import SIMULATION
from zsa_flow.library.loader import read_library

ROOT = Path(__file__).resolve().parents[2]


def build_definition(path):
    """prepare: read the library (file access is still allowed here; modules are imported above)."""
    library = read_library([path])
    return definition_from_bundle(library.processes["skript"], library.bundle("skript"))


def run_cases(definition):
    """run: after lock_down; scripts run in this process, and no file can be opened any more."""
    results = []
    for faktor in range(3):
        run = CaseRun.new(definition, FakeClock(), SIMULATION)
        run.start({"faktor": faktor, "rasse": "Pudel"})
        results.append(run.case_data()["ergebnis"])
    try:
        open("/etc/hostname").close()
        opened = True
    except OSError:
        opened = False
    return {"limited": is_limited_process(), "results": results, "opened_a_file": opened}


def spin(_state):
    while True:
        pass


def keep(value):
    return value


def test_a_simulation_job_runs_its_scripts_inside_one_limited_process():
    reply = run_limited(build_definition, run_cases, (str(ROOT / "tests" / "fixtures" / "engine" / "script.bpmn"),))
    assert reply == {"limited": True, "results": [0, 10, 20], "opened_a_file": False}


def test_a_job_over_its_wall_clock_limit_is_killed():
    with pytest.raises(WorkerFailed, match="Zeitlimit"):
        run_limited(keep, spin, (1,), wall_seconds=2)
