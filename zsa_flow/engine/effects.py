"""What one engine operation changed, as plain values (no SpiffWorkflow objects).

The service layer persists these; replay compares them with the record; the simulation schedules
from them. Times are timezone-aware datetimes (the engine clock), data is JSON-compatible.
"""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class OpenedTask:
    """A human task that became ready, with its evaluated Camunda metadata."""

    task_id: str
    element_id: str
    name: str
    candidate_groups: list
    candidate_users: list
    assignee: str | None
    form_ref: str | None
    form_sha256: str | None
    priority: int
    due_at: datetime | None
    follow_up_at: datetime | None
    manual: bool = False  # a bpmn:manualTask (no form, paper work)


@dataclass
class ClosedTask:
    """A human task that is no longer ready: completed by a person or cancelled by the flow."""

    task_id: str
    element_id: str
    name: str
    completed: bool


@dataclass
class TimerSet:
    """A timer the case now waits on (also after its due time changed)."""

    timer_id: str
    element_id: str
    name: str
    due_at: datetime


@dataclass
class SentMessage:
    """A message the process throws to the outside (outbox)."""

    name: str
    payload: dict
    element_id: str | None = None


@dataclass
class Effects:
    """Everything one operation changed. `events` are history entries:
    {"type", "element_id", "element_name", "data"}."""

    events: list = field(default_factory=list)
    messages: list = field(default_factory=list)  # SentMessage
    tasks_opened: list = field(default_factory=list)  # OpenedTask
    tasks_closed: list = field(default_factory=list)  # ClosedTask
    tasks_updated: list = field(default_factory=list)  # OpenedTask: still open, element changed (migration)
    timers_set: list = field(default_factory=list)  # TimerSet
    timers_cleared: list = field(default_factory=list)  # timer ids (str)
    incident: str | None = None

    @property
    def outbox(self):
        """Thrown messages as {"name", "payload"} dicts (what the outbox table stores)."""
        return [{"name": m.name, "payload": m.payload} for m in self.messages]
