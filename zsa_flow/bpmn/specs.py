"""Task specs and event definitions zsa-flow adds to SpiffWorkflow's Camunda flavour."""
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin

from .. import limits
from . import runtime


@dataclass
class HumanTaskMeta:
    """Camunda Modeler task metadata that SpiffWorkflow's Camunda parser ignores."""

    candidate_groups: list = field(default_factory=list)
    candidate_users: list = field(default_factory=list)
    assignee: str | None = None
    due_date: str | None = None
    follow_up_date: str | None = None
    priority: str | None = None
    form_ref: str | None = None
    form_binding: str = "latest"


class ClockedTimeDate(TimeDateEventDefinition):
    """A timeDate timer that asks the engine clock instead of the system clock."""

    def has_fired(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            event_value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            event_value = _as_iso_datetime(event_value)
            my_task._set_internal_data(event_value=event_value)
        if TimerEventDefinition.get_datetime(event_value) <= runtime.now():
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class ClockedDuration(DurationTimerEventDefinition):
    """A timeDuration timer that asks the engine clock instead of the system clock."""

    def has_fired(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            parsed = TimerEventDefinition.parse_iso_duration(str(expression))
            start = runtime.now()
            event_value = (start + TimerEventDefinition.get_timedelta_from_start(parsed, start)).isoformat()
            my_task._set_internal_data(event_value=event_value)
        if TimerEventDefinition.get_datetime(event_value) <= runtime.now():
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


def _as_iso_datetime(value):
    """Accept what a timeDate expression may yield: ISO string, date or datetime."""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    value = str(value)
    if len(value) == 10:  # a plain date means the start of that day
        value += "T00:00:00"
    return value


class DecisionTask(BpmnSpecMixin):
    """bpmn:businessRuleTask with camunda:decisionRef, evaluated by zsa-flow's DMN engine.

    The decision is looked up at run time in the deployment the case runs on (the script engine
    carries the deployment's decisions), so the spec itself holds only the reference.
    """

    def __init__(self, wf_spec, bpmn_id, decision_ref, result_variable=None, map_result=None, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.decision_ref = decision_ref
        self.result_variable = result_variable
        self.map_result = map_result or "resultList"

    def _run_hook(self, my_task):
        engine = my_task.workflow.script_engine
        decisions = getattr(engine, "decisions", None)
        if decisions is None or self.decision_ref not in decisions:
            raise WorkflowTaskException(
                f"Entscheidungstabelle '{self.decision_ref}' ist nicht bereitgestellt", task=my_task
            )
        try:
            result = decisions[self.decision_ref].evaluate(self.decision_ref, dict(my_task.data))
            value = _map_decision_result(result.jsonable(), self.map_result)
        except WorkflowTaskException:
            raise
        except Exception as exc:  # DMN errors (no unique match, bad cell) become incidents
            raise WorkflowTaskException(
                f"Entscheidung '{self.decision_ref}': {getattr(exc, 'message', exc)}", task=my_task
            ) from exc
        limit = limits.max_value_bytes()
        if limits.json_size(value, limit) is None:
            raise WorkflowTaskException(f"Entscheidung '{self.decision_ref}': Ergebnis ist zu groß "
                                        f"(über {limits.json_bytes(limit)} als JSON)", task=my_task)
        if self.result_variable:
            my_task.data[self.result_variable] = value
        elif isinstance(value, dict):
            my_task.data.update(value)
        my_task.internal_data["zsa_decision"] = {
            "decision": self.decision_ref,
            "matched_rules": list(result.matched_rules),
            "result": value,
        }
        return True


def _map_decision_result(result, mode):
    """Camunda's camunda:mapDecisionResult."""
    if mode == "singleEntry":
        return result.single_entry()
    if mode == "singleResult":
        return result.single_result()
    if mode == "collectEntries":
        return result.collect_entries()
    return result.result_list()
