"""The three years of a licence (Law on digital assets, art. 9): the ``licence_validity`` diagram's operations.

The register itself shows a licence ``expired`` after its ``valid_until`` (engine/licensing/register.py); the
diagram adds what needs a timer: the holder's reminder ahead of the date — the system's own courtesy, not a term
of the Rules — and the notice that the licence ended. A reissue keeps the original term (``original_issue``).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from engine import legal_time
from engine.documents.dates import licence_valid_until, long_date
from engine.licensing import notices
from engine.licensing import register as licence_register
from engine.licensing.acts import start_procedure
from engine.operations import OperationCall, OperationRegistry
from engine.store.licensing_tables import Application, Licence

PROCESS = "licence_validity"
REMINDER_DAYS_BEFORE = 30  # the system's own reminder, in calendar days before the last day (not a legal term)
REMINDER_TIME = time(9, 0)
SYSTEM_NOTE = {"kk": "Бұл — жүйенің өз еске салуы, Қағидаларда белгіленген мерзім емес.",
               "ru": "Это собственное напоминание системы, а не срок, установленный Правилами.",
               "en": "This is the system's own reminder, not a term of the Rules."}


def register_operations(registry: OperationRegistry) -> None:
    registry.register("compute_licence_validity", clause="LDA.9",
                      description="The licence's last day (3 years) and the system's reminder moment")(compute)
    registry.register("remind_licence_expiry", clause="LDA.9",
                      description="Tell the holder when the licence ends (the system's own reminder)")(remind)
    registry.register("record_licence_expiry", clause="LDA.9",
                      description="Tell the holder and the monitoring feed that the licence ended")(record_expiry)


def start(call: OperationCall, app: Application, licence_number: str) -> str:
    """Start the validity watch of a licence just entered in the register (in the issuing step)."""
    runtime = call.step.ports["runtime"]
    instance = start_procedure(call.step.session, runtime, PROCESS,
                               {"licence_number": licence_number, "application_id": app.id}, actor="system",
                               application_id=app.id)
    return str(instance.id)


def _licence(call: OperationCall) -> Licence:
    licence = call.step.session.get(Licence, call.data["licence_number"])
    assert licence is not None, "the validity watch names a licence that is not in the register"
    return licence


def compute(call: OperationCall) -> dict[str, Any]:
    licence = _licence(call)
    first = licence_register.original_issue(call.step.session, licence)
    last_day = licence_valid_until(legal_time.to_local(first).date())
    ends_at = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=legal_time.TZ)
    remind_at = datetime.combine(last_day - timedelta(days=REMINDER_DAYS_BEFORE), REMINDER_TIME,
                                 tzinfo=legal_time.TZ)
    return {"licence_number": licence.number, "valid_until": last_day.isoformat(),
            "ends_at": legal_time.iso(ends_at), "remind_at": legal_time.iso(remind_at)}


def _notify(call: OperationCall, licence: Licence, kind: str, texts: dict[str, str]) -> None:
    notices.post(call.step.session, at=call.step.now, kind=kind, texts=texts, bin_iin=licence.holder_bin_iin,
                 application_id=call.data.get("application_id"), licence_number=licence.number,
                 instance_id=call.step.instance.id, element=call.element, clause="LDA.9")


def _still_in_force(call: OperationCall, licence: Licence) -> bool:
    state = licence_register.current_state(call.step.session, licence.number, call.step.now)
    return state is not None and licence_register.status_at(state, call.step.now) in ("active", "suspended")


def remind(call: OperationCall) -> dict[str, Any]:
    licence = _licence(call)
    last_day = (call.data.get("validity") or {}).get("valid_until")
    if not _still_in_force(call, licence):
        return {"reminded": False}
    _notify(call, licence, "expiry_reminder", {
        "kk": f"№ {licence.number} лицензияның қолданылу мерзімінің соңғы күні — {long_date(last_day, 'kk')} "
              f"(Цифрлық активтер туралы заңның 9-бабы). {SYSTEM_NOTE['kk']}",
        "ru": f"Срок действия лицензии № {licence.number} истекает {long_date(last_day, 'ru')} "
              f"(ст. 9 Закона о цифровых активах). {SYSTEM_NOTE['ru']}",
        "en": f"Licence {licence.number} is valid until {long_date(last_day, 'en')} (Law on digital assets, art. 9). "
              f"{SYSTEM_NOTE['en']}"})
    return {"reminded": True, "at": legal_time.iso(call.step.now), "own_reminder": True}


def record_expiry(call: OperationCall) -> dict[str, Any]:
    licence = _licence(call)
    last_day = (call.data.get("validity") or {}).get("valid_until")
    if not _still_in_force(call, licence):
        return {"ended": False}
    _notify(call, licence, "licence_expired", {
        "kk": f"№ {licence.number} лицензияның үш жылдық қолданылу мерзімі аяқталды (соңғы күні — "
              f"{long_date(last_day, 'kk')}).",
        "ru": f"Трёхлетний срок действия лицензии № {licence.number} истёк {long_date(last_day, 'ru')}.",
        "en": f"The three years of licence {licence.number} ended on {long_date(last_day, 'en')}."})
    return {"ended": True, "at": legal_time.iso(call.step.now)}
