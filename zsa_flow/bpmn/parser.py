"""SpiffWorkflow's Camunda parser, extended with what Camunda Modeler writes and it ignores.

Extension points used (see SpiffWorkflow's BpmnParser docstring): OVERRIDE_PARSER_CLASSES maps
BPMN tags to (parser, spec) pairs. We copy the Camunda mapping and replace a few entries; the base
class is never mutated.
"""
import os
import re

import SpiffWorkflow.bpmn.parser as _spiff_parser
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    IntermediateCatchEvent,
    ManualTask,
    StartEvent,
)
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.bpmn.parser.event_parsers import EventDefinitionParser
from SpiffWorkflow.bpmn.specs.defaults import EndEvent, IntermediateThrowEvent
from SpiffWorkflow.camunda.parser.event_parsers import (
    CamundaBoundaryEventParser,
    CamundaEndEventParser,
    CamundaIntermediateCatchEventParser,
    CamundaIntermediateThrowEventParser,
    CamundaStartEventParser,
)
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser, UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import UserTask

from .form_keys import is_form_key
from .specs import ClockedDuration, ClockedTimeDate, DecisionTask, HumanTaskMeta

_ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def is_iso_literal(text: str) -> bool:
    """True for an ISO 8601 duration or date/time as Camunda Modeler writes it (unquoted)."""
    text = text.strip()
    return bool(_ISO_DURATION.match(text) or _ISO_DATETIME.match(text))


def form_ref_of(node, ns) -> tuple:
    """(form ref, binding) of a user task or start event: camunda:formRef (a form id) or a path-based
    camunda:formKey, kept whole and bound to the deployed version (see form_keys)."""
    form_ref = node.get(ns + "formRef")
    if form_ref:
        return form_ref, node.get(ns + "formRefBinding") or "latest"
    form_key = node.get(ns + "formKey") or ""
    if is_form_key(form_key):
        return form_key, "deployment"
    return None, "latest"


