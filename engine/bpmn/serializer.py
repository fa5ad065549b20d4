"""Serialization of workflow state apart from its spec.

A deployed version's spec is serialized once (``process_definition.spec_json``) and restored once per
process; each instance stores only its own state.
"""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SERIALIZER_VERSION = "1.5"


class _StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the spec out of the state and takes it back in on restore."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None) -> Any:
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _uuid(value: str) -> Any:
    from uuid import UUID

    return UUID(value)


class StateSerializer:
    """Spec and state (de)serialization with one configured registry."""

    def __init__(self) -> None:
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = _StateOnlyWorkflowConverter
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
        return json.dumps(self._registry.convert(workflow), separators=(",", ":"))

    def load_state(self, text: str, spec: Any, subprocess_specs: dict[str, Any]) -> Any:
        dct = json.loads(text)
        return self._registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
