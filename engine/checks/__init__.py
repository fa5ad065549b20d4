"""Automatic checks of an application: pure functions returning JSON-serialisable findings.

Each finding is the result of a BPMN service task and pre-fills the officer's form; the officer decides.
Every finding carries the ``clause`` it serves, one-line texts for the officer (``text_kk``, ``text_ru``,
``text_en``) and, where it found one, the refusal ground(s) it suggests (``ground`` / ``grounds``);
``suggested_grounds`` merges them.
"""

from __future__ import annotations

from .bans import check_bans
from .completeness import check_completeness, check_reissue_completeness
from .fee import FeeRateUnknown, check_fee, licence_fee_kzt, reissue_fee_kzt
from .grounds import suggested_grounds
from .mci import mci_on
from .registry import check_business_registry, normalize_name

__all__ = [
    "FeeRateUnknown",
    "check_bans",
    "check_business_registry",
    "check_completeness",
    "check_fee",
    "check_reissue_completeness",
    "licence_fee_kzt",
    "mci_on",
    "normalize_name",
    "reissue_fee_kzt",
    "suggested_grounds",
]
