"""Evaluate a READY human task's Camunda metadata: candidates, assignee, due/follow-up, priority, form."""
from datetime import datetime, time, timezone

from SpiffWorkflow.bpmn.specs.defaults import ManualTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from ..bpmn.parser import is_iso_literal
from .effects import OpenedTask

DEFAULT_PRIORITY = 50


def opened_task(task, form_shas, now) -> OpenedTask:
    """The task as the task list needs it, its expressions evaluated at `now` (engine clock)."""
    meta = task.task_spec.human
    form_ref = meta.form_ref
    return OpenedTask(
        task_id=str(task.id),
        element_id=task.task_spec.bpmn_id,
        name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
        candidate_groups=list(meta.candidate_groups),
        candidate_users=list(meta.candidate_users),
        assignee=_evaluate_text(task, meta.assignee) if meta.assignee else None,
        form_ref=form_ref,
        form_sha256=form_shas.get(form_ref) if form_ref else None,
        priority=_priority(task, meta.priority),
        due_at=_safe_date(task, meta.due_date, now),
        follow_up_at=_safe_date(task, meta.follow_up_date, now),
        manual=isinstance(task.task_spec, ManualTask),
    )


def _safe_date(task, text, now):
    # A broken due-date expression must not block the case; the task simply has no due date
    # (`zsa-flow check` reports the expression before deployment).
    try:
        return resolve_date(task, text, now)
    except Exception:
        return None


def resolve_date(task, text, now):
    """camunda:dueDate / followUpDate: ISO duration from now, ISO date/time, or an expression."""
    if not text:
        return None
    text = text.strip()
    value = text if is_iso_literal(text) else task.workflow.script_engine.evaluate(task, text)
    return to_datetime(value, now)


def to_datetime(value, now):
    """Interpret an ISO duration (relative to now), ISO date/datetime, date or datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if hasattr(value, "isoformat"):  # a date: end of business is not modelled, take midnight UTC
        return datetime.combine(value, time(0), timezone.utc)
    text = str(value).strip()
    if text.upper().startswith("P"):
        parsed = TimerEventDefinition.parse_iso_duration(text)
        return now + TimerEventDefinition.get_timedelta_from_start(parsed, now)
    if len(text) == 10:
        text += "T00:00:00"
    return TimerEventDefinition.get_datetime(text)


def _priority(task, text):
    if not text:
        return DEFAULT_PRIORITY
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return int(task.workflow.script_engine.evaluate(task, text))


def _evaluate_text(task, text):
    text = text.strip()
    if text.replace("-", "").replace("_", "").replace(".", "").isalnum() and text not in task.data:
        return text  # a literal user name
    return str(task.workflow.script_engine.evaluate(task, text))
