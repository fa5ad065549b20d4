"""Court bans (A3.10.4) and bailiff bans (A3.10.5) in force at a moment, from the gateway."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.documents.dates import long_moment
from engine.gateway import Ban
from engine.legal_time import iso

from .common import texts

GROUND_COURT = "A3.10.4"
GROUND_BAILIFF = "A3.10.5"


def check_bans(*, court_bans: list[Ban], bailiff_bans: list[Ban], at: datetime) -> dict[str, Any]:
    """Bans in force at ``at`` (from ``in_force_from`` inclusive to ``until`` exclusive); the officer decides.

    Bans not in force (expired or not yet in force) are listed too, so the officer sees the whole answer.
    """
    court = [b for b in court_bans if b.in_force_at(at)]
    bailiff = [b for b in bailiff_bans if b.in_force_at(at)]
    other = [{**b.as_dict(), "source": "court", "state": _state(b, at)}
             for b in court_bans if b not in court]
    other += [{**b.as_dict(), "source": "bailiff", "state": _state(b, at)}
              for b in bailiff_bans if b not in bailiff]
    grounds = ([GROUND_COURT] if court else []) + ([GROUND_BAILIFF] if bailiff else [])
    result: dict[str, Any] = {
        "clause": f"{GROUND_COURT}, {GROUND_BAILIFF}", "at": iso(at), "banned": bool(grounds),
        "court_bans": [b.as_dict() for b in court], "bailiff_bans": [b.as_dict() for b in bailiff],
        "not_in_force": other, "grounds": grounds,
    }
    result.update(_texts(court, bailiff, at))
    return result


def _state(ban: Ban, at: datetime) -> str:
    return "future" if at < ban.in_force_from else "expired"


def _texts(court: list[Ban], bailiff: list[Ban], at: datetime) -> dict[str, str]:
    kk_when, ru_when, en_when = (long_moment(at, lang) for lang in ("kk", "ru", "en"))
    if not court and not bailiff:
        return texts(
            f"{kk_when} жағдай бойынша күшіндегі сот тыйымы да, сот орындаушысының тыйымы да жоқ (A3.10.4, A3.10.5).",
            f"По состоянию на {ru_when} действующих запретов суда и судебного исполнителя нет (A3.10.4, A3.10.5).",
            f"No court or bailiff ban in force as of {en_when} (A3.10.4, A3.10.5).")
    kk, ru, en = [], [], []
    if court:
        decisions = "; ".join(b.decision for b in court)
        kk.append(f"қызметті тоқтата тұру/тыйым салу туралы сот шешімі күшінде: {decisions} — A3.10.4")
        ru.append(f"действует решение суда о приостановлении/запрете деятельности: {decisions} — A3.10.4")
        en.append(f"court decision suspending/banning the activity in force: {decisions} — A3.10.4")
    if bailiff:
        decisions = "; ".join(b.decision for b in bailiff)
        kk.append(f"сот орындаушысының ұсынуы бойынша лицензия беруге уақытша тыйым: {decisions} — A3.10.5")
        ru.append(f"временный запрет на выдачу лицензии по представлению судебного исполнителя: "
                  f"{decisions} — A3.10.5")
        en.append(f"temporary ban on licences at a bailiff's request: {decisions} — A3.10.5")
    return texts(f"{kk_when} жағдай бойынша: " + "; ".join(kk) + ".",
                 f"По состоянию на {ru_when}: " + "; ".join(ru) + ".",
                 f"As of {en_when}: " + "; ".join(en) + ".")
