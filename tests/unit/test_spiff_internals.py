"""The SpiffWorkflow internals zsa-flow relies on (private names, engine-internal task names).

SpiffWorkflow is pinned (3.2.*). Before an upgrade, this test tells what no longer exists; every
use sits in zsa_flow/bpmn or zsa_flow/engine, and a change of the stored state needs a migration
in zsa_flow/engine/state.py plus a frozen fixture (docs/architecture.md, "Stored state").
"""
import hashlib
import inspect

import SpiffWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from SpiffWorkflow.bpmn.specs.event_definitions import message
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.bpmn.util.event import EventManager
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow import task as task_module
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskIterator
from SpiffWorkflow.workflow import Workflow

from zsa_flow.bpmn.serializer import SERIALIZER_VERSION
from zsa_flow.engine import lean, lean_tree
from zsa_flow.engine.state import CURRENT, MIGRATIONS

INTERNALS = [
    (Task, "_get_internal_data"),  # timer due values (bpmn/specs.py, engine/runner.py)
    (Task, "_set_internal_data"),
    (Task, "_set_state"),  # retry puts ERROR tasks back to READY
    (BpmnSpecMixin, "_update"),  # opening message start events, subprocess parents
    (BpmnSpecMixin, "_run_hook"),  # DecisionTask
    (WorkflowConverter, "to_dict"),  # stored state without specs (bpmn/serializer.py)
    (BpmnWorkflowConverter, "mapping_to_dict"),
    (BpmnWorkflowConverter, "mapping_from_dict"),
    (BpmnWorkflowConverter, "set_default_attributes"),
    (BpmnWorkflowConverter, "subprocesses_from_dict"),
    (BpmnWorkflow, "get_active_subprocesses"),  # single-step order (engine/runner.py)
    (BpmnWorkflow, "refresh_timers"),
    (EventManager, "catch"),
    (TimerEventDefinition, "get_datetime"),
    (TimerEventDefinition, "parse_iso_duration"),
    (TimerEventDefinition, "get_timedelta_from_start"),
    (Workflow, "update_waiting_tasks"),  # replaced per workflow by the lean walk (engine/walk.py)
    (BpmnWorkflow, "top_workflow"),
]

# Functions zsa-flow replaces or re-implements, pinned by a hash of their source: when SpiffWorkflow
# changes one, check the counterpart named here still does the same, then update the hash.
REIMPLEMENTED = {
    "Task._set_state": (lean.ORIGINAL_SET_STATE, "86c4c1d22dc9b70f"),  # engine/lean.py _set_state
    "Workflow.collect_log_extras": (lean.ORIGINAL_WORKFLOW_EXTRAS, "888ba42a9b91ba27"),  # lean._workflow_extras
    "Workflow.update_waiting_tasks": (Workflow.update_waiting_tasks, "258ee4cb217fa709"),  # walk.update_waiting_tasks
    # ... which SpiffWorkflow calls after every completed task, through the instance attribute
    "Workflow._task_completed_notify": (Workflow._task_completed_notify, "a87c9bea38b2f71e"),
    "BpmnWorkflow.do_engine_steps": (BpmnWorkflow.do_engine_steps, "0dddd74053a531e3"),  # runner._engine_steps
    "BpmnWorkflow._do_engine_steps": (BpmnWorkflow._do_engine_steps, "1c52d09d52f72038"),  # runner._engine_pass
    "TaskIterator.__init__": (TaskIterator.__init__, "86cd5292d76b19c4"),  # walk.iterate
    "TaskIterator._next": (TaskIterator._next, "55dbe46635bd176b"),
    "BpmnTaskIterator._next": (BpmnTaskIterator._next, "344c7da965a176ec"),
    "MessageEventDefinition.throw": (MessageEventDefinition.throw, "454264133ce24e56"),  # its `deepcopy`: lean.copy_data
    "Task._inherit_data": (lean_tree.ORIGINAL_INHERIT_DATA, "881f3fbdcf64c763"),  # lean_tree._inherit_data
    "Task._sync_children": (lean_tree.ORIGINAL_SYNC_CHILDREN, "a8916be3877073d1"),  # lean_tree._sync_children
    "TaskSpec._predict": (lean_tree.ORIGINAL_PREDICT, "e205cac4587d51d4"),  # lean_tree._predict
    "Task.children": (lean_tree.ORIGINAL_CHILDREN.fget, "ab66856eadb442f8"),  # lean_tree._children
    "Task.__init__": (Task.__init__, "5d98d6df6c602dfb"),  # its `uuid4`: lean_tree.uuid4
}


