"""Helpers shared by the checks: trilingual finding texts, local days, tenge amounts, file references."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from engine.legal_time import to_local

LANGS = ("kk", "ru", "en")


def texts(kk: str, ru: str, en: str) -> dict[str, str]:
    """The one-line finding for the officer, in Kazakh, Russian and English (``text_kk`` …)."""
    return {"text_kk": kk, "text_ru": ru, "text_en": en}


def local_day(value: date | datetime) -> date:
    """The Kazakhstan calendar day of a moment; a plain date is returned as it is."""
    if isinstance(value, datetime):
        return to_local(value).date()
    return value


def kzt(amount: int | None) -> str:
    """7384000 → '7 384 000' (tenge, thousands separated by a space)."""
    return "—" if amount is None else f"{amount:,}".replace(",", " ")


def file_problem(file_id: Any, files: dict[str, dict[str, Any]]) -> dict[str, str] | None:
    """Why a referenced file does not count (absent, not uploaded, empty), or None when it does."""
    if not isinstance(file_id, str) or not file_id:
        return texts("құжат ұсынылмаған", "документ не приложен", "no document attached")
    meta = files.get(file_id)
    if meta is None:
        return texts(f"{file_id} файлы табылмады", f"файл {file_id} не найден", f"file {file_id} not found")
    size = meta.get("size")
    if not isinstance(size, int) or size <= 0:
        return texts(f"{file_id} файлы бос", f"файл {file_id} пустой", f"file {file_id} is empty")
    return None
