"""Merge the refusal grounds (A3.10.x) the automatic checks found into one suggestion for the officer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _key(clause: str) -> tuple[tuple[int, int | str], ...]:
    # Natural order: A3.10.2 before A3.10.10.
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in clause.replace("A", "A.", 1).split("."))


def suggested_grounds(*findings: Mapping[str, Any] | None) -> list[str]:
    """Every ground named by the findings (``ground``: str | None, ``grounds``: list), unique and sorted.

    A suggestion only: the officer decides which grounds to put in the qualification-check form.
    """
    found: set[str] = set()
    for finding in findings:
        if not finding:
            continue
        single = finding.get("ground")
        if isinstance(single, str) and single:
            found.add(single)
        for ground in finding.get("grounds") or []:
            if isinstance(ground, str) and ground:
                found.add(ground)
    return sorted(found, key=_key)
