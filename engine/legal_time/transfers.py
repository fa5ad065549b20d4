"""Corrections to the ``holidays`` package kept as data (``transfers.json``).

The government moves days off by yearly decrees. The ``holidays`` package knows most of them; a decree
it lacks (or gets wrong) is recorded in ``transfers.json`` with its source and wins over the package.
The file also lists, under ``checked``, the decrees that were verified against the package, so the UI
can name the source of every moved day.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

Kind = Literal["day_off", "working_day"]
KINDS: tuple[Kind, ...] = ("day_off", "working_day")


@dataclass(frozen=True)
class Transfer:
    """One day whose status a decree sets: a weekday made a day off, or a weekend day made working."""

    day: date
    kind: Kind
    source: str
    note: str = ""


@dataclass(frozen=True)
class CheckedDecree:
    """A decree already present in the ``holidays`` package, verified and kept for its citation."""

    year: int
    source: str
    days_off: tuple[date, ...]
    working_days: tuple[date, ...]
    note: str = ""


@dataclass(frozen=True)
class TransferData:
    """The parsed content of ``transfers.json``."""

    transfers: tuple[Transfer, ...]
    checked: tuple[CheckedDecree, ...]
    package_version_checked: str


def _parse_date(raw: Any, where: str) -> date:
    if not isinstance(raw, str):
        raise ValueError(f"{where}: date must be an ISO string, got {raw!r}")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"{where}: not an ISO date: {raw!r}") from exc


def _parse_transfer(raw: Mapping[str, Any], where: str) -> Transfer:
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind must be one of {KINDS}, got {kind!r}")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: a transfer needs its source (decree name, number, date)")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ValueError(f"{where}: note must be a string")
    day = _parse_date(raw.get("date"), where)
    return Transfer(day=day, kind="day_off" if kind == "day_off" else "working_day", source=source, note=note)


def _parse_checked(raw: Mapping[str, Any], where: str) -> CheckedDecree:
    return CheckedDecree(
        year=int(raw["year"]),
        source=str(raw["source"]),
        days_off=tuple(_parse_date(d, where) for d in raw.get("days_off", [])),
        working_days=tuple(_parse_date(d, where) for d in raw.get("working_days", [])),
        note=str(raw.get("note", "")),
    )


def parse_transfer_data(document: Mapping[str, Any]) -> TransferData:
    """Validate and parse a ``transfers.json`` document.

    Fails loudly on a malformed entry or on two entries for one day: a silently ignored correction
    would shift legal deadlines.
    """
    transfers = tuple(
        _parse_transfer(entry, f"transfers[{i}]") for i, entry in enumerate(document.get("transfers", []))
    )
    seen: set[date] = set()
    for transfer in transfers:
        if transfer.day in seen:
            raise ValueError(f"transfers: {transfer.day.isoformat()} is listed more than once")
        seen.add(transfer.day)
    checked = tuple(
        _parse_checked(entry, f"checked[{i}]") for i, entry in enumerate(document.get("checked", []))
    )
    return TransferData(
        transfers=transfers,
        checked=checked,
        package_version_checked=str(document.get("package_version_checked", "")),
    )


@lru_cache(maxsize=1)
def load_transfer_data() -> TransferData:
    """Read ``transfers.json`` shipped with this package (once per process)."""
    text = resources.files("engine.legal_time").joinpath("transfers.json").read_text(encoding="utf-8")
    return parse_transfer_data(json.loads(text))


def transfers_for_year(year: int, transfers: Sequence[Transfer] | None = None) -> tuple[Transfer, ...]:
    """Return the corrections that fall in ``year`` (from ``transfers.json`` unless given)."""
    pool = load_transfer_data().transfers if transfers is None else transfers
    return tuple(t for t in pool if t.day.year == year)
