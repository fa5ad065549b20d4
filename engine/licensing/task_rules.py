"""Rules a task's form cannot state by itself because they depend on the case: checked when the task is
completed, against the instance's data (engine.runtime calls them through the ``task_rules`` port)."""

from __future__ import annotations

from typing import Any

from engine.checks import suggested_grounds
from engine.errors import FieldProblem


def check(form: str, data: dict[str, Any], case: dict[str, Any]) -> list[FieldProblem]:
    if form == "qualification_check":
        return _findings_answered(data, case)
    if form == "hearing":
        return _grounds_were_heard(data, case)
    return []


def _grounds_were_heard(data: dict[str, Any], case: dict[str, Any]) -> list[FieldProblem]:
    """A refusal after the hearing rests only on grounds put to the applicant in the preliminary decision (R10)."""
    if data.get("decision") != "refuse":
        return []
    put = (case.get("preliminary") or {}).get("grounds") or []
    unheard = [g for g in data.get("grounds") or [] if isinstance(g, str) and g not in put]
    if not unheard:
        return []
    return [FieldProblem("grounds", f"{', '.join(unheard)} were not put to the applicant in the preliminary decision "
                                    f"({', '.join(put) or 'none'}): a refusal after the hearing rests only on grounds "
                                    "the applicant could answer (R10)")]


def _findings_answered(data: dict[str, Any], case: dict[str, Any]) -> list[FieldProblem]:
    """A compliant decision sets aside every automatic finding of registration (registry, bans, fee: A3.10) only
    when each is disproved with a recorded justification (``disproved``); otherwise the finding stands."""
    if data.get("decision") != "compliant":
        return []
    found = suggested_grounds(case.get("registry_check"), case.get("ban_check"), case.get("fee_check"))
    justified = {d.get("ground") for d in data.get("disproved") or []
                 if isinstance(d, dict) and isinstance(d.get("justification"), str) and d["justification"].strip()}
    standing = [ground for ground in found if ground not in justified]
    if not standing:
        return []
    return [FieldProblem("disproved", f"the automatic checks found {', '.join(standing)}: decide grounds_found, "
                                      "or disprove each finding with a recorded justification")]
