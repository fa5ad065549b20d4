"""Operations every procedure uses: overdue marks and term breaches."""

from __future__ import annotations

from typing import Any

from engine.operations import OperationCall, OperationRegistry


def register(registry: OperationRegistry) -> None:
    registry.register(
        "mark_overdue",
        description="Mark a user task overdue, notify the head of the unit, record the breach",
        params=("element",),
    )(mark_overdue)
    registry.register(
        "record_term_breach",
        description="Record that a legal term ran out with no decision; notify head and applicant",
        params=("term",),
    )(record_term_breach)
    registry.register("noop", description="Does nothing (for tests and placeholders)")(lambda call: {})


def mark_overdue(call: OperationCall) -> dict[str, Any]:
    element = str(call.params.get("element") or "")
    return call.step.mark_task_overdue(element, timer_element=call.element)


def record_term_breach(call: OperationCall) -> dict[str, Any]:
    term = str(call.params.get("term") or "")
    return call.step.record_term_breach(term, timer_element=call.element)
