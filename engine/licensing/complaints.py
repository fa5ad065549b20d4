"""Complaints (R19–R23): filing, the service tasks of the ``complaint`` diagram, and court notices."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from engine import audit, legal_time
from engine.documents.dates import long_moment
from engine.errors import Conflict, FieldProblem, InvalidInput
from engine.licensing import numbers, ownership, terms_table
from engine.licensing.acts import PROCESS_OF, application_of, base_context, issue_document, notify, start_procedure
from engine.operations import OperationCall, OperationRegistry
from engine.store.licensing_tables import Application, Licence
from engine.transactions import reading, transaction

REVIEW_CLAUSE = {"provider": "R21", "quality_authority": "R22"}  # the days come from the effective table
OUTCOMES = {"satisfied": "satisfied", "partly_satisfied": "partly_satisfied", "rejected": "rejected"}


def file_complaint(service: Any, body: Any, *, user: Any) -> dict[str, Any]:
    """Validate and register a complaint, starting the ``complaint`` process (one transaction)."""
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    problems = []
    if body.get("addressed_to") not in REVIEW_CLAUSE:
        problems.append(FieldProblem("addressed_to", "must be provider or quality_authority"))
    text = body.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > 20000:
        problems.append(FieldProblem("text", "the complaint's text is required (at most 20 000 characters)"))
    targets = [k for k in ("application_id", "licence_number") if body.get(k)]
    if len(targets) != 1:
        problems.append(FieldProblem("application_id", "name exactly one of application_id or licence_number"))
    if problems:
        raise InvalidInput(problems)
    now = service.clock.now()
    with transaction(service._sf) as session:
        target_app = target_licence = None
        if body.get("application_id"):
            if session.get(Application, str(body["application_id"])) is None:
                raise InvalidInput(f"unknown application '{body['application_id']}'", field="application_id")
            target_app = ownership.application(session, str(body["application_id"]), user)
            bin_iin, name = target_app.bin_iin, target_app.applicant_name
        else:
            if session.get(Licence, str(body["licence_number"])) is None:
                raise InvalidInput(f"unknown licence '{body['licence_number']}'", field="licence_number")
            target_licence = ownership.licence(session, str(body["licence_number"]), user)
            bin_iin, name = target_licence.holder_bin_iin, target_licence.holder_name
        row = Application(
            id=str(uuid.uuid4()), number=numbers.application_number(session, now).replace("KZ-DM", "KZ-DM-C"),
            procedure="complaint", subtype=None, bin_iin=bin_iin, applicant_name=name, applicant_key=name.casefold(),
            licence_number=body.get("licence_number"), body=body, portal_user=user.username,
            idempotency_key=f"complaint-{uuid.uuid4()}",
            body_sha256=hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(), submitted_at=now,
            status="submitted")
        session.add(row)
        session.flush()
        complaint = {**body, "target_application_id": target_app.id if target_app else None,
                     "target_outcome": target_app.outcome if target_app else None}
        instance = start_procedure(
            session, service.wiring.engine.runtime, "complaint",
            {"complaint": complaint, "application_id": row.id, "application_number": row.number,
             "submitted_at": legal_time.iso(now)}, actor=user.username, application_id=row.id)
        row.instance_id = instance.id
        audit.append(session, at=now, actor=user.username, kind="complaint_filed", instance_id=instance.id,
                     clause="R19", data={"complaint_id": row.id, "addressed_to": body["addressed_to"]})
        complaint_id = row.id
    return service.get_application(complaint_id)


def court_appeal(service: Any, complaint_id: str, body: Any, *, user: Any) -> dict[str, Any]:
    with reading(service._sf) as session:
        instance_id = ownership.complaint(session, complaint_id, user).instance_id
    if not isinstance(body, dict) or not isinstance(body.get("court"), str) or not body["court"].strip():
        raise InvalidInput("the court is required", field="court")
    payload = {"court_appeal": {"court": body["court"], "case_number": body.get("case_number"),
                                "received_at": legal_time.iso(service.clock.now())}}
    try:
        service.wiring.engine.officer.deliver_message(instance_id, "court_appeal", payload, actor=user.username)
    except Conflict as exc:
        raise Conflict(f"the complaint is not awaiting a court claim: {exc}") from exc
    return service.get_application(complaint_id)


# -- operations --------------------------------------------------------------------------------------------------


def register_operations(registry: OperationRegistry) -> None:
    registry.register("register_complaint", description="Register the complaint, compute R20–R22 terms",
                      clause="R19, R20, R21, R22")(register_complaint)
    registry.register("forward_complaint", description="Forward the complaint with the administrative file",
                      clause="R20")(forward_complaint)
    registry.register("issue_complaint_decision", params=("kind",), clause="R21, R22, APPC.91.4",
                      description="Issue the complaint decision (kk, ru); re-open an annulled refusal")(issue_decision)


def _row(call: OperationCall) -> Application:
    return application_of(call)


def register_complaint(call: OperationCall) -> dict[str, Any]:
    row = _row(call)
    addressed = row.body["addressed_to"]
    terms_table.refresh(call.step.session)
    registered = legal_time.registration_moment(row.submitted_at)
    # R20 counts from the day the complaint is received, working days from the next day (not from R5's shift)
    triage_due = legal_time.add_working_days(row.submitted_at, legal_time.term_days("R20"))
    review_due = legal_time.add_working_days(registered, legal_time.term_days(REVIEW_CLAUSE[addressed]))
    row.registered_at, row.expected_result_at, row.status = registered, review_due, "registered"
    notify(call, row, "complaint_received", {
        "kk": f"Шағым тіркелді ({row.number}): {long_moment(registered, 'kk')}. Қарау мерзімі: "
              f"{long_moment(review_due, 'kk')}.",
        "ru": f"Жалоба зарегистрирована ({row.number}): {long_moment(registered, 'ru')}. Срок рассмотрения: "
              f"{long_moment(review_due, 'ru')}.",
        "en": f"Complaint registered ({row.number}): {long_moment(registered, 'en')}. Review due: "
              f"{long_moment(review_due, 'en')}."})
    return {"registered_at": legal_time.iso(registered), "triage_due": legal_time.iso(triage_due),
            "review_due": legal_time.iso(review_due), "addressed_to": addressed}


def forward_complaint(call: OperationCall) -> dict[str, Any]:
    row = _row(call)
    to = "the state-services quality authority" if row.body["addressed_to"] == "quality_authority" else \
        "the higher official of the provider"
    row.status = "forwarded"
    notify(call, row, "complaint_forwarded", {
        "kk": "Шағым әкімшілік іспен бірге шағымды қарайтын органға жіберілді (20-тармақ).",
        "ru": "Жалоба вместе с административным делом направлена в орган, рассматривающий жалобу (п. 20).",
        "en": f"The complaint and the administrative file were forwarded to {to} (R20)."})
    return {"forwarded_at": legal_time.iso(call.step.now), "to": row.body["addressed_to"]}


def issue_decision(call: OperationCall) -> dict[str, Any]:
    row = _row(call)
    kind = str(call.params.get("kind") or "")
    now = call.step.now
    if kind == "satisfied_by_provider":
        outcome = "satisfied"
        reasoning = (call.data.get("complaint_triage") or {}).get("act_description", "")
        annul = bool(call.data.get("complaint", {}).get("target_outcome") in ("refused", "not_considered"))
    else:
        review = call.data.get("complaint_review") or {}
        outcome = OUTCOMES.get(review.get("decision", ""), "rejected")
        reasoning = review.get("reasoning", "")
        annul = bool(review.get("annul_refusal")) and outcome != "rejected"
    context = {**base_context(row, now), "text": f"{outcome}: {reasoning}", "reason": call.data["complaint"]["text"]}
    docs = issue_document(call, row, "complaint_decision", context)
    row.outcome, row.decided_at, row.status = outcome, now, "decided"
    call.step.instance.outcome = outcome
    notify(call, row, "complaint_decision", {
        "kk": f"Шағым бойынша шешім: {outcome}. {reasoning}", "ru": f"Решение по жалобе: {outcome}. {reasoning}",
        "en": f"Decision on the complaint: {outcome}. {reasoning}"})
    call.step.outbox("complaint_decision", element=call.element, clause="R21", payload={"outcome": outcome})
    reopened = _reopen(call, call.data["complaint"].get("target_application_id")) if annul else None
    return {"outcome": outcome, "documents": docs, "decided_at": legal_time.iso(now), "reopened": reopened}


def _reopen(call: OperationCall, app_id: str | None) -> str | None:
    """An annulled refusal no longer stands: the application is considered again from the re-opening."""

    session = call.step.session
    app = session.get(Application, app_id) if app_id else None
    if app is None or app.outcome not in ("refused", "not_considered"):
        return None
    runtime = call.step.ports["runtime"]
    data = {"application": app.body, "application_id": app.id, "application_number": app.number,
            "subtype": app.subtype, "submitted_at": legal_time.iso(app.submitted_at),
            "reopened_at": legal_time.iso(call.step.now)}
    if app.procedure == "reissue":
        data["licence_number"] = app.licence_number
    app.outcome, app.decided_at, app.status = None, None, "reopened"
    instance = start_procedure(session, runtime, PROCESS_OF[app.procedure], data, actor="system",
                               application_id=app.id)
    app.instance_id = instance.id
    notify(call, app, "reopened", {
        "kk": "Шағым бойынша бас тарту жойылды: өтініш қайта қаралады.",
        "ru": "По жалобе отказ отменён: заявление рассматривается повторно.",
        "en": "The refusal was annulled on complaint: the application is considered again."})
    return instance.id
