"""Court (A3.10.4) and bailiff (A3.10.5) bans in force, and the merged grounds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.checks import check_bans, suggested_grounds
from engine.gateway import Ban
from engine.legal_time import TZ

AT = datetime(2025, 3, 3, 10, 0, tzinfo=TZ)


def ban(start: str, until: str | None = None, decision: str = "2-100/2025") -> Ban:
    return Ban(decision=decision, in_force_from=datetime.fromisoformat(start).replace(tzinfo=TZ),
               until=datetime.fromisoformat(until).replace(tzinfo=TZ) if until else None)


def test_no_bans_no_grounds() -> None:
    result = check_bans(court_bans=[], bailiff_bans=[], at=AT)
    assert result["banned"] is False and result["grounds"] == []
    assert result["clause"] == "A3.10.4, A3.10.5" and "No court or bailiff ban" in result["text_en"]


def test_a_court_ban_in_force_suggests_a3_10_4() -> None:
    result = check_bans(court_bans=[ban("2025-01-01T00:00")], bailiff_bans=[], at=AT)
    assert result["grounds"] == ["A3.10.4"] and result["court_bans"][0]["decision"] == "2-100/2025"
    assert "A3.10.4" in result["text_ru"]


def test_a_bailiff_ban_in_force_suggests_a3_10_5() -> None:
    bailiff = ban("2025-03-01T00:00", "2025-04-01T00:00", "IP-7")
    result = check_bans(court_bans=[], bailiff_bans=[bailiff], at=AT)
    assert result["grounds"] == ["A3.10.5"]
    assert result["bailiff_bans"][0]["until"] == "2025-04-01T00:00:00+05:00"


def test_expired_and_future_bans_do_not_count_but_are_listed() -> None:
    expired = ban("2024-01-01T00:00", "2025-03-03T10:00")  # until is exclusive
    future = ban("2025-03-03T10:00:01")
    result = check_bans(court_bans=[expired], bailiff_bans=[future], at=AT)
    assert result["banned"] is False and result["grounds"] == []
    states = [(b["source"], b["state"]) for b in result["not_in_force"]]
    assert states == [("court", "expired"), ("bailiff", "future")]


def test_a_ban_starting_at_the_moment_is_in_force() -> None:
    result = check_bans(court_bans=[ban("2025-03-03T10:00")], bailiff_bans=[ban("2025-03-03T10:00")], at=AT)
    assert result["grounds"] == ["A3.10.4", "A3.10.5"]


def test_suggested_grounds_merge_unique_in_natural_order() -> None:
    findings: list[dict[str, Any] | None] = [
        {"ground": "A3.10.2"}, {"grounds": ["A3.10.5", "A3.10.4"]}, None, {"ground": None},
        {"grounds": ["A3.10.10", "A3.10.2"]},
    ]
    assert suggested_grounds(*findings) == ["A3.10.2", "A3.10.4", "A3.10.5", "A3.10.10"]
    assert suggested_grounds() == []