def test_internals_still_exist():
    missing = [f"{cls.__name__}.{name}" for cls, name in INTERNALS if not hasattr(cls, name)]
    assert missing == []
    assert hasattr(CamundaParser, "OVERRIDE_PARSER_CLASSES")
    # history pruning (engine/prune.py) re-links the task tree through these instance attributes
    assert {"_children", "_parent"} <= set(Task.__init__.__code__.co_names)
    # the script engine is stored under its name-mangled attribute (bpmn/serializer.py)
    assert "_BpmnWorkflow__script_engine" in BpmnWorkflow.__init__.__code__.co_names or \
        "_BpmnWorkflow__script_engine" in BpmnWorkflow.script_engine.fget.__code__.co_names


def test_the_reimplemented_functions_are_unchanged():
    changed = [name for name, (function, digest) in REIMPLEMENTED.items()
               if hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16] != digest]
    assert changed == []
    # the lean versions are installed, and `message` names deepcopy only for throw's copy of the task data
    assert Task._set_state is lean._set_state and Workflow.collect_log_extras is lean._workflow_extras
    assert message.deepcopy is lean.copy_data
    assert inspect.getsource(message).count("deepcopy(") == 1
    assert {"_state", "_children"} <= set(Task.__init__.__code__.co_names)
    assert "subprocesses" in BpmnWorkflow.__init__.__code__.co_names  # the walks enter subprocesses by it
    # the lean tree functions are installed; `SpiffWorkflow.task` calls uuid4 only for a new task's id
    assert Task._inherit_data is lean_tree._inherit_data and Task._sync_children is lean_tree._sync_children
    assert TaskSpec._predict is lean_tree._predict and task_module.uuid4 is lean_tree.uuid4
    assert Task.children.fget is lean_tree._children and Task.children.fset is lean_tree.ORIGINAL_CHILDREN.fset
    assert inspect.getsource(task_module).count("uuid4(") == 1


def test_the_lean_uuid4_makes_version_4_uuids_as_the_standard_library_does():
    import uuid

    made = [lean_tree.uuid4() for _ in range(2000)]
    assert len(set(made)) == 2000 and all(type(u) is uuid.UUID for u in made)
    assert {u.version for u in made} == {4} and {u.variant for u in made} == {uuid.RFC_4122}
    assert all(u == uuid.UUID(str(u)) and hash(u) == hash(uuid.UUID(str(u))) for u in made)
    assert all(u.is_safe is uuid.SafeUUID.unknown for u in made)
    # the other 122 bits are random: each of them is set in some and clear in others
    every, fixed = (1 << 128) - 1, (0xf << 76) | (0xc << 60)
    seen_set = seen_clear = 0
    for u in made:
        seen_set |= u.int
        seen_clear |= every ^ u.int
    assert seen_set & ~fixed == seen_clear & ~fixed == every & ~fixed


def test_stored_states_name_the_serializer_version_they_were_written_with():
    # a new SpiffWorkflow serializer version must come with a migration in engine/state.py
    assert SERIALIZER_VERSION == VERSION == "1.5", (
        f"SpiffWorkflow {SpiffWorkflow.__version__ if hasattr(SpiffWorkflow, '__version__') else ''} writes "
        f"serializer version {VERSION}: add a stored-state migration and a frozen fixture")
    assert CURRENT == "zsa-state-2" and set(MIGRATIONS) == {"zsa-state-1"}
