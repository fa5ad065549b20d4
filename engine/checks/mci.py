"""The monthly calculation index (MCI) by date, kept as data with its source (``mci.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from .common import local_day

MCI_FILE = Path(__file__).with_name("mci.json")


class FeeRateUnknown(LookupError):
    """No MCI is known for the day asked: the year's budget law has not been entered in ``mci.json``."""


@dataclass(frozen=True)
class MciValue:
    year: int
    valid_from: date
    mci_kzt: int
    source: str


@cache
def mci_values() -> tuple[MciValue, ...]:
    """Every MCI entry of ``mci.json``, oldest first."""
    document = json.loads(MCI_FILE.read_text(encoding="utf-8"))
    values = [MciValue(year=int(v["year"]), valid_from=date.fromisoformat(v["valid_from"]),
                       mci_kzt=int(v["mci_kzt"]), source=str(v["source"])) for v in document["values"]]
    for v in values:
        if v.valid_from.year != v.year or v.mci_kzt <= 0:
            raise ValueError(f"mci.json: inconsistent entry for {v.year}")
    return tuple(sorted(values, key=lambda v: v.valid_from))


def mci_on(on: date | datetime) -> MciValue:
    """The MCI in force on a day (a moment counts on its Kazakhstan calendar day)."""
    day = local_day(on)
    found = [v for v in mci_values() if v.year == day.year and v.valid_from <= day]
    if not found:
        known = ", ".join(str(y) for y in sorted({v.year for v in mci_values()}))
        raise FeeRateUnknown(f"no monthly calculation index is known for {day.isoformat()} "
                             f"(known years: {known}); add the year's value and its budget law "
                             f"to {MCI_FILE.name}")
    return found[-1]
