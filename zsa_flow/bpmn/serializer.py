"""Workflow state without its spec: the spec comes from the deployed version, not from each case.

SpiffWorkflow's serializer embeds the whole process spec in every serialized workflow. A case's
spec is fixed by its process version, so we store only the run state and hand the parsed spec
back in when restoring. The stored format and its migrations are zsa_flow/engine/state.py.
"""
from copy import deepcopy
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import DurationTimerEventDefinition, TimeDateEventDefinition
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from .specs import ClockedDuration, ClockedTimeDate


class StateConverter(BpmnWorkflowConverter):
    """BpmnWorkflow <-> dict, leaving out `spec` and `subprocess_specs`."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        spec, subprocess_specs = dct.pop("_specs")
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_CONFIG = deepcopy(CAMUNDA_CONFIG)
_CONFIG[BpmnWorkflow] = StateConverter
# Event definitions can sit in task internal data (an event-based gateway's seen events):
# our plain BPMN messages and clocked timers need converters too.
_CONFIG[MessageEventDefinition] = DEFAULT_CONFIG[MessageEventDefinition]
_CONFIG[ClockedTimeDate] = DEFAULT_CONFIG[TimeDateEventDefinition]
_CONFIG[ClockedDuration] = DEFAULT_CONFIG[DurationTimerEventDefinition]
_REGISTRY = BpmnWorkflowSerializer.configure(_CONFIG)


def dump_dict(workflow) -> dict:
    """A workflow's run state (tasks, data, subprocesses) as a JSON-compatible dict."""
    _REGISTRY._encoder_mode = False
    return _REGISTRY.convert(workflow)


def restore_dict(dct, spec, subprocess_specs, script_engine) -> BpmnWorkflow:
    """Rebuild a workflow from `dump_dict` output and its (cached) parsed spec."""
    dct["_specs"] = (spec, subprocess_specs)
    workflow = _REGISTRY.restore(dct)
    workflow._BpmnWorkflow__script_engine = script_engine
    return workflow


__all__ = ["SERIALIZER_VERSION", "dump_dict", "restore_dict"]
