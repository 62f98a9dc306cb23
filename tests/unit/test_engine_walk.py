"""The engine's lean task-tree walks (engine/walk.py) find exactly what SpiffWorkflow's own iterators
find, in the same order, at every wait state of real cases — with and without subprocesses."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.util.task import TaskIterator, TaskState

from zsa_flow.clock import FakeClock
from zsa_flow.engine import walk
from zsa_flow.engine.definitions import definition_from_bundle
from zsa_flow.engine.runner import CaseRun
from zsa_flow.engine.strategies import RUN_TO_WAIT, SIMULATION
from zsa_flow.library.loader import read_library

ROOT = Path(__file__).resolve().parents[2]
MASKS = [TaskState.MAYBE, TaskState.LIKELY, TaskState.FUTURE, TaskState.WAITING, TaskState.READY,
         TaskState.STARTED, TaskState.COMPLETED, TaskState.ERROR, TaskState.CANCELLED,
         TaskState.READY | TaskState.WAITING, TaskState.READY | TaskState.WAITING | TaskState.ERROR,
         TaskState.FINISHED_MASK, TaskState.NOT_FINISHED_MASK, TaskState.DEFINITE_MASK, TaskState.PREDICTED_MASK,
         TaskState.ANY_MASK]

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="verschachtelt" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split"/>
    <bpmn:parallelGateway id="split"/>
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="sub"/>
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="pruefen"/>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="sub_start"/>
      <bpmn:sequenceFlow id="s1" sourceRef="sub_start" targetRef="erfassen"/>
      <bpmn:userTask id="erfassen"/>
      <bpmn:sequenceFlow id="s2" sourceRef="erfassen" targetRef="sub_end"/>
      <bpmn:endEvent id="sub_end"/>
    </bpmn:subProcess>
    <bpmn:userTask id="pruefen"/>
    <bpmn:sequenceFlow id="f4" sourceRef="sub" targetRef="join"/>
    <bpmn:sequenceFlow id="f5" sourceRef="pruefen" targetRef="join"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="ende"/>
    <bpmn:endEvent id="ende"/>
  </bpmn:process>
</bpmn:definitions>"""


def assert_same_walks(workflow):
    for mask in MASKS:
        assert walk.tasks(workflow, mask) == workflow.get_tasks(state=mask), TaskState.get_name(mask)
        assert walk.tasks(workflow, mask, manual=False) == workflow.get_tasks(state=mask, manual=False)
        assert walk.tasks(workflow, mask, subprocesses=False) == list(TaskIterator(workflow.task_tree, state=mask))
    for sub in workflow.subprocesses.values():
        assert walk.tasks(sub, TaskState.ANY_MASK) == sub.get_tasks(state=TaskState.ANY_MASK)


@pytest.mark.parametrize("strategy", [RUN_TO_WAIT, SIMULATION], ids=lambda s: s.name)
def test_the_walks_match_spiffworkflow_at_every_wait_of_a_dog_registration(strategy):
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "features"))
    from hunde_steps import ANMELDUNG

    library = read_library([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    definition = definition_from_bundle(library.processes["hundehaltung"], library.bundle("hundehaltung"))
    run = CaseRun.new(definition, FakeClock(datetime(2026, 3, 2, 8, tzinfo=timezone.utc)), strategy)
    assert_same_walks(run.workflow)
    run.start(ANMELDUNG | {"kommune": "15003000"}, message="antrag_hundehaltung")
    answers = {"Bescheid entwerfen": {"entwurf_geprueft": True},
               "Steuerbescheid prüfen und erlassen": {"bescheid_entscheidung": "freigeben",
                                                     "bescheid_gezeichnet_von": "Tom Richter"}}
    for _ in range(5):
        assert_same_walks(run.workflow)
        tasks = run.open_tasks()
        if not tasks:
            break
        run.complete_task(tasks[0].task_id, answers[tasks[0].name])
    assert_same_walks(run.workflow)


def test_the_walks_enter_subprocesses_like_spiffworkflow():
    parser = CamundaParser()
    parser.add_bpmn_xml(etree.fromstring(NESTED), filename="verschachtelt.bpmn")
    workflow = BpmnWorkflow(parser.get_spec("verschachtelt"), parser.get_subprocess_specs("verschachtelt"))
    walk.install(workflow)
    workflow.do_engine_steps()
    assert workflow.subprocesses  # the subprocess runs and waits for its user task
    assert_same_walks(workflow)
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        task.run()
        workflow.do_engine_steps()
        assert_same_walks(workflow)
    assert workflow.is_completed()