def _split_list(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class HumanTaskMixin:
    """Reads camunda:candidateGroups & co. and attaches them to the spec as `spec.human`."""

    def create_task(self):
        task = super().create_task()
        ns = "{%s}" % CAMUNDA_MODEL_NS
        get = self.node.get
        groups = _split_list(get(ns + "candidateGroups"))
        if not groups:
            # Camunda's schema has no candidateGroups on manualTask; modellers set this property
            groups = _split_list(self._property("zsa:candidate-groups"))
        if not groups and self.lane:
            groups = [self.lane]
        form_ref, binding = form_ref_of(self.node, ns)
        task.human = HumanTaskMeta(
            candidate_groups=groups,
            candidate_users=_split_list(get(ns + "candidateUsers")),
            assignee=get(ns + "assignee"),
            due_date=get(ns + "dueDate"),
            follow_up_date=get(ns + "followUpDate"),
            priority=get(ns + "priority"),
            form_ref=form_ref,
            form_binding=binding,
        )
        return task


    def _property(self, name):
        for prop in self.xpath("./bpmn:extensionElements/camunda:properties/camunda:property"):
            if prop.get("name") == name:
                return prop.get("value")
        return None


class ZsaUserTaskParser(HumanTaskMixin, UserTaskParser):
    """User task with Camunda task metadata."""


class ZsaManualTaskParser(HumanTaskMixin, CamundaTaskParser):
    """Manual task: a human step without a form (paper work in as-is models)."""


class DecisionTaskParser(CamundaTaskParser):
    """bpmn:businessRuleTask camunda:decisionRef=... evaluated by zsa_flow.dmn."""

    @staticmethod
    def get_decision_ref(node):
        """Used by the DMN-aware base parser to collect a process's decision dependencies."""
        return node.get("{%s}decisionRef" % CAMUNDA_MODEL_NS)

    def create_task(self):
        ns = "{%s}" % CAMUNDA_MODEL_NS
        ref = self.node.get(ns + "decisionRef")
        if not ref:
            self.raise_validation_exception("businessRuleTask needs camunda:decisionRef")
        return self.spec_class(
            self.spec,
            self.bpmn_id,
            decision_ref=ref,
            result_variable=self.node.get(ns + "resultVariable"),
            map_result=self.node.get(ns + "mapDecisionResult"),
            **self.bpmn_attributes,
        )


class ClockedTimerMixin:
    """Timers read the engine clock and accept unquoted ISO 8601 text as Camunda Modeler writes it."""

    def parse_timer_event(self, event):
        definition = super().parse_timer_event(event)
        expression = (definition.expression or "").strip()
        if is_iso_literal(expression):
            expression = repr(expression)
        kwargs = {"description": definition.description}
        if isinstance(definition, TimeDateEventDefinition):
            return ClockedTimeDate(definition.name, expression, **kwargs)
        if isinstance(definition, DurationTimerEventDefinition):
            return ClockedDuration(definition.name, expression, **kwargs)
        definition.expression = expression
        return definition


class PlainMessageMixin:
    """Messages carry a dict that is merged into case data when caught, and the case data when thrown.

    (SpiffWorkflow's Camunda message definition evaluates `camunda:expression` on every throw and
    stores caught payloads under `<task>_Response`; the BPMN default is what our processes expect.)
    """

    def parse_message_event(self, message_event):
        return EventDefinitionParser.parse_message_event(self, message_event)


class ZsaStartEventParser(PlainMessageMixin, ClockedTimerMixin, CamundaStartEventParser):
    pass


class ZsaEndEventParser(PlainMessageMixin, CamundaEndEventParser):
    pass


class ZsaIntermediateCatchEventParser(PlainMessageMixin, ClockedTimerMixin, CamundaIntermediateCatchEventParser):
    pass


class ZsaIntermediateThrowEventParser(PlainMessageMixin, CamundaIntermediateThrowEventParser):
    pass


class ZsaBoundaryEventParser(PlainMessageMixin, ClockedTimerMixin, CamundaBoundaryEventParser):
    pass


class ZsaParser(CamundaParser):
    """The parser every zsa-flow deployment goes through."""

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (ZsaUserTaskParser, UserTask),
        full_tag("manualTask"): (ZsaManualTaskParser, ManualTask),
        full_tag("businessRuleTask"): (DecisionTaskParser, DecisionTask),
        full_tag("startEvent"): (ZsaStartEventParser, StartEvent),
        full_tag("intermediateCatchEvent"): (ZsaIntermediateCatchEventParser, IntermediateCatchEvent),
        full_tag("boundaryEvent"): (ZsaBoundaryEventParser, BoundaryEvent),
        full_tag("endEvent"): (ZsaEndEventParser, EndEvent),
        full_tag("intermediateThrowEvent"): (ZsaIntermediateThrowEventParser, IntermediateThrowEvent),
    }


BPMN_XSD = os.path.join(os.path.dirname(_spiff_parser.__file__), "schema", "BPMN20.xsd")


class EngineParseError(Exception):
    """The engine refuses a model: file, line, element id and message as plain values."""

    def __init__(self, file_name, line_number, element_id, message):
        super().__init__(message)
        self.file_name, self.line_number, self.element_id, self.message = file_name, line_number, element_id, message


def parse_process(files, process_id, subprocesses=True):
    """Parse `(path, xml root)` pairs and return (spec, subprocess specs) of `process_id`.

    Raises EngineParseError for what the engine rejects (other errors propagate)."""
    parser = ZsaParser()
    try:
        for path, root in files:
            parser.add_bpmn_xml(root, filename=path)
        spec = parser.get_spec(process_id)
        return spec, (parser.get_subprocess_specs(process_id) if subprocesses else {})
    except ValidationException as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise EngineParseError(exc.file_name, exc.line_number, exc.id, message) from None


def is_human(spec) -> bool:
    """A task a person completes (it gets a row in the task list)."""
    return getattr(spec, "human", None) is not None


__all__ = ["BPMN_XSD", "EngineParseError", "ZsaParser", "is_human", "is_iso_literal", "parse_process", "TaskParser"]
