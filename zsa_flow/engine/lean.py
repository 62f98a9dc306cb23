"""Two costs of SpiffWorkflow that buy nothing: unused log records and generic deep copies.

Logging. 
SpiffWorkflow builds a log message and a dict of extras for every state change of every task
(`Task._set_state`: two state-name look-ups, the parent's id, ...) and, when a workflow is created
or completes, a list of all task ids by a full walk of the task tree
(`Workflow.collect_log_extras`) — before `logging` decides that nobody listens. That is about a
fifth of the engine's time per step. `install()` (done by engine/runner.py on import) replaces the
two functions with versions that change exactly the same state and build the same log records,
but only when the `spiff.task` / `spiff.workflow` logger is enabled for the record's level.

Deep copies. A thrown message carries a deep copy of the sending task's data
(`MessageEventDefinition.throw`); `copy.deepcopy` on case data (dicts, lists, text, numbers) spends
most of its time on its memo and dispatch. `copy_data` copies those types directly and hands
anything else to `copy.deepcopy`; the copy is equal and shares nothing mutable with the original.

The originals are pinned by source in tests/unit/test_spiff_internals.py: a SpiffWorkflow upgrade
that changes them fails there first.
"""
import copy
import logging
import time

from SpiffWorkflow.bpmn.specs.event_definitions import message

from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from SpiffWorkflow.workflow import Workflow

_task_logger = logging.getLogger("spiff.task")
_workflow_logger = logging.getLogger("spiff.workflow")

ORIGINAL_SET_STATE = Task._set_state
ORIGINAL_WORKFLOW_EXTRAS = Workflow.collect_log_extras


def _set_state(self, value):
    """Force set the state on a task (Task._set_state without building unused log records)."""
    if value != self._state:
        now = time.time()
        elapsed = now - self.last_state_change
        self.last_state_change = now
        self._state = value
        if _task_logger.isEnabledFor(logging.INFO):
            _task_logger.info(f"State changed to {TaskState.get_name(value)}",
                              extra=self.collect_log_extras({"elapsed": elapsed}))
    elif _task_logger.isEnabledFor(logging.DEBUG):
        _task_logger.debug(f"State set to {TaskState.get_name(value)}", extra=self.collect_log_extras())


def _workflow_extras(self, dct=None):
    """Workflow.collect_log_extras; every caller logs at INFO on `spiff.workflow`, so when that level
    is off the record is dropped anyway and the task walk for its extras is skipped."""
    if not _workflow_logger.isEnabledFor(logging.INFO):
        return dct or {}
    return ORIGINAL_WORKFLOW_EXTRAS(self, dct)


_ATOMIC = frozenset((str, int, float, bool, type(None)))


def copy_data(value):
    """A deep copy of JSON-like data (falls back to copy.deepcopy for other types)."""
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _ATOMIC else copy_data(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _ATOMIC else copy_data(v) for v in value]
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value)


def install():
    Task._set_state = _set_state
    Workflow.collect_log_extras = _workflow_extras
    message.deepcopy = copy_data  # the module's own name, used only by MessageEventDefinition.throw
