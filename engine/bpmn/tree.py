"""The tasks of a workflow in a given state, in SpiffWorkflow's own order, without its general-purpose iterator.

A step asks "which tasks are ready?" ten times or more (each round of running engine tasks, the check that the
workflow came to rest, the before-and-after reading of its states), and SpiffWorkflow asks for the waiting tasks
after every task it completes. ``workflow.get_tasks(state=…)`` answers through ``BpmnTaskIterator``, which
handles depth limits, end specs, breadth-first walks and task filters at every task, and was a fifth of a licence
issue's whole step. The walk those questions need is a plain depth-first pre-order over the task tree that does
not descend below a task in a state lower than the iterator's (predicted tasks when definite or finished ones are
asked for; unfinished ones when only finished ones are): :func:`walk` is that walk, lazy as the iterator is (a
task's children are read when the walk reaches it, so a caller may change the tree as it goes), and gives the same
tasks in the same order. ``BpmnTaskIterator`` also descends into subprocesses (call activities): :func:`tasks`
leaves a workflow with subprocesses to SpiffWorkflow itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState


def _lowest_state_walked(state: int) -> int:
    """The lowest task state whose children ``TaskIterator`` visits when it looks for ``state``."""
    if state & TaskState.PREDICTED_MASK:
        return TaskState.MAYBE
    if state & TaskState.DEFINITE_MASK:
        return TaskState.FUTURE
    return TaskState.COMPLETED


def walk(root: Any, state: int) -> Iterator[Any]:
    """``TaskIterator(root, state=state)``: the same tasks, in the same order, as lazily."""
    child_of = root.workflow.tasks.__getitem__
    lowest = _lowest_state_walked(state)
    pending = [root]
    while pending:
        task = pending.pop()
        if task._children and task._state >= lowest:
            pending.extend(map(child_of, reversed(task._children)))
        if task._state & state:
            yield task


def tasks(workflow: Any, state: int) -> list[Any]:
    """``workflow.get_tasks(state=state)``: the same tasks, in the same order."""
    if workflow.top_workflow.subprocesses:
        return list(workflow.get_tasks(state=state))
    return list(walk(workflow.task_tree, state))


class EngineWorkflow(BpmnWorkflow):
    """SpiffWorkflow's ``BpmnWorkflow``, whose refresh of its waiting tasks after every completed task (a timer
    that may now fire, a join that may now go on) finds them by :func:`walk`: the same tasks, in the same order.
    Stored as a ``BpmnWorkflow``: states read and written by either are the same."""

    def update_waiting_tasks(self) -> None:
        for task in walk(self.task_tree, TaskState.WAITING):
            task.task_spec._update(task)
