"""What the e-government gateway answers: business registration, fee payments, court and bailiff bans.

Frozen dataclasses carrying the field names of the public contract (CONTRACT.md, admin/gateway), with
moments as aware datetimes. ``as_dict`` gives the JSON form (ISO-8601 in Kazakhstan local time) that the
checks put into their findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.legal_time import iso

PAYMENT_PURPOSES = ("licence_fee", "reissue_fee")
APPLICANT_KINDS = ("legal_entity", "entrepreneur")


class GatewayDataError(ValueError):
    """A gateway answer (or a stored simulation seed) does not have the contract's shape."""


@dataclass(frozen=True)
class RegistryRecord:
    """Registration of the legal entity or the individual entrepreneur (A3.9, item 2)."""

    registered: bool
    name: str | None = None
    kind: str | None = None  # "legal_entity" | "entrepreneur"

    def as_dict(self) -> dict[str, Any]:
        return {"registered": self.registered, "name": self.name, "kind": self.kind}


@dataclass(frozen=True)
class Payment:
    """A payment to the budget (A3.9, item 3)."""

    purpose: str  # "licence_fee" | "reissue_fee"
    amount_kzt: int
    paid_at: datetime
    reference: str

    def as_dict(self) -> dict[str, Any]:
        return {"purpose": self.purpose, "amount_kzt": self.amount_kzt, "paid_at": iso(self.paid_at),
                "reference": self.reference}


@dataclass(frozen=True)
class Ban:
    """A court decision (A3.10.4) or a bailiff's temporary ban (A3.10.5); ``until`` None = indefinite."""

    decision: str
    in_force_from: datetime
    until: datetime | None = None

    def in_force_at(self, at: datetime) -> bool:
        """In force from ``in_force_from`` (inclusive) up to ``until`` (exclusive)."""
        return self.in_force_from <= at and (self.until is None or at < self.until)

    def as_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "in_force_from": iso(self.in_force_from),
                "until": iso(self.until) if self.until is not None else None}


def parse_moment(value: Any) -> datetime:
    """An ISO-8601 string with a UTC offset (or an aware datetime) → aware datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise GatewayDataError(f"not an ISO-8601 moment: {value!r}") from exc
    else:
        raise GatewayDataError(f"expected an ISO-8601 moment, got {type(value).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise GatewayDataError(f"the moment must carry a UTC offset: {value!r}")
    return moment


def registry_record_from(body: dict[str, Any]) -> RegistryRecord:
    try:
        return RegistryRecord(registered=bool(body["registered"]), name=body.get("name"),
                              kind=body.get("kind"))
    except (KeyError, TypeError) as exc:
        raise GatewayDataError(f"business_registry record without 'registered': {body!r}") from exc


def payments_from(body: dict[str, Any]) -> list[Payment]:
    try:
        payments = [Payment(purpose=str(p["purpose"]), amount_kzt=int(p["amount_kzt"]),
                            paid_at=parse_moment(p["paid_at"]), reference=str(p["reference"]))
                    for p in body.get("payments") or []]
    except (KeyError, TypeError, ValueError) as exc:
        raise GatewayDataError(f"payments record of the wrong shape: {exc}") from exc
    return sorted(payments, key=lambda p: p.paid_at)


def bans_from(body: dict[str, Any]) -> list[Ban]:
    try:
        bans = [Ban(decision=str(b["decision"]), in_force_from=parse_moment(b["in_force_from"]),
                    until=parse_moment(b["until"]) if b.get("until") is not None else None)
                for b in body.get("bans") or []]
    except (KeyError, TypeError, ValueError) as exc:
        raise GatewayDataError(f"bans record of the wrong shape: {exc}") from exc
    return sorted(bans, key=lambda b: b.in_force_from)
