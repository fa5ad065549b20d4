"""Differences between two versions of a diagram, element by element."""

from __future__ import annotations

from typing import Any

from engine.bpmn.elements import ElementInfo, read_process
from engine.bpmn.loader import parse_xml

COMPARED = ("type", "name", "clause", "lane", "form", "operator", "result_variable", "params", "attached_to",
            "cancel_activity", "timer_expression", "condition", "documentation")
NAMES = ("name_kk", "name_ru")  # the names a Kazakh or Russian reader sees are changes too


def _summary(el: ElementInfo) -> dict[str, Any]:
    summary = {field: getattr(el, field) for field in COMPARED}
    summary.update({name: el.properties.get(name, "") for name in NAMES})
    return summary


def diff(old_xml: str, new_xml: str, key: str) -> dict[str, Any]:
    old = read_process(parse_xml(old_xml.encode(), "old.bpmn"), key)
    new = read_process(parse_xml(new_xml.encode(), "new.bpmn"), key)
    old_all = {**old.elements, **old.flows}
    new_all = {**new.elements, **new.flows}
    changed = []
    for ident in sorted(set(old_all) & set(new_all)):
        a, b = _summary(old_all[ident]), _summary(new_all[ident])
        fields = {f: {"from": a[f], "to": b[f]} for f in a if a[f] != b[f]}
        if fields:
            changed.append({"id": ident, "name": new_all[ident].name, "clause": new_all[ident].clause,
                            "changes": fields})
    return {
        "added": [{"id": i, "name": new_all[i].name, "type": new_all[i].type}
                  for i in sorted(set(new_all) - set(old_all))],
        "removed": [{"id": i, "name": old_all[i].name, "type": old_all[i].type}
                    for i in sorted(set(old_all) - set(new_all))],
        "changed": changed,
    }
