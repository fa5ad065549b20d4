"""What the engine needs to know about each diagram element, read from the BPMN XML once per version."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from engine.bpmn.loader import BPMN_NS, NS

FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "serviceTask", "scriptTask", "manualTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
    "inclusiveGateway", "eventBasedGateway",
}


@dataclass(frozen=True)
class ElementInfo:
    id: str
    type: str
    name: str
    line: int | None
    clause: str = ""
    documentation: str = ""
    lane: str | None = None
    form: str | None = None
    operator: str | None = None
    result_variable: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    attached_to: str | None = None
    cancel_activity: bool = True
    timer_kind: str | None = None  # timeDate | timeDuration | timeCycle
    timer_expression: str | None = None
    condition: str | None = None
    script: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    repeated_properties: tuple[str, ...] = ()  # extension properties given more than once (only the last counts)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ProcessInfo:
    id: str
    name: str
    documentation: str
    inputs: tuple[str, ...]
    elements: dict[str, ElementInfo]
    flows: dict[str, ElementInfo]


def _properties(el: Any) -> dict[str, str]:
    return {
        p.get("name"): p.get("value", "")
        for p in el.findall("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS)
    }


def _repeated_properties(el: Any) -> tuple[str, ...]:
    names = [p.get("name") for p in
             el.findall("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS)]
    return tuple(sorted({name for name in names if names.count(name) > 1}))


def _text(el: Any, path: str) -> str:
    found = el.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def read_process(tree: Any, process_id: str) -> ProcessInfo:
    process = tree.find(f"bpmn:process[@id='{process_id}']", NS)
    if process is None:
        raise KeyError(process_id)
    lanes: dict[str, str] = {}
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            lanes[(ref.text or "").strip()] = lane.get("name") or lane.get("id")
    elements: dict[str, ElementInfo] = {}
    flows: dict[str, ElementInfo] = {}
    for el in process.iter():
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        if qname.namespace != BPMN_NS:
            continue
        tag = qname.localname
        if tag == "sequenceFlow":
            flows[el.get("id")] = ElementInfo(
                id=el.get("id"), type=tag, name=el.get("name") or "", line=el.sourceline,
                condition=_text(el, "bpmn:conditionExpression") or None,
            )
            continue
        if tag not in FLOW_NODE_TAGS:
            continue
        props = _properties(el)
        operator = el.find("bpmn:extensionElements/spiffworkflow:serviceTaskOperator", NS)
        params: dict[str, str] = {}
        if operator is not None:
            for param in operator.findall("spiffworkflow:parameters/spiffworkflow:parameter", NS):
                params[param.get("id")] = param.get("value", "")
        timer_kind = timer_expr = None
        timer = el.find("bpmn:timerEventDefinition", NS)
        if timer is not None:
            for kind in ("timeDate", "timeDuration", "timeCycle"):
                found = timer.find(f"bpmn:{kind}", NS)
                if found is not None:
                    timer_kind, timer_expr = kind, (found.text or "").strip()
        elements[el.get("id")] = ElementInfo(
            id=el.get("id"),
            type=tag,
            name=(el.get("name") or el.get("id")).strip(),
            line=el.sourceline,
            clause=props.get("clause", "").strip(),
            documentation=_text(el, "bpmn:documentation"),
            lane=lanes.get(el.get("id")),
            form=props.get("form") or None,
            operator=operator.get("id") if operator is not None else None,
            result_variable=operator.get("resultVariable") if operator is not None else None,
            params=params,
            attached_to=el.get("attachedToRef"),
            cancel_activity=el.get("cancelActivity", "true") != "false",
            timer_kind=timer_kind,
            timer_expression=timer_expr,
            script=_text(el, "bpmn:script") or None,
            properties=props,
            repeated_properties=_repeated_properties(el),
        )
    props = _properties(process)
    inputs = tuple(x.strip() for x in props.get("inputs", "").split(",") if x.strip())
    return ProcessInfo(
        id=process_id,
        name=process.get("name") or process_id,
        documentation=_text(process, "bpmn:documentation"),
        inputs=inputs,
        elements=elements,
        flows=flows,
    )
