"""Move a running case onto another version of its process.

Tasks are aligned by element id (a mapping renames ids); the workflow keeps its task tree, so task
ids, data and timer due times stay. A case can move when every task that is still active (ready,
waiting, in error) and every task still kept in the tree finds its element in the target version;
elements it has already passed may have changed freely. Active tasks are re-predicted on the
target spec (their outgoing flows may differ); a timer whose definition is unchanged keeps its
due time, a changed one is set anew from the migration time.
"""
from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState

from ..bpmn import runtime
from .effects import Effects
from .prune import prune_history
from .task_meta import opened_task

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


@dataclass
class MigrationPlan:
    """Whether a case can move, why not, and which of its open tasks change on the way."""

    migratable: bool
    reasons: list = field(default_factory=list)  # German, one per blocking element
    changed_tasks: list = field(default_factory=list)  # element ids of open tasks that change

    def reason(self) -> str:
        return "; ".join(self.reasons)


def _target_name(name, mapping):
    """The spec name in the target version: mapped ids, and engine-internal names built on them."""
    if name in mapping:
        return mapping[name]
    head, dot, tail = name.partition(".")
    if dot and head in mapping:
        return f"{mapping[head]}.{tail}"
    return name


def _describe(spec):
    return spec.bpmn_name or spec.bpmn_id or spec.name


def _human_signature(spec):
    meta = getattr(spec, "human", None)
    return (spec.bpmn_name, None if meta is None else (
        tuple(meta.candidate_groups), tuple(meta.candidate_users), meta.assignee, meta.form_ref, meta.form_binding))


def _event_signature(spec):
    definition = getattr(spec, "event_definition", None)
    return (type(definition).__name__, getattr(definition, "expression", None), getattr(definition, "name", None))


def _outputs(spec, mapping=None):
    names = [_target_name(o.name, mapping) if mapping is not None else o.name for o in spec.outputs]
    return sorted(names)


def plan(run, target, mapping=None) -> MigrationPlan:
    """Check whether `run`'s case can move onto the `target` Definition."""
    mapping = dict(mapping or {})
    prune_history(run.workflow, keep=1)
    specs = target.spec.task_specs
    reasons, changed = [], []
    for task in run.workflow.get_tasks(skip_subprocesses=True):
        old = task.task_spec
        new = specs.get(_target_name(old.name, mapping))
        if new is None:
            if task.has_state(ACTIVE):
                what = "wartet" if task.state == TaskState.WAITING else "ist offen"
                reasons.append(f"'{_describe(old)}' {what}, fehlt aber in Version {target.version}")
            elif not task.has_state(TaskState.FINISHED_MASK | TaskState.PREDICTED_MASK):
                reasons.append(f"'{_describe(old)}' fehlt in Version {target.version}")
            elif task.has_state(TaskState.FINISHED_MASK):
                reasons.append(f"'{_describe(old)}' ist noch Teil des laufenden Zweigs und fehlt in "
                               f"Version {target.version}")
            continue
        if task.state == TaskState.READY and getattr(old, "human", None) is not None and \
                (_human_signature(old) != _human_signature(new) or old.bpmn_id != new.bpmn_id):
            changed.append(new.bpmn_id)
    if run.workflow.subprocesses:
        reasons.append("Vorgänge mit laufenden Teilprozessen werden nicht migriert")
    return MigrationPlan(not reasons, reasons, changed)


def migrate(run, target, mapping=None) -> tuple[MigrationPlan, Effects]:
    """Move the case onto `target` (after `plan` said yes) and run on; returns the plan and effects.

    `run.definition` becomes `target`. Open tasks keep their ids; those whose element changed are
    reported in `effects.tasks_opened` with the target's name, groups and form (the caller updates
    their rows, keeping assignee, due date and draft)."""
    mapping = dict(mapping or {})
    checked = plan(run, target, mapping)
    if not checked.migratable:
        return checked, Effects()
    workflow, specs = run.workflow, target.spec.task_specs
    active = []
    for task in workflow.get_tasks(skip_subprocesses=True):
        old = task.task_spec
        new = specs.get(_target_name(old.name, mapping))
        if new is None:  # a predicted task of a branch not taken: re-predicted below
            continue
        if task.has_state(TaskState.READY | TaskState.WAITING) and (
                _outputs(old, mapping) != _outputs(new) or _event_signature(old) != _event_signature(new)):
            active.append((task, _event_signature(old) == _event_signature(new)))
        task.task_spec = new
    workflow.spec = target.spec
    with runtime.using_clock(run.clock):
        for task, same_event in active:
            if task.id in workflow.tasks:  # else removed with an ancestor's branch
                _repredict(task, keep_internal=same_event)
    stale = sorted({_describe(t.task_spec) for t in workflow.tasks.values()
                    if specs.get(t.task_spec.name) is not t.task_spec})
    if stale:  # the caller discards this workflow object; nothing was stored
        return MigrationPlan(False, [f"'{name}' ließ sich nicht auf Version {target.version} übertragen"
                                     for name in stale]), Effects()
    run.definition = target
    now = run.clock.now()
    effects = run.fire_due_timers()  # a changed model may let the case move on at once
    with runtime.using_clock(run.clock):
        opened = {o.task_id for o in effects.tasks_opened}
        effects.tasks_updated = [opened_task(task, target.form_shas, now) for task in run._human_tasks()
                                 if task.task_spec.bpmn_id in checked.changed_tasks and str(task.id) not in opened]
    return checked, effects


def _repredict(task, keep_internal):
    """Drop the task's predicted children and predict them from its (new) spec again."""
    internal = dict(task.internal_data) if keep_internal else {}
    data = task.data
    task._drop_children(force=True)
    state = task.state
    task._set_state(TaskState.FUTURE)
    task.internal_data = internal
    task.data = data
    task.task_spec._predict(task, mask=TaskState.PREDICTED_MASK | TaskState.FUTURE)
    task.task_spec._update(task)
    if task.state == TaskState.FUTURE:  # nothing made it ready or waiting again: keep what it was
        task._set_state(state)
