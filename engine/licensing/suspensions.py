"""Suspension, restoration and deprivation of a licence or annex (R18-1; Law on digital assets art. 9, Law on
permits and notifications art. 45).

Grounds are recorded as given (the officer names the article and item); who decided (licensor or court), the
period and the deadline to remedy are data. A suspension lasts one to six months (LDA art. 9(4)): anything else
is refused, and there is no default. The register shows ``suspended`` from the start until the end of the
period; the licence is restored only when the holder reported the remedy and the officer confirmed it (LPN
art. 45) — when the period ends without that it stays suspended until the officer decides. ``revoke`` records
the deprivation the officer cites, after a suspension or directly on its own ground (LPN art. 45).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any

from engine import audit, legal_time
from engine.documents.dates import long_moment
from engine.errors import Conflict, FieldProblem, InvalidInput, NotFound
from engine.licensing import ownership
from engine.licensing import register as licence_register
from engine.licensing.acts import base_context, issue_document, notify, start_procedure
from engine.operations import OperationCall, OperationRegistry
from engine.store.licensing_tables import Application, Licence
from engine.transactions import reading, transaction

MONTHS = range(1, 7)  # LDA art. 9(4): one to six months


def months_problem(value: Any) -> str | None:
    """Why ``value`` is not a lawful suspension period in months, None when it is."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in MONTHS:
        return "a suspension lasts one to six months (LDA.9): give months as a whole number 1..6"
    return None


def period_end(start: datetime, months: int) -> datetime:
    """The end of a period of ``months`` calendar months from ``start``: the end (24:00 local) of the day with the
    same number in the last month, or of that month's last day when it is shorter."""
    local = legal_time.to_local(start)
    year, index = divmod(local.month - 1 + months, 12)
    year, month = local.year + year, index + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return datetime.combine(date(year, month, day) + timedelta(days=1), time(0), tzinfo=legal_time.TZ)


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
    if "months" in body and months_problem(body["months"]):
        problems.append(FieldProblem("months", str(months_problem(body["months"]))))
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
        if body.get("scope") == "annex" and state is not None \
                and str(body.get("annex_number")) not in licence_register.annex_numbers(state):
            known = ", ".join(licence_register.annex_numbers(state)) or "none"
            raise InvalidInput(f"name one of the licence's annexes ({known})", field="annex_number")
        instance = start_procedure(
            session, service.wiring.engine.runtime, "licence_suspension",
            {"licence_number": number, "request": body, "subtype": licence.subtype,
             "application_id": licence.application_id, "submitted_at": legal_time.iso(now)},
            actor=user.username, application_id=licence.application_id)
        audit.append(session, at=now, actor=user.username, kind="suspension_started", instance_id=instance.id,
                     clause="R18-1", data={"licence": number, "request": body})
        instance_id = instance.id
    return {"instance_id": instance_id, "licence_number": number, **suspension_state(service, instance_id)}


def report_remedy(service: Any, instance_id: str, body: Any, *, user: Any) -> dict[str, Any]:
    """The holder (or an officer) reports the violation remedied; another applicant's suspension is not found."""
    with reading(service._sf) as session:
        ownership.suspension(session, instance_id, user)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"].strip():
        raise InvalidInput("describe how the violation was remedied", field="text")
    payload = {"remedy": {"text": body["text"], "evidence": body.get("evidence") or [],
                          "reported_at": legal_time.iso(service.clock.now()), "by": user.username}}
    service.wiring.engine.officer.deliver_message(instance_id, "remedy_reported", payload, actor=user.username)
    return suspension_state(service, instance_id)


def suspension_state(service: Any, instance_id: str) -> dict[str, Any]:
    view = service.wiring.engine.officer.get_instance(instance_id, detail=True)
    return {"status": view.status, "active": view.active, "outcome": view.outcome,
            "deadlines": [{"name": t.name, "clause": t.clause, "due_at": legal_time.iso(t.due_at)}
                          for t in view.timers if t.fired_at is None and t.cancelled_at is None]}


# -- operations --------------------------------------------------------------------------------------------------


def register_operations(registry: OperationRegistry) -> None:
    registry.register("suspend_licence", description="Suspend the licence/annex from now until the period's end",
                      clause="R18-1, LPN.45")(suspend_licence)
    registry.register("extend_suspension", description="Extend the remedy deadline and the period",
                      clause="R18-1, LPN.45")(extend_suspension)
    registry.register("restore_licence", params=("reason",), clause="R18-1, LPN.45",
                      description="Restore the licence (active again) on a reported and confirmed remedy")(
        restore_licence)
    registry.register("hold_suspension", clause="R18-1, LPN.45",
                      description="The period ended with no confirmed remedy: suspended until the officer decides")(
        hold_suspension)
    registry.register("revoke_licence", description="Record the deprivation of the licence (court decision)",
                      clause="R18-1, LDA.9")(revoke_licence)


def _number(call: OperationCall) -> str:
    return str(call.data["licence_number"])


def _annex(call: OperationCall) -> str | None:
    """The annex the procedure is about, or None when it is about the whole licence."""
    request, decision = call.data.get("request") or {}, call.data.get("suspension_decision") or {}
    source = decision if decision.get("scope") else request  # the officer's decision names it, else the request
    return str(source["annex_number"]) if source.get("scope") == "annex" and source.get("annex_number") else None


def _subject(call: OperationCall) -> str:
    annex = _annex(call)
    return f"Қосымша / Приложение № {annex}" if annex else f"Лицензия № {_number(call)}"


