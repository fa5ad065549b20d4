"""The licence fee (A3.7) and whether the gateway shows it paid (A3.9 item 3; not paid = ground A3.10.2).

Rates (A3.7, in force from 2024-01-01): subtype I 2000 MCI, subtype II 5 MCI (A3.7.1, A3.7.2); reissue
10 % of the issue rate (A3.7.3). The Tax Code takes the index in force on the day of payment, so a
payment is judged at the MCI of its own (Kazakhstan) day, not of the registration.

Rounding: amounts are whole tenge. 10 % of a subtype II rate is half an MCI, which is not always whole
(2026: 4 325 / 2 = 2 162.5). Budget payments are computed in whole tenge, dropping a fraction below 0.5
and rounding 0.5 and more up (the Tax Code's rule for amounts payable to the budget), so ROUND_HALF_UP
is used: 2 163 tenge. Every issue rate is a whole number of MCI and needs no rounding.

Payments are judged one by one, not summed: each one is a separate payment at its own day's index, and
the officer sees every payment with its shortfall to decide a top-up case by hand.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.documents.dates import long_moment
from engine.gateway import Payment

from .common import kzt, local_day, texts
from .mci import FeeRateUnknown, MciValue, mci_on

__all__ = ["FEE_IN_FORCE_FROM", "ISSUE_RATE_MCI", "REISSUE_SHARE", "FeeRateUnknown", "check_fee",
           "fee_kzt", "licence_fee_kzt", "rate_mci", "reissue_fee_kzt"]

FEE_IN_FORCE_FROM = date(2024, 1, 1)  # A3.7 (amending order No. 598/НҚ)
ISSUE_RATE_MCI = {"I": 2000, "II": 5}  # A3.7.1, A3.7.2
REISSUE_SHARE = Decimal("0.10")  # A3.7.3
PURPOSE = {"issue": "licence_fee", "reissue": "reissue_fee"}
GROUND_NOT_PAID = "A3.10.2"


def rate_mci(procedure: str, subtype: str) -> Decimal:
    """The fee in MCI: 2000 / 5 for an issue, a tenth of that for a reissue."""
    if subtype not in ISSUE_RATE_MCI:
        raise ValueError(f"unknown licence subtype {subtype!r}; known: I, II")
    if procedure == "issue":
        return Decimal(ISSUE_RATE_MCI[subtype])
    if procedure == "reissue":
        return Decimal(ISSUE_RATE_MCI[subtype]) * REISSUE_SHARE
    raise ValueError(f"unknown procedure {procedure!r}; known: issue, reissue")


def _amount(rate: Decimal, mci: MciValue) -> int:
    return int((rate * mci.mci_kzt).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fee_kzt(procedure: str, subtype: str, on: date | datetime) -> int:
    """The fee in whole tenge at the MCI in force on ``on``; FeeRateUnknown for a year without data."""
    return _amount(rate_mci(procedure, subtype), mci_on(on))


def licence_fee_kzt(subtype: str, on: date | datetime) -> int:
    """Issue fee: subtype I 2000 MCI, subtype II 5 MCI (A3.7.1, A3.7.2)."""
    return fee_kzt("issue", subtype, on)


def reissue_fee_kzt(subtype: str, on: date | datetime) -> int:
    """Reissue fee: 10 % of the issue rate (A3.7.3), whole tenge, half up."""
    return fee_kzt("reissue", subtype, on)


def _number(rate: Decimal) -> int | float:
    return int(rate) if rate == rate.to_integral_value() else float(rate)


def _judge(payment: Payment, *, purpose: str, rate: Decimal, as_of: datetime | None) -> dict[str, Any]:
    entry: dict[str, Any] = {**payment.as_dict(), "mci_year": None, "mci": None, "due_kzt": None,
                             "counts": False, "note": ""}
    if payment.purpose != purpose:
        entry["note"] = f"purpose {payment.purpose}, not {purpose}"
        return entry
    if as_of is not None and payment.paid_at > as_of:
        entry["note"] = "paid after the moment of the check"
        return entry
    try:
        mci = mci_on(payment.paid_at)
    except FeeRateUnknown:
        entry["note"] = f"no MCI known for {local_day(payment.paid_at).year}: judge by hand"
        return entry
    due = _amount(rate, mci)
    entry.update(mci_year=mci.year, mci=mci.mci_kzt, due_kzt=due, counts=payment.amount_kzt >= due)
    entry["note"] = "paid in full" if entry["counts"] else f"short by {kzt(due - payment.amount_kzt)} tenge"
    return entry


def check_fee(*, procedure: str, subtype: str, registered_at: datetime, payments: list[Payment],
              as_of: datetime | None = None) -> dict[str, Any]:
    """Whether the fee was paid, judged by the gateway's payments; the officer decides (A3.10.2).

    ``as_of`` (optional) ignores payments dated after it, e.g. the moment of the check.
    """
    purpose = PURPOSE.get(procedure)
    if purpose is None:
        raise ValueError(f"unknown procedure {procedure!r}; known: issue, reissue")
    rate = rate_mci(procedure, subtype)
    registered_on = local_day(registered_at)
    result: dict[str, Any] = {
        "clause": "A3.7", "procedure": procedure, "purpose": purpose, "required": True, "subtype": subtype,
        "rate_mci": _number(rate), "mci": None, "mci_year": None, "amount_kzt": None, "paid": False,
        "paid_at": None, "reference": None, "payments": [p.as_dict() for p in payments], "ground": None,
        "reason": None, "registered_on": registered_on.isoformat(),
    }
    if registered_on < FEE_IN_FORCE_FROM:
        result.update(required=False,
                      reason="registered before 2024-01-01, when the fee (A3.7) came into force")
        result.update(texts(
            "Алым талап етілмейді: өтініш 2024 жылғы 1 қаңтарға дейін тіркелген "
            "(A3.7 сол күннен қолданылады).",
            "Сбор не требуется: заявление зарегистрировано до 01.01.2024 (A3.7 действует с этой даты).",
            "No fee required: the application was registered before 2024-01-01, when A3.7 came into force."))
        return result
    judged = [_judge(p, purpose=purpose, rate=rate, as_of=as_of) for p in payments]
    result["payments"] = judged
    counted = next((j for j in judged if j["counts"]), None)
    if counted is not None:
        result.update(paid=True, mci=counted["mci"], mci_year=counted["mci_year"],
                      amount_kzt=counted["due_kzt"], paid_at=counted["paid_at"],
                      reference=counted["reference"])
    else:
        try:
            mci = mci_on(registered_on)
            result.update(mci=mci.mci_kzt, mci_year=mci.year, amount_kzt=_amount(rate, mci))
        except FeeRateUnknown:
            result["reason"] = f"no MCI known for {registered_on.year}: the amount due cannot be computed"
        result["ground"] = GROUND_NOT_PAID
    result.update(_texts(result))
    return result


def _basis(r: dict[str, Any]) -> tuple[str, str, str]:
    """'2000 АЕК × 3 692 теңге (2024)' in the three languages; only the rate when the MCI is unknown."""
    rate = f"{r['rate_mci']:g}"
    local_rate = rate.replace(".", ",")
    if not r["mci"]:
        return f"{local_rate} АЕК", f"{local_rate} МРП", f"{rate} MCI"
    mci, year = kzt(r["mci"]), r["mci_year"]
    return (f"{local_rate} АЕК × {mci} теңге, {year} ж.", f"{local_rate} МРП × {mci} тг, {year} г.",
            f"{rate} MCI × {mci} KZT, {year}")


def _texts(r: dict[str, Any]) -> dict[str, str]:
    reissue = r["procedure"] == "reissue"
    name = (("Лицензияны қайта ресімдегені үшін алым", "Сбор за переоформление лицензии", "Reissue fee")
            if reissue else ("Лицензиялық алым", "Лицензионный сбор", "Licence fee"))
    basis = _basis(r)
    amount = kzt(r["amount_kzt"])
    subtype = r["subtype"]
    if r["paid"]:
        ref, paid = r["reference"], kzt(_paid_amount(r))
        return texts(
            f"{name[0]} төленді: {paid} теңге, {long_moment(r['paid_at'], 'kk')}, төлем {ref}; "
            f"талап етілетіні {amount} теңге ({basis[0]}; {subtype} кіші түр).",
            f"{name[1]} уплачен: {paid} тг, {long_moment(r['paid_at'], 'ru')}, платёж {ref}; "
            f"требуется {amount} тг ({basis[1]}; подвид {subtype}).",
            f"{name[2]} paid: {paid} KZT on {long_moment(r['paid_at'], 'en')}, payment {ref}; "
            f"due {amount} KZT ({basis[2]}; subtype {subtype}).")
    seen = len(r["payments"])
    return texts(
        f"{name[0]} төленбеген: {amount} теңге талап етіледі ({basis[0]}), шлюзде {seen} төлем — "
        f"бас тарту негізі A3.10.2.",
        f"{name[1]} не уплачен: требуется {amount} тг ({basis[1]}), платежей в шлюзе: {seen} — "
        f"основание для отказа A3.10.2.",
        f"{name[2]} not paid: {amount} KZT due ({basis[2]}), payments at the gateway: {seen} — "
        f"refusal ground A3.10.2.")


def _paid_amount(r: dict[str, Any]) -> int:
    return next(int(p["amount_kzt"]) for p in r["payments"] if p["counts"])
