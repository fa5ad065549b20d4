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
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnSubWorkflowConverter, BpmnWorkflowConverter
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

SERIALIZER_VERSION = "1.6"
FINISHED = "finished"
_FINISHED_PREFIX = '{"finished":'
_PREDICTED = TaskState.PREDICTED_MASK


def _definite_tasks(converter: Any, workflow: Any) -> dict[str, Any]:
    """The workflow's tasks without the predicted ones (all of them if that would orphan a definite task)."""
    tasks = workflow.tasks
    dropped = {task_id for task_id, task in tasks.items() if task.state & _PREDICTED}
    if not dropped:
        return converter.mapping_to_dict(tasks)
    kept = {}
    for task_id, task in tasks.items():
        if task_id in dropped:
            continue
        if task._parent in dropped:
            return converter.mapping_to_dict(tasks)
        dct = converter.registry.convert(task)
        if any(child in dropped for child in task._children):
            dct["children"] = [str(child) for child in task._children if child not in dropped]
        kept[str(task_id)] = dct
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
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
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
        self._registry = BpmnWorkflowSerializer.configure(config)

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
        return json.dumps(self._registry.convert(workflow), separators=(",", ":"), ensure_ascii=False)

    def _dump_final(self, workflow: Any) -> str:
        """A finished workflow (completed or cancelled) never runs again: what is kept of it is its final
        data. The path it took, each element's result and each decision are in the audit trail, with the
        time and the person; storing every task's data again here was most of a finished instance's row."""
        last = workflow.last_task
        data = self._registry.convert(self._registry.clean(last.data if last is not None else {}))
        return json.dumps({FINISHED: True, "success": workflow.success, "data": data}, separators=(",", ":"),
                          ensure_ascii=False)

    def final_data(self, text: str) -> dict[str, Any] | None:
        """The final data of a finished workflow's state; None for the state of one that still runs."""
        if not text.startswith(_FINISHED_PREFIX):
            return None
        data: dict[str, Any] = self._registry.restore(json.loads(text)["data"])
        return data

    def load_state(self, text: str, spec: Any, subprocess_specs: dict[str, Any]) -> Any:
        if text.startswith(_FINISHED_PREFIX):
            raise ValueError("a finished workflow keeps its final data only: it cannot be restored to run")
        dct = json.loads(text)
        return self._registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
