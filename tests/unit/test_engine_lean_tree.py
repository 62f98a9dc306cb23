"""The lean task-tree functions (engine/lean_tree.py) and the settling walk (walk.settled) change
nothing: a real case builds the very same task tree — specs, states, data, order — with them as
with SpiffWorkflow's originals, at every wait state."""
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from SpiffWorkflow import task as task_module
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from zsa_flow.bpmn.parser import is_human
from zsa_flow.clock import FakeClock
from zsa_flow.engine import lean_tree, walk
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.engine.runner import CaseRun
from zsa_flow.engine.strategies import RUN_TO_WAIT, SIMULATION
from zsa_flow.library.loader import read_library

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {"Bescheid entwerfen": {"entwurf_geprueft": True},
           "Erlaubnis für gefährlichen Hund prüfen": {"erlaubnis": "erteilt"},
           "Steuerbescheid prüfen und erlassen": {"bescheid_entscheidung": "freigeben",
                                                 "bescheid_gezeichnet_von": "Tom Richter"}}


def tree(task):
    """The task tree below `task` without its random ids."""
    return (task.task_spec.name, task._state, task.data, task.triggered, [tree(c) for c in task.children])


def dog_registration(strategy, application):
    """Snapshots of the task tree after every operation of a dog registration."""
    library = read_library([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    definition = definition_from_bundle(library.processes["hundehaltung"], library.bundle("hundehaltung"))
    run = CaseRun.new(definition, FakeClock(datetime(2026, 3, 2, 8, tzinfo=timezone.utc)), strategy)
    snapshots = [tree(run.workflow.task_tree)]
    run.start(application, message="antrag_hundehaltung")
    snapshots.append(tree(run.workflow.task_tree))
    for _ in range(6):
        tasks = run.open_tasks()
        if not tasks and "unterlagen_eingegangen" in run.waiting_messages():
            run.deliver_message("unterlagen_eingegangen", {"transponder_nr": "276098106543210"})
            snapshots.append(tree(run.workflow.task_tree))
            continue
        if not tasks:
            break
        run.complete_task(tasks[0].task_id, ANSWERS.get(tasks[0].name, {}))
        snapshots.append(tree(run.workflow.task_tree))
    return snapshots, run.state(), run.incident


def applications():
    sys.path.insert(0, str(ROOT / "tests" / "features"))
    from hunde_steps import ANMELDUNG

    plain = ANMELDUNG | {"kommune": "15003000"}
    return [plain, plain | {"rasse": "Pitbull-Terrier"}, plain | {"transponder_nr": "123"}]


@pytest.mark.parametrize("strategy", [RUN_TO_WAIT, SIMULATION], ids=lambda s: s.name)
def test_the_lean_tree_functions_build_the_same_tree_as_spiffworkflows(strategy, monkeypatch):
    for application in applications():
        lean = dog_registration(strategy, application)
        with monkeypatch.context() as originals:
            originals.setattr(Task, "_inherit_data", lean_tree.ORIGINAL_INHERIT_DATA)
            originals.setattr(Task, "_sync_children", lean_tree.ORIGINAL_SYNC_CHILDREN)
            originals.setattr(TaskSpec, "_predict", lean_tree.ORIGINAL_PREDICT)
            originals.setattr(Task, "children", lean_tree.ORIGINAL_CHILDREN)
            import uuid
            originals.setattr(task_module, "uuid4", uuid.uuid4)
            original = dog_registration(strategy, application)
        assert len(lean[0]) >= 4 and lean[1:] == ("completed", None)
        assert lean == original


def test_settled_finds_what_the_walks_find_and_stops_at_a_ready_automatic_task():
    library = read_library([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    definition = definition_from_bundle(library.processes["hundehaltung"], library.bundle("hundehaltung"))
    run = CaseRun.new(definition, FakeClock(datetime(2026, 3, 2, 8, tzinfo=timezone.utc)), RUN_TO_WAIT)
    run._open_start_events()  # the start event's scaffolding: automatic tasks are ready now
    assert walk.tasks(run.workflow, TaskState.READY, manual=False)
    assert walk.settled(run.workflow) is None
    run = CaseRun.new(definition, FakeClock(datetime(2026, 3, 2, 8, tzinfo=timezone.utc)), RUN_TO_WAIT)
    run.start(applications()[0], message="antrag_hundehaltung")
    manual, waiting, in_order = walk.settled(run.workflow)
    everything = walk.tasks(run.workflow, TaskState.READY | TaskState.WAITING | TaskState.ERROR)
    assert in_order == everything and run._human_and_waiting()[2] == everything
    assert manual == [t for t in walk.tasks(run.workflow, TaskState.READY) if t.task_spec.manual]
    assert [t for t in manual if is_human(t.task_spec)] == [t for t in walk.tasks(run.workflow, TaskState.READY)
                                                            if is_human(t.task_spec)]
    assert manual and waiting == walk.tasks(run.workflow, TaskState.WAITING)
