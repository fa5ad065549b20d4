"""Serialization of workflow state apart from its spec.

A deployed version's spec is serialized once (``process_definition.spec_json``) and restored once per
process; each instance stores only its own state.

The state leaves out SpiffWorkflow's predicted tasks (MAYBE and LIKELY: branches a gateway may or may not
take, boundary events that may or may not happen). They are guesses SpiffWorkflow derives from the definite
tasks and the spec, and remakes whenever it needs them; restoring them cost more than predicting them again
(each one's data is rebuilt from its parent's), and they were a third of the tasks stored. On restore the
workflow predicts them again as a new workflow does (each unfinished task's spec syncs its children), so a
restored workflow runs as the one that was saved. A tree where a predicted task has a definite descendant
(which SpiffWorkflow does not make) is stored whole. States stored with their predictions (serializer 1.5)
still restore: prediction keeps the children that are there.

A finished workflow is stored as its final data only (``{"finished": true, "success": …, "data": …}``).

The format is SpiffWorkflow's own; how it is read and written is faster than SpiffWorkflow's generic converters,
since a step restores and serializes its instance every time. Each task id is parsed once per restore (it is also
every child's and parent's reference), a task is built without walking its record through the converter
registry, and the text is read and written by orjson (engine/store/jsontext.py: the standard library where orjson
would differ; a NaN or an infinity, which JSON has no word for, is written as null).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
    TaskConverter,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.tree import EngineWorkflow
from engine.store.jsontext import dumps, loads

SERIALIZER_VERSION = "1.6"
ID_TEXTS = "_engine_id_texts"  # a workflow's _IdTexts, kept from its restore to its next serialization
FINISHED = "finished"
_FINISHED_PREFIX = '{"finished":'
_PREDICTED = TaskState.PREDICTED_MASK
_WAITING = TaskState.WAITING


class _IdTexts(dict[UUID, str]):
    """Each task id's text, made once: ``str(UUID)`` costs more than finding it here. A restore fills it with the
    texts it read; an id it has not seen (a task made since) gets its text when first asked."""

    def __missing__(self, task_id: UUID) -> str:
        text = self[task_id] = str(task_id)
        return text


def _id_texts(workflow: Any) -> _IdTexts:
    texts = getattr(workflow, ID_TEXTS, None)
    if texts is None:
        texts = _IdTexts()
        setattr(workflow, ID_TEXTS, texts)
    return texts


def _task_to_dict(registry: Any, task: Any, texts: _IdTexts | None = None) -> dict[str, Any]:
    """What SpiffWorkflow's ``TaskConverter.to_dict`` makes of a task (the root's data whole, every other
    task's as the keys it changed or removed from its parent's), without the registry's dispatch."""
    parent = task.workflow.tasks.get(task._parent)
    if parent is None:
        data, delta = task.data, {}
    else:
        mine, theirs = task.data, parent.data
        data = {}
        delta = {"updates": {key: value for key, value in mine.items() if key not in theirs or value != theirs[key]},
                 "deletions": [key for key in theirs if key not in mine]}
    internal = task.internal_data
    text = texts if texts is not None else _id_texts(task.workflow)
    return {
        "id": text[task.id],
        "parent": text[task._parent] if parent is not None else None,
        "children": [text[child] for child in task._children],
        "last_state_change": task.last_state_change,
        "state": task._state,
        "task_spec": task.task_spec.name,
        "triggered": task.triggered,
        "internal_data": registry.convert(internal) if internal else {},
        "data": data,
        "delta": delta,
        "typename": "Task",
    }


def _task_from_dict(registry: Any, dct: dict[str, Any], workflow: Any, ids: dict[str, UUID]) -> Any:
    """What SpiffWorkflow's ``TaskConverter.from_dict`` restores; ``ids`` holds the workflow's parsed task ids."""
    task_spec = workflow.spec.task_specs.get(dct["task_spec"])
    key, parent = dct["id"], dct["parent"]
    task = Task(workflow, task_spec, state=dct["state"], id=ids.get(key) or UUID(key))
    task._parent = (ids.get(parent) or UUID(parent)) if parent is not None else None
    task._children = [ids.get(child) or UUID(child) for child in dct["children"]]
    task.last_state_change = dct["last_state_change"]
    task.triggered = dct["triggered"]
    internal = dct["internal_data"]
    task.internal_data = registry.restore(internal) if internal else {}
    if task._state == _WAITING and isinstance(task_spec, CatchingEvent):
        workflow.top_workflow.event_manager.add_task(task)
    # a task's data is stored as it is (SpiffWorkflow converts no value of it), so it is taken as it was read:
    # walking it through the registry cost a third of a restore, and took a dict of the applicant's or the
    # diagram's with a "typename" key for a SpiffWorkflow object to rebuild
    delta = dct.get("delta")
    parent_task = workflow.tasks.get(task._parent)
    if delta and parent_task is not None:
        data = _inherited(parent_task.data)
        updates = delta.get("updates")
        if updates:
            data.update(updates)
        for name in delta.get("deletions", ()):
            data.pop(name, None)
    else:
        data = dct["data"]
    task.data = data
    return task


def _inherited(parent: dict[str, Any]) -> dict[str, Any]:
    """``DeepMerge.merge({}, parent)``, as SpiffWorkflow restores a task's data from its parent's before its own
    changes: each dict or list copied one level deep, any other value taken as it is (data read from JSON holds
    nothing else that is mutable)."""
    return {key: value.copy() if type(value) in (dict, list) else value for key, value in parent.items()}


