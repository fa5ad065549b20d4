"""Suspension, restoration and deprivation of a licence or annex (R18-1; Law on digital assets art. 9, Law on
permits and notifications art. 45).

Grounds are recorded as given (the officer names the article and item); who decided (licensor or court), the
period and the deadline to remedy are data. The register shows ``suspended`` from the start until the end; a
restored licence is active again from its restoration; a revoked one never again. Deprivation is decided by a
court (Code of administrative offences), so ``revoke`` records the court's decision the officer cites.
Where a term could not be confirmed it is configuration here: DEFAULT_PERIOD_WORKING_DAYS (the believed maximum
of six months ≈ 126 working days is not imposed; the default is 30 working days).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from engine import audit, legal_time
from engine.errors import Conflict, FieldProblem, InvalidInput, NotFound
from engine.licensing import register as licence_register
from engine.operations import OperationCall, OperationRegistry
from engine.store.licensing_tables import Application, Licence
from engine.transactions import reading, transaction

DEFAULT_PERIOD_WORKING_DAYS = 30


def start_suspension(service: Any, number: str, body: Any, *, user: Any) -> dict[str, Any]:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    problems = []
    if body.get("decided_by", "licensor") not in ("licensor", "court"):
        problems.append(FieldProblem("decided_by", "must be licensor or court"))
    if body.get("scope", "licence") not in ("licence", "annex"):
        problems.append(FieldProblem("scope", "must be licence or annex"))
    if not isinstance(body.get("ground", ""), str):
        problems.append(FieldProblem("ground", "must be text"))
    if problems:
        raise InvalidInput(problems)
    now = service.clock.now()
    with transaction(service._sf) as session:
        licence = session.get(Licence, number)
        if licence is None:
            raise NotFound(f"licence {number} does not exist")
        state = licence_register.current_state(session, number, now)
        status = licence_register.status_at(state, now) if state else "unknown"
        if status in ("revoked", "replaced"):
            raise Conflict(f"licence {number} is {status}: it cannot be suspended")
        instance = service.wiring.engine.runtime.start(
            session, "licence_suspension",
            {"licence_number": number, "request": body, "subtype": licence.subtype,
             "application_id": licence.application_id, "submitted_at": legal_time.iso(now)},
            actor=user.username, business_key=licence.application_id)
        audit.append(session, at=now, actor=user.username, kind="suspension_started", instance_id=instance.id,
                     clause="R18-1", data={"licence": number, "request": body})
        instance_id = instance.id
    return {"instance_id": instance_id, "licence_number": number, **suspension_state(service, instance_id)}


def report_remedy(service: Any, instance_id: str, body: Any, *, user: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"].strip():
        raise InvalidInput("describe how the violation was remedied", field="text")
    payload = {"remedy": {"text": body["text"], "evidence": body.get("evidence") or [],
                          "reported_at": legal_time.iso(service.clock.now()), "by": user.username}}
    service.wiring.engine.deliver_message(instance_id, "remedy_reported", payload, actor=user.username)
    return suspension_state(service, instance_id)


def suspension_state(service: Any, instance_id: str) -> dict[str, Any]:
    view = service.wiring.engine.get_instance(instance_id, detail=True)
    return {"status": view.status, "active": view.active, "outcome": view.outcome,
            "deadlines": [{"name": t.name, "clause": t.clause, "due_at": legal_time.iso(t.due_at)}
                          for t in view.timers if t.fired_at is None and t.cancelled_at is None]}


# -- operations --------------------------------------------------------------------------------------------------


def register_operations(registry: OperationRegistry) -> None:
    registry.register("suspend_licence", description="Suspend the licence/annex from now until the period's end",
                      clause="R18-1, LPN.45")(suspend_licence)
    registry.register("extend_suspension", description="Extend the remedy deadline and the period",
                      clause="R18-1, LPN.45")(extend_suspension)
    registry.register("restore_licence", params=("reason",), description="Restore the licence (active again)",
                      clause="R18-1, LPN.45")(restore_licence)
    registry.register("revoke_licence", description="Record the deprivation of the licence (court decision)",
                      clause="R18-1, LDA.9")(revoke_licence)


def _number(call: OperationCall) -> str:
    return str(call.data["licence_number"])


def _end_of(day: Any) -> datetime:
    return legal_time.end_of_working_day(date.fromisoformat(str(day)[:10]))


def _document(call: OperationCall, kind: str, text: str) -> list[str]:
    from engine.licensing.operations import _issue, _notify, base_context

    app = call.step.session.get(Application, call.data.get("application_id")) if call.data.get("application_id") \
        else None
    if app is None:
        return []
    context = {**base_context(app, call.step.now), "licence_number": _number(call), "text": text}
    docs = _issue(call, app, kind, context)
    _notify(call, app, kind, {"kk": text, "ru": text, "en": text})
    return docs


def suspend_licence(call: OperationCall) -> dict[str, Any]:
    decision = call.data.get("suspension_decision") or {}
    request = call.data.get("request") or {}
    now = call.step.now
    days = int(decision.get("period_working_days") or request.get("period_working_days")
               or DEFAULT_PERIOD_WORKING_DAYS)
    until = legal_time.add_working_days(now, days)
    remedy_raw = decision.get("remedy_due") or request.get("remedy_due")
    remedy = _end_of(remedy_raw) if remedy_raw else until
    if remedy >= until:  # no earlier remedy deadline: the period's end comes first and restores
        remedy = until + timedelta(seconds=1)
    ground = decision.get("ground") or request.get("ground") or ""
    licence_register.change(call.step.session, _number(call), status="suspended", at=now, until=until,
                            reason=f"suspended: {ground}", instance_id=call.step.instance.id)
    text = (f"Лицензия № {_number(call)}: тоқтата тұрылды / приостановлена до {legal_time.iso(until)} "
            f"({ground}); бұзушылықты жою мерзімі / срок устранения: {legal_time.iso(remedy)}")
    docs = _document(call, "suspension_decision", text)
    call.step.outbox("licence_suspended", element=call.element, clause="R18-1",
                     payload={"licence": _number(call), "until": legal_time.iso(until)})
    return {"start": legal_time.iso(now), "until": legal_time.iso(until), "remedy_deadline": legal_time.iso(remedy),
            "ground": ground, "decided_by": decision.get("decided_by") or request.get("decided_by", "licensor"),
            "documents": docs}


def extend_suspension(call: OperationCall) -> dict[str, Any]:
    review = call.data.get("remedy_review") or {}
    current = call.data.get("suspension") or {}
    now = call.step.now
    remedy = _end_of(review["remedy_due"]) if review.get("remedy_due") else legal_time.add_working_days(now, 10)
    until = max(datetime.fromisoformat(current.get("until", legal_time.iso(now))), remedy)
    licence_register.change(call.step.session, _number(call), status="suspended", at=now, until=until,
                            reason="suspension extended", instance_id=call.step.instance.id)
    return {**current, "until": legal_time.iso(until), "remedy_deadline": legal_time.iso(remedy)}


def restore_licence(call: OperationCall) -> dict[str, Any]:
    reason = str(call.params.get("reason") or "restored")
    licence_register.change(call.step.session, _number(call), status="active", at=call.step.now,
                            reason=reason, instance_id=call.step.instance.id)
    docs = _document(call, "restoration_decision",
                     f"Лицензия № {_number(call)}: қолданылуы қайта басталды / действие возобновлено ({reason})")
    call.step.instance.outcome = "restored"
    call.step.outbox("licence_restored", element=call.element, clause="R18-1", payload={"licence": _number(call)})
    return {"restored_at": legal_time.iso(call.step.now), "reason": reason, "documents": docs}


def revoke_licence(call: OperationCall) -> dict[str, Any]:
    review = call.data.get("remedy_review") or {}
    licence_register.change(call.step.session, _number(call), status="revoked", at=call.step.now,
                            reason=f"deprived: {review.get('reasoning', '')}", instance_id=call.step.instance.id)
    docs = _document(call, "revocation_decision",
                     f"Лицензия № {_number(call)}: лицензиядан айырылды / лишение лицензии "
                     f"({review.get('reasoning', '')})")
    call.step.instance.outcome = "revoked"
    call.step.outbox("licence_revoked", element=call.element, clause="R18-1", payload={"licence": _number(call)})
    return {"revoked_at": legal_time.iso(call.step.now), "documents": docs}


def instance_for(service: Any, instance_id: str) -> None:
    with reading(service._sf) as session:
        from engine.store.tables import ProcessInstance

        row = session.get(ProcessInstance, instance_id)
        if row is None or row.process_key != "licence_suspension":
            raise NotFound(f"suspension {instance_id} does not exist")
