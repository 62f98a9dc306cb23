"""The SpiffWorkflow internals zsa-flow relies on (private names, engine-internal task names).

SpiffWorkflow is pinned (3.2.*). Before an upgrade, this test tells what no longer exists; every
use sits in zsa_flow/bpmn or zsa_flow/engine, and a change of the stored state needs a migration
in zsa_flow/engine/state.py plus a frozen fixture (docs/architecture.md, "Stored state").
"""
import SpiffWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.bpmn.util.event import EventManager
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.task import Task

from zsa_flow.bpmn.serializer import SERIALIZER_VERSION
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
]


def test_internals_still_exist():
    missing = [f"{cls.__name__}.{name}" for cls, name in INTERNALS if not hasattr(cls, name)]
    assert missing == []
    assert hasattr(CamundaParser, "OVERRIDE_PARSER_CLASSES")
    # history pruning (engine/prune.py) re-links the task tree through these instance attributes
    assert {"_children", "_parent"} <= set(Task.__init__.__code__.co_names)
    # the script engine is stored under its name-mangled attribute (bpmn/serializer.py)
    assert "_BpmnWorkflow__script_engine" in BpmnWorkflow.__init__.__code__.co_names or \
        "_BpmnWorkflow__script_engine" in BpmnWorkflow.script_engine.fget.__code__.co_names


def test_stored_states_name_the_serializer_version_they_were_written_with():
    # a new SpiffWorkflow serializer version must come with a migration in engine/state.py
    assert SERIALIZER_VERSION == VERSION == "1.5", (
        f"SpiffWorkflow {SpiffWorkflow.__version__ if hasattr(SpiffWorkflow, '__version__') else ''} writes "
        f"serializer version {VERSION}: add a stored-state migration and a frozen fixture")
    assert CURRENT == "zsa-state-2" and set(MIGRATIONS) == {"zsa-state-1"}
