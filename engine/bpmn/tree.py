"""The tasks of a workflow in a given state, in SpiffWorkflow's own order, without its general-purpose iterator.

A step asks "which tasks are ready?" ten times or more (each round of running engine tasks, the check that the
workflow came to rest, the before-and-after reading of its states). ``workflow.get_tasks(state=…)`` answers
through ``BpmnTaskIterator``, which handles depth limits, end specs, breadth-first walks and task filters at
every task, and was a fifth of a licence issue's whole step. For a workflow without subprocesses the same walk is
a plain depth-first pre-order over the task tree that does not descend below a task in a state lower than the
iterator's (predicted tasks when definite or finished ones are asked for; unfinished ones when only finished
ones are): that is what :func:`tasks` does, giving the same tasks in the same order. A workflow with
subprocesses (call activities) is walked by SpiffWorkflow itself.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.util.task import TaskState


def _lowest_state_walked(state: int) -> int:
    """The lowest task state whose children ``TaskIterator`` visits when it looks for ``state``."""
    if state & TaskState.PREDICTED_MASK:
        return TaskState.MAYBE
    if state & TaskState.DEFINITE_MASK:
        return TaskState.FUTURE
    return TaskState.COMPLETED


def tasks(workflow: Any, state: int) -> list[Any]:
    """``workflow.get_tasks(state=state)``: the same tasks, in the same order."""
    if workflow.top_workflow.subprocesses:
        return list(workflow.get_tasks(state=state))
    by_id = workflow.tasks
    lowest = _lowest_state_walked(state)
    found = []
    pending = [workflow.task_tree]
    while pending:
        task = pending.pop()
        if task._state & state:
            found.append(task)
        if task._children and task._state >= lowest:
            pending.extend(by_id[child] for child in reversed(task._children))
    return found
