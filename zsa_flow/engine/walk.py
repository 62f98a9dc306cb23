"""Lean walks of SpiffWorkflow's task tree that visit exactly what its iterators visit, in their order.

SpiffWorkflow's `TaskIterator` re-derives the depth at every leaf by walking up the parent chain,
resolves every child through a property and filters through `TaskFilter` objects; on a case of
forty tasks one walk costs about as much as running a gateway, and the engine walks the tree after
every completed task (`Workflow.update_waiting_tasks`) and several times per operation. `tasks`
and `iterate` do the same depth-first walk with a plain stack:

- a task's children are entered when its state is at least the lowest state the filter can match
  (MAYBE for predicted states, FUTURE for definite ones, COMPLETED otherwise), as in TaskIterator;
- with `subprocesses=True` (BpmnTaskIterator, what `BpmnWorkflow.get_tasks` uses) a task that owns
  a subprocess is entered too, the subprocess's tree first, except a finished one when only
  finished states are asked for;
- like TaskIterator, a task's children are read when the task is reached, before it is handed out,
  so a caller that changes the tree while iterating sees what SpiffWorkflow's iterator would see;
- the depth limit of 1000 is kept (a pruned case never gets near it: engine/prune.py).
"""
from operator import attrgetter

from SpiffWorkflow.util.task import TaskState

MAX_DEPTH = 1000
_FINISHED = TaskState.FINISHED_MASK
_STATE = attrgetter("_state")


def _min_state(state):
    if state & TaskState.PREDICTED_MASK:
        return TaskState.MAYBE
    if state & TaskState.DEFINITE_MASK:
        return TaskState.FUTURE
    return TaskState.COMPLETED


def iterate(workflow, state, manual=None, subprocesses=True, first=None):
    """Yield the tasks of `workflow` in `state` (optionally only automatic / only manual ones), like
    `workflow.get_tasks_iterator(first, state=state, manual=manual)`."""
    min_state = _min_state(state)
    top = workflow.top_workflow if subprocesses else None
    below_finished = state <= _FINISHED
    stack = [(first or workflow.task_tree, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        task, depth = pop()
        current = task._state
        owned = top.subprocesses.get(task.id) if top is not None and top.subprocesses else None
        children = task._children
        if (children or owned is not None) and (current >= min_state or owned is not None) and depth < MAX_DEPTH:
            lookup = task.workflow.tasks.get
            depth += 1
            for child in reversed(children):
                push((lookup(child), depth))
            if owned is not None and not (current >= _FINISHED and below_finished):
                push((owned.task_tree, depth))
        if current & state and (manual is None or task.task_spec.manual == manual):
            yield task


def settled(workflow, stop_at_automatic=True):
    """One walk of `iterate(workflow, READY | WAITING | ERROR)`, for the end of an operation: (ready
    manual tasks, waiting tasks, all the tasks found, each in walk order). As soon as an automatic
    task is ready it stops and returns None; with `stop_at_automatic=False` it goes on and counts
    such a task among all those found."""
    ready, waiting_state, error = TaskState.READY, TaskState.WAITING, TaskState.ERROR
    manual, waiting, found = [], [], []
    for task in iterate(workflow, ready | waiting_state | error):
        state = task._state
        if state == waiting_state:
            waiting.append(task)
        elif state == error:
            pass
        elif task.task_spec.manual == False:  # noqa: E712 - iterate's test for manual=False
            if stop_at_automatic:
                return None
        else:
            manual.append(task)
        found.append(task)
    return manual, waiting, found


def all_finished(workflow):
    """True when no task of `workflow`'s table is unfinished. Every finished state lies above every
    unfinished one (asserted below), so the lowest state tells it; the scan runs in C."""
    return min(map(_STATE, workflow.tasks.values()), default=TaskState.COMPLETED) >= TaskState.COMPLETED


# all unfinished states are the bits below COMPLETED, the lowest finished state
assert TaskState.NOT_FINISHED_MASK < TaskState.COMPLETED == TaskState.FINISHED_MASK & -TaskState.FINISHED_MASK


def tasks(workflow, state, manual=None, subprocesses=True):
    """`workflow.get_tasks(state=state, manual=manual)` as a list, in the same order."""
    return list(iterate(workflow, state, manual, subprocesses))


def update_waiting_tasks(workflow):
    """`Workflow.update_waiting_tasks`: update every WAITING task (SpiffWorkflow runs this after every
    completed task; its iterator does not enter subprocesses). When no task of the workflow waits,
    the walk would update nothing, so a scan of the task table settles it."""
    waiting = TaskState.WAITING
    if waiting not in map(_STATE, workflow.tasks.values()):  # the scan runs in C
        return
    for task in iterate(workflow, waiting, subprocesses=False):
        task.task_spec._update(task)


def install(workflow):
    """Let `workflow` (a BpmnWorkflow) update its waiting tasks with the lean walk."""
    workflow.update_waiting_tasks = update_waiting_tasks.__get__(workflow)
