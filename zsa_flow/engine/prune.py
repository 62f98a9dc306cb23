"""Keep long-lived cases shallow: drop the completed, linear history at the root of the task tree.

SpiffWorkflow keeps every task ever run in one tree. A reminder loop adds a level per round; its
iterators stop at depth 1000 (a 3-element loop then looks "completed" after 333 rounds) and every
step walks the whole tree, so cost grows with history. The history is kept in zsa-flow's event
table, so the engine only needs the tree from the last point where work may still branch.

We only remove a root task that is finished and has exactly one child and no subprocess: such a
task can no longer influence anything (joins, boundary events and multiple start events always
look at a split task with several children, which stays).
"""
from SpiffWorkflow.util.task import TaskState


def prune_history(workflow, keep: int = 2) -> int:
    """Remove finished single-child roots, keeping `keep` levels; return how many were removed."""
    chain, node = [], workflow.task_tree
    while (
        node.has_state(TaskState.FINISHED_MASK)
        and len(node._children) == 1
        and node.id not in workflow.subprocesses
    ):
        chain.append(node)
        node = node.children[0]
    removed = max(len(chain) - keep, 0)
    if removed:
        for task in chain[:removed]:
            del workflow.tasks[task.id]
        workflow.task_tree = chain[removed]
        workflow.task_tree._parent = None
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None
    return removed