def _restore_tasks(registry: Any, tasks: dict[str, Any], workflow: Any) -> None:
    """Restore ``tasks`` into ``workflow.tasks`` (each new task enters it), in their stored order; the workflow
    keeps the text of each id for its next serialization (``ID_TEXTS``)."""
    ids = {key: UUID(key) for key in tasks}
    workflow.tasks = {}
    for dct in tasks.values():
        _task_from_dict(registry, dct, workflow, ids)
    setattr(workflow, ID_TEXTS, _IdTexts({task_id: key for key, task_id in ids.items()}))


class _TaskConverter(TaskConverter):
    """SpiffWorkflow's task converter, by the functions above (the same records)."""

    def to_dict(self, task: Any) -> dict[str, Any]:
        return _task_to_dict(self.registry, task)

    def from_dict(self, dct: dict[str, Any], workflow: Any) -> Any:
        return _task_from_dict(self.registry, dct, workflow, {})


def _definite_tasks(converter: Any, workflow: Any) -> dict[str, Any]:
    """The workflow's tasks without the predicted ones (all of them if that would orphan a definite task)."""
    registry, tasks = converter.registry, workflow.tasks
    texts = _id_texts(workflow)

    def every_task() -> dict[str, Any]:
        return {texts[task_id]: _task_to_dict(registry, task, texts) for task_id, task in tasks.items()}

    dropped = {task_id for task_id, task in tasks.items() if task._state & _PREDICTED}
    if not dropped:
        return every_task()
    kept = {}
    for task_id, task in tasks.items():
        if task_id in dropped:
            continue
        if task._parent in dropped:
            return every_task()
        dct = _task_to_dict(registry, task, texts)
        if any(child in dropped for child in task._children):
            dct["children"] = [texts[child] for child in task._children if child not in dropped]
        kept[texts[task_id]] = dct
    return kept


def _predict(workflow: Any) -> None:
    """Predict again what a new workflow predicts: each unfinished task whose parent has finished predicts
    its branch, as SpiffWorkflow does from the root of a new workflow (``Workflow._predict`` would predict
    every unfinished task's whole branch again from each of its ancestors)."""
    unfinished = TaskState.NOT_FINISHED_MASK
    for task in list(workflow.tasks.values()):
        if task.state & unfinished and (task.parent is None or not task.parent.state & unfinished):
            task.task_spec._predict(task, mask=unfinished)


class _DefiniteSubWorkflowConverter(BpmnSubWorkflowConverter):
    """A subprocess's state, without its predicted tasks."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct = super().to_dict(workflow)
        dct["tasks"] = _definite_tasks(self, workflow)
        return dct


class _StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the spec and the predicted tasks out of the state and takes them back in on restore."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct = {
            "data": self.registry.convert(self.registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "tasks": _definite_tasks(self, workflow),
            "root": str(workflow.task_tree.id),
        }
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None) -> Any:
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        _restore_tasks(self.registry, dct["tasks"], workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        if not workflow.completed:
            _predict(workflow)
            for subprocess in workflow.subprocesses.values():
                _predict(subprocess)
        return workflow


class StateSerializer:
    """Spec and state (de)serialization with one configured registry."""

    def __init__(self) -> None:
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = _StateOnlyWorkflowConverter
        config[BpmnSubWorkflow] = _DefiniteSubWorkflowConverter
        config[Task] = _TaskConverter
        self._registry = BpmnWorkflowSerializer.configure(config)
        # the engine's workflows are stored as BpmnWorkflow, and every state is restored as the engine's
        _StateOnlyWorkflowConverter(EngineWorkflow, self._registry, typename="BpmnWorkflow")

    def dump_spec(self, spec: Any, subprocess_specs: dict[str, Any]) -> str:
        return json.dumps(
            {
                "spec": self._registry.convert(spec),
                "subprocess_specs": {k: self._registry.convert(v) for k, v in subprocess_specs.items()},
            }
        )

    def load_spec(self, text: str) -> tuple[Any, dict[str, Any]]:
        dct = json.loads(text)
        spec = self._registry.restore(dct["spec"])
        subs = {k: self._registry.restore(v) for k, v in dct["subprocess_specs"].items()}
        return spec, subs

    def dump_state(self, workflow: Any) -> str:
        if workflow.completed:
            return self._dump_final(workflow)
        return dumps(self._registry.convert(workflow))

    def _dump_final(self, workflow: Any) -> str:
        """A finished workflow (completed or cancelled) never runs again: what is kept of it is its final
        data. The path it took, each element's result and each decision are in the audit trail, with the
        time and the person; storing every task's data again here was most of a finished instance's row."""
        last = workflow.last_task
        data = self._registry.convert(self._registry.clean(last.data if last is not None else {}))
        return dumps({FINISHED: True, "success": workflow.success, "data": data})

    def final_data(self, text: str) -> dict[str, Any] | None:
        """The final data of a finished workflow's state; None for the state of one that still runs."""
        if not text.startswith(_FINISHED_PREFIX):
            return None
        data: dict[str, Any] = self._registry.restore(loads(text)["data"])
        return data

    def load_state(self, text: str, spec: Any, subprocess_specs: dict[str, Any]) -> Any:
        if text.startswith(_FINISHED_PREFIX):
            raise ValueError("a finished workflow keeps its final data only: it cannot be restored to run")
        dct = loads(text)
        return self._registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
