"""Leaner versions of the SpiffWorkflow functions that build and re-predict the task tree.

SpiffWorkflow runs every step of a case through a handful of generic functions: a new task gets a
random id (`uuid4`), copies its parent's data (`Task._inherit_data`: a deep merge), and after a
gateway or a completed task the branch ahead is predicted again (`TaskSpec._predict`,
`Task._sync_children`), which creates and drops predicted tasks. A simulated case runs these some
thousand times; the versions here do exactly the same (same tasks, states, data, order, errors) with
less interpreter work:

- `uuid4`: a random UUID like `uuid.uuid4` (16 bytes of `os.urandom`, version 4, RFC 4122 variant)
  without `UUID.__init__`'s argument checks; `SpiffWorkflow.task` uses the name only for new tasks.
- `_inherit_data`: a task that has no data of its own yet (nearly always) gets its parent's data
  as `DeepMerge.merge` into an empty dict gives it: the same keys in the same order, dicts, lists
  and sets copied one level deep (`copy.copy`), everything else shared; with data of its own it is
  `DeepMerge.merge` itself.
- `children` (a property read a few hundred times per case): the same list, built in C.
- `_sync_children`, `_predict`: the same decisions, reading the task state directly instead of
  through `has_state`, and skipping the loop over the children when none of them may be entered.

The originals are pinned by source in tests/unit/test_spiff_internals.py: a SpiffWorkflow upgrade
that changes them fails there first.
"""
from copy import copy
from itertools import compress
from operator import not_
from os import urandom
from uuid import UUID, SafeUUID

from SpiffWorkflow import task as task_module
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

ORIGINAL_INHERIT_DATA = Task._inherit_data
ORIGINAL_SYNC_CHILDREN = Task._sync_children
ORIGINAL_PREDICT = TaskSpec._predict
ORIGINAL_CHILDREN = Task.children  # the property

_PREDICTED = TaskState.PREDICTED_MASK
_DEFINITE = TaskState.DEFINITE_MASK
_NOT_FINISHED = TaskState.NOT_FINISHED_MASK
_VERSION_4 = ~(0xc000 << 48), 0x8000 << 48, ~(0xf000 << 64), 4 << 76
_COPIED = frozenset((dict, list, set))  # exactly these: their .copy() is what copy.copy does
_MUTABLE = (dict, list, set)
_ATOMIC_TYPE = frozenset((str, int, float, bool, type(None))).__contains__  # shared, never copied
_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def uuid4():
    """A random UUID, as `uuid.uuid4()` makes it (UUID(bytes=os.urandom(16), version=4))."""
    value = int.from_bytes(urandom(16), "big")
    clear_variant, variant, clear_version, version = _VERSION_4
    value = (((value & clear_variant) | variant) & clear_version) | version
    uuid = _new(UUID)
    _set(uuid, "int", value)
    _set(uuid, "is_safe", _UNKNOWN)
    return uuid


def _inherit_data(self):
    """Inherits data from the parent (Task._inherit_data: DeepMerge.merge(self.data, parent.data))."""
    parent_data = self.parent.data
    data = self.data
    if data:
        self.data = DeepMerge.merge(data, parent_data)
        return
    # merge into an empty dict: every key takes the else branch (mutable values copied one level
    # deep). The keys and shared values go over in C; only the values that are not text, numbers or
    # None (found in C too: the selectors below) are looked at one by one.
    data.update(parent_data)
    for key in compress(parent_data, map(not_, map(_ATOMIC_TYPE, map(type, parent_data.values())))):
        value = data[key]
        if type(value) in _COPIED:
            data[key] = value.copy()
        elif isinstance(value, _MUTABLE):
            data[key] = copy(value)
    self.data = data


def _children(self):
    """Task.children: the child tasks, looked up by id (the same list, built by `map` in C)."""
    return list(map(self.workflow.tasks.get, self._children))


def _sync_children(self, task_specs, state=TaskState.MAYBE):
    """Task._sync_children: one child per spec (existing ones kept and set to `state` unless
    finished), predicted children of other specs removed, triggered children never."""
    if task_specs is None:
        raise ValueError('"task_specs" argument is None')
    new_children = task_specs[:]
    unneeded_children = []
    for child in self.children:
        if child.triggered:
            pass
        elif child.task_spec in new_children:
            new_children.remove(child.task_spec)
            if child._state & _NOT_FINISHED:
                child._set_state(state)
        else:
            if child._state & _DEFINITE:
                raise WorkflowException(f'removal of non-predicted child {child}', task_spec=self.task_spec)
            unneeded_children.append(child)
    for child in unneeded_children:
        self.workflow._remove_task(child.id)
    for task_spec in new_children:
        self._add_child(task_spec, state)


def _predict(self, my_task, seen=None, looked_ahead=0, mask=_PREDICTED):
    """TaskSpec._predict: update the branch so that all possible future routes are added."""
    if seen is None:
        seen = []
    if my_task._state & mask:
        self._predict_hook(my_task)
    if my_task._state & _PREDICTED:
        seen.append(self)
    if not (my_task._state & _DEFINITE or looked_ahead + 1 < self.lookahead):
        return
    for child in my_task.children:
        if child._state & mask and child not in seen:
            child.task_spec._predict(child, seen[:], looked_ahead + 1, mask)


def install():
    task_module.uuid4 = uuid4  # the module's own name, used only by Task.__init__ for a new task's id
    Task._inherit_data = _inherit_data
    Task._sync_children = _sync_children
    TaskSpec._predict = _predict
    Task.children = property(_children, ORIGINAL_CHILDREN.fset, doc=ORIGINAL_CHILDREN.__doc__)
