"""The engine on its own: no database, plain-value effects, three named strategies, versioned state."""
import ast
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState

from zsa_flow.clock import FakeClock
from zsa_flow.engine import walk
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.engine.runner import COMPLETED, RUNNING, CaseRun
from zsa_flow.engine.state import CURRENT, StateFormatError, StoredState
from zsa_flow.engine.strategies import RUN_TO_WAIT, SIMULATION, SINGLE_STEP
from zsa_flow.library.loader import read_library

ROOT = Path(__file__).resolve().parents[2]
sys_path = ROOT / "tests" / "features"
START = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def hundehaltung():
    library = read_library([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    return definition_from_bundle(library.processes["hundehaltung"], library.bundle("hundehaltung"))


def _application(**changes):
    import sys

    sys.path.insert(0, str(sys_path))
    from hunde_steps import ANMELDUNG

    return ANMELDUNG | {"kommune": "15003000"} | changes


def _drive(definition, strategy, application):
    """Start by the portal message, then complete every task the same way; return all effects."""
    clock = FakeClock(START)
    run = CaseRun.new(definition, clock, strategy)
    effects = [run.start(application, message="antrag_hundehaltung")]
    if strategy is SINGLE_STEP:
        run.run_to_wait()
        effects.append(run.take_effects())
    answers = {"Bescheid entwerfen": {"entwurf_geprueft": True},
               "Steuerbescheid prüfen und erlassen": {"bescheid_entscheidung": "freigeben",
                                                     "bescheid_gezeichnet_von": "Tom Richter"}}
    for _ in range(5):
        tasks = run.open_tasks()
        if not tasks:
            break
        effects.append(run.complete_task(tasks[0].task_id, answers[tasks[0].name]))
        if strategy is SINGLE_STEP:
            run.run_to_wait()
            effects.append(run.take_effects())
    return run, [e for e in effects if e.events]


def test_run_to_wait_reports_effects_as_plain_values(hundehaltung):
    run = CaseRun.new(hundehaltung, FakeClock(START))
    effects = run.start(_application(), message="antrag_hundehaltung")
    assert run.state() == RUNNING
    [opened] = effects.tasks_opened
    assert opened.name == "Bescheid entwerfen" and opened.candidate_groups == ["zsa-hundehaltung"]
    assert opened.form_ref and isinstance(opened.priority, int)
    types = [e["type"] for e in effects.events]
    assert types[0] == "message_received" and "gateway_taken" in types and types[-1] == "task_created"
    assert "gateway_taken" not in [e["type"] for e in effects.events if e["element_id"] == "Gateway_Eingang"]  # a merge
    assert all(isinstance(e["data"], dict) for e in effects.events)


def test_single_step_makes_the_same_decisions_one_step_at_a_time(hundehaltung):
    fast, fast_effects = _drive(hundehaltung, RUN_TO_WAIT, _application())
    slow, slow_effects = _drive(hundehaltung, SINGLE_STEP, _application())
    def strip(all_effects):  # task ids are new UUIDs in every run
        return [(e["type"], e.get("element_id"), {k: v for k, v in e["data"].items() if k != "task_id"})
                for eff in all_effects for e in eff.events]

    assert strip(fast_effects) == strip(slow_effects)
    assert [m.name for eff in fast_effects for m in eff.messages] == \
        [m.name for eff in slow_effects for m in eff.messages]
    assert fast.state() == slow.state() == COMPLETED and fast.case_data() == slow.case_data()


def test_single_step_advances_exactly_one_step(hundehaltung):
    run = CaseRun.new(hundehaltung, FakeClock(START), SINGLE_STEP)
    started = run.start(_application(), message="antrag_hundehaltung")
    assert started.events == []  # the message is caught; the start event runs as the first step
    assert run.open_tasks() == []  # nothing automatic ran yet
    steps = 0
    while run.step():
        steps += 1
        assert len([e for e in run.take_effects().events if e["type"] != "task_created"]) <= 1
    assert steps > 3 and [t.name for t in run.open_tasks()] == ["Bescheid entwerfen"]


def test_simulation_runs_on_a_clock_moved_from_outside(hundehaltung):
    clock = FakeClock(START)
    run = CaseRun.new(hundehaltung, clock, SIMULATION)
    effects = run.start(_application(versicherung_personen_sach=500000, versicherung_vermoegen=0),
                        message="antrag_hundehaltung")
    [timer] = effects.timers_set
    assert timer.due_at == START + timedelta(days=14) and run.waiting_messages() == ["unterlagen_eingegangen"]
    clock.set(timer.due_at - timedelta(seconds=1))
    assert run.fire_due_timers().events == []
    clock.set(timer.due_at)
    fired = run.fire_due_timers()
    assert [e["type"] for e in fired.events].count("timer_fired") == 1
    assert timer.timer_id in fired.timers_cleared
    assert all("changed" not in e["data"] or e["data"]["changed"] == {} for e in fired.events
               if e["type"] == "script_executed")  # the simulation keeps no data diffs


def test_stored_state_round_trip_and_refusals(hundehaltung):
    run = CaseRun.new(hundehaltung, FakeClock(START))
    run.start(_application(), message="antrag_hundehaltung")
    stored = run.stored_state()
    assert stored.format == CURRENT
    again = CaseRun.restore(hundehaltung, stored, FakeClock(START))
    assert [t.task_id for t in again.open_tasks()] == [t.task_id for t in run.open_tasks()]
    with pytest.raises(StateFormatError, match="Unbekanntes Format"):
        CaseRun.restore(hundehaltung, StoredState("zsa-state-99", stored.blob))
    foreign = stored.blob.replace(b'"serializer_version":"1.5"', b'"serializer_version":"9.9"')
    with pytest.raises(StateFormatError, match="9.9"):
        CaseRun.restore(hundehaltung, StoredState(CURRENT, foreign))


def test_only_bpmn_and_engine_import_spiffworkflow():
    offenders = []
    for path in (ROOT / "zsa_flow").rglob("*.py"):
        rel = path.relative_to(ROOT / "zsa_flow").parts
        if rel[0] in ("bpmn", "engine"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("SpiffWorkflow")]
    assert offenders == []


@pytest.mark.parametrize("strategy", [RUN_TO_WAIT, SIMULATION, SINGLE_STEP], ids=lambda s: s.name)
def test_case_data_after_an_operation_is_what_a_fresh_walk_finds(hundehaltung, strategy):
    """case_data reuses the walk that settled the last operation; it must be what walking the task
    tree now gives, after every operation, in an incident and after the case is restored."""
    def fresh(run):
        run._at_rest = None  # forget the settled walk: case_data walks the tree itself
        return run.case_data()

    seen = 0
    for application in (_application(), _application(kommune="99999999")):  # the second ends in an incident
        run = CaseRun.new(hundehaltung, FakeClock(START), strategy)
        run.start(application, message="antrag_hundehaltung")
        if strategy is SINGLE_STEP:
            run.run_to_wait()
        for _ in range(5):
            walked = walk.tasks(run.workflow, TaskState.READY | TaskState.WAITING | TaskState.ERROR)
            assert run._at_rest == walked or (strategy is SINGLE_STEP and run._at_rest is None)  # (no step ran)
            data = run.case_data()
            assert data == fresh(run) and data.get("kommune") == application["kommune"]
            seen += 1
            restored = CaseRun.restore(hundehaltung, run.stored_state(), FakeClock(START), strategy)
            assert restored.case_data() == data
            tasks = run.open_tasks()
            if not tasks:
                break
            run.complete_task(tasks[0].task_id, {"entwurf_geprueft": True, "bescheid_entscheidung": "freigeben",
                                                 "bescheid_gezeichnet_von": "Tom Richter"})
            if strategy is SINGLE_STEP:
                run.run_to_wait()
        assert run.state() == ("incident" if application["kommune"] == "99999999" else COMPLETED)
    assert seen >= 4