def _record(call: OperationCall, status: str, *, reason: str, until: datetime | None = None) -> None:
    """Write the new status of the licence, or of only its annex when the suspension is scoped to one."""
    annex = _annex(call)
    if annex:
        state = licence_register.current_state(call.step.session, _number(call))
        if state is None or annex not in licence_register.annex_numbers(state):
            known = ", ".join(licence_register.annex_numbers(state)) if state else "none"
            raise InvalidInput(f"name one of the licence's annexes ({known})", field="annex_number")
        licence_register.change_annex(call.step.session, _number(call), annex, status=status, at=call.step.now,
                                      until=until, reason=reason, instance_id=call.step.instance.id)
    else:
        licence_register.change(call.step.session, _number(call), status=status, at=call.step.now, until=until,
                                reason=reason, instance_id=call.step.instance.id)


def _end_of(day: Any) -> datetime:
    return legal_time.end_of_working_day(date.fromisoformat(str(day)[:10]))


def _document(call: OperationCall, kind: str, text: str) -> list[str]:
    app = call.step.session.get(Application, call.data.get("application_id")) if call.data.get("application_id") \
        else None
    if app is None:
        return []
    context = {**base_context(app, call.step.now), "licence_number": _number(call), "text": text}
    docs = issue_document(call, app, kind, context)
    notify(call, app, kind, {"kk": text, "ru": text, "en": text})
    return docs


def suspend_licence(call: OperationCall) -> dict[str, Any]:
    decision = call.data.get("suspension_decision") or {}
    request = call.data.get("request") or {}
    now = call.step.now
    months = decision.get("months", request.get("months"))
    problem = months_problem(months)
    if problem or not isinstance(months, int):
        raise InvalidInput(problem or "months is required", field="months")
    until = period_end(now, months)
    remedy_raw = decision.get("remedy_due") or request.get("remedy_due")
    remedy = _end_of(remedy_raw) if remedy_raw else until
    if remedy >= until:  # no earlier remedy deadline: the period's end comes first and restores
        remedy = until + timedelta(seconds=1)
    ground = decision.get("ground") or request.get("ground") or ""
    _record(call, "suspended", until=until, reason=f"suspended: {ground}")
    text = (f"{_subject(call)}: тоқтата тұрылды, мерзімі — {long_moment(until, 'kk')}; бұзушылықты жою мерзімі — "
            f"{long_moment(remedy, 'kk')} / приостановлена до {long_moment(until, 'ru')}; срок устранения — "
            f"{long_moment(remedy, 'ru')} ({ground})")
    docs = _document(call, "suspension_decision", text)
    call.step.outbox("licence_suspended", element=call.element, clause="R18-1",
                     payload={"licence": _number(call), "annex": _annex(call), "until": legal_time.iso(until)})
    return {"start": legal_time.iso(now), "months": months, "until": legal_time.iso(until),
            "latest_end": legal_time.iso(period_end(now, MONTHS[-1])), "remedy_deadline": legal_time.iso(remedy),
            "ground": ground, "decided_by": decision.get("decided_by") or request.get("decided_by", "licensor"),
            "documents": docs}


def extend_suspension(call: OperationCall) -> dict[str, Any]:
    review = call.data.get("remedy_review") or {}
    current = call.data.get("suspension") or {}
    now = call.step.now
    remedy = _end_of(review["remedy_due"]) if review.get("remedy_due") else legal_time.add_working_days(now, 10)
    until = max(datetime.fromisoformat(current.get("until") or legal_time.iso(now)), remedy)
    latest = datetime.fromisoformat(current["latest_end"]) if current.get("latest_end") else until
    if until > latest:
        raise InvalidInput(f"a suspension lasts at most six months (LDA.9): the deadline may not pass "
                           f"{legal_time.iso(latest)}", field="remedy_due")
    _record(call, "suspended", until=until, reason="suspension extended")
    return {**current, "until": legal_time.iso(until), "remedy_deadline": legal_time.iso(remedy)}


def hold_suspension(call: OperationCall) -> dict[str, Any]:
    current = call.data.get("suspension") or {}
    _record(call, "suspended", reason="the period ended with no confirmed remedy: suspended until the officer decides")
    return {**current, "until": None, "period_ended_at": legal_time.iso(call.step.now)}


def restore_licence(call: OperationCall) -> dict[str, Any]:
    """Restoration needs both the holder's report of the remedy and the officer's confirmation (LPN art. 45)."""
    if not isinstance((call.data.get("remedy_report") or {}).get("remedy"), dict):
        raise InvalidInput("the licence is restored only after the holder reports the violation remedied and the "
                           "officer confirms it (LPN.45): no remedy was reported", field="decision")
    reason = str(call.params.get("reason") or "restored")
    _record(call, "active", reason=reason)
    docs = _document(call, "restoration_decision",
                     f"{_subject(call)}: қолданылуы қайта басталды / действие возобновлено ({reason})")
    call.step.instance.outcome = "restored"
    call.step.outbox("licence_restored", element=call.element, clause="R18-1",
                     payload={"licence": _number(call), "annex": _annex(call)})
    return {"restored_at": legal_time.iso(call.step.now), "reason": reason, "documents": docs}


def revoke_licence(call: OperationCall) -> dict[str, Any]:
    review = call.data.get("remedy_review") or {}
    decision = call.data.get("suspension_decision") or {}
    reasoning = review.get("reasoning") or " — ".join(str(decision[k]) for k in ("ground", "comment")
                                                     if decision.get(k))
    _record(call, "revoked", reason=f"deprived: {reasoning}")
    docs = _document(call, "revocation_decision",
                     f"{_subject(call)}: лицензиядан айырылды / лишение лицензии ({reasoning})")
    call.step.instance.outcome = "revoked"
    call.step.outbox("licence_revoked", element=call.element, clause="R18-1",
                     payload={"licence": _number(call), "annex": _annex(call)})
    return {"revoked_at": legal_time.iso(call.step.now), "documents": docs}
