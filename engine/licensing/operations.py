"""Service-task operations of the licensing diagrams.

Each reads the application through the step's session and writes its effects (register, documents,
cabinet notices) in the step's transaction. Checks pre-fill the officer's forms; the officer decides.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import select

import forms
from engine import legal_time
from engine.checks import bans as ban_checks
from engine.checks import completeness, suggested_grounds
from engine.checks import fee as fee_checks
from engine.checks import registry as registry_checks
from engine.documents import refusal_ground_text
from engine.errors import InvalidInput, ProcessFailure
from engine.licensing import complaints, notices, numbers, suspensions, terms_table, validity
from engine.licensing import register as licence_register
from engine.licensing.acts import (
    application_of,
    base_context,
    gateway_of,
    holder_of,
    issue_document,
    notify,
    registered_at_of,
)
from engine.licensing.hearing import minutes_with_positions
from engine.licensing.reissue import issue_reissued_licence, reissue_obstacle
from engine.operations import OperationCall, OperationRegistry
from engine.store.licensing_tables import Application
from engine.store.tables import StoredFile

HEARING_WITHIN_DAYS = 2  # R10.2, the second
DEFAULT_HEARING_TIME = time(11, 0)
# they ask the e-government gateway: each runs in a step of its own and a failed call is an incident
GATEWAY_OPERATIONS = frozenset({"check_business_registry", "check_bans", "check_fee", "recheck_at_decision"})
# steps of their own after the step that reaches them commits: the receipt is rendered and signed after the
# submission (submissions never queue behind rendering); a decision drafted after an officer's task keeps the
# officer's completed task when drafting fails (an incident, retried on the officer's behalf)
OWN_STEP_OPERATIONS = frozenset({"register_application", "draft_decision"})


def register_operations(registry: OperationRegistry) -> None:
    ops = [
        ("register_application", register_application, (), "R5, R6, A3.8.2",
         "Register the application (after-hours rule), send the receipt with the expected result date"),
        ("check_business_registry", check_business_registry, (), "A3.9",
         "Ask the e-government gateway whether the applicant is registered as submitted"),
        ("check_bans", check_bans, (), "A3.10.4, A3.10.5", "Court and bailiff bans in force at registration"),
        ("check_fee", check_fee, (), "A3.7, A3.10.2", "Licence (or reissue) fee paid through the gateway"),
        ("check_completeness", check_completeness, (), "R7, A11", "Automatic completeness per subtype and date"),
        ("schedule_hearing", schedule_hearing, (), "R10.2", "Pick a lawful hearing moment after the notice"),
        ("recheck_at_decision", recheck_at_decision, (), "A3.10.2, A3.10.4, A3.10.5",
         "Court and bailiff bans and the fee again when the decision is prepared"),
        ("issue_preliminary_decision", issue_preliminary_decision, (), "R10",
         "Issue the preliminary decision and the hearing notice (kk, ru)"),
        ("draft_decision", draft_decision, ("kind",), "R9, R10",
         "Prepare the decision document for the signer (licence, refusal, not_considered)"),
        ("issue_decision", issue_decision, ("kind",), "R9, R17",
         "Sign and issue the decision in kk and ru, update the register, notify the applicant"),
    ]
    for name, func, params, clause, description in ops:
        registry.register(name, description=description, params=params, clause=clause,
                          external=name in GATEWAY_OPERATIONS, own_step=name in OWN_STEP_OPERATIONS)(func)
    complaints.register_operations(registry)
    suspensions.register_operations(registry)
    validity.register_operations(registry)


# -- operations -------------------------------------------------------------------------------------------------


def register_application(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    reopened = call.data.get("reopened_at")  # a refusal annulled on complaint: counted again from the re-opening
    terms_table.refresh(call.step.session)
    registered = legal_time.registration_moment(reopened or app.submitted_at)
    days = legal_time.term_days("R15" if app.procedure == "reissue" else "A3.4")  # issue and annex: A3.4
    due = legal_time.add_working_days(registered, days)
    app.registered_at, app.expected_result_at, app.status = registered, due, "registered"
    note = notices.term_note(app.procedure)
    texts = notices.render("receipt", number=app.number, registered=registered, expected=due,
                           note_kk=note["kk"], note_ru=note["ru"], note_en=note["en"])
    notify(call, app, "receipt", texts)
    context = base_context(app, call.step.now)
    if note["kk"]:
        context["text"] = f"{note['kk'].strip()} / {note['ru'].strip()}"
    issue_document(call, app, "receipt", context, number=numbers.receipt_number(call.step.session, app))
    call.step.audit("application_registered", element=call.element, clause="R6",
                    data={"registered_at": legal_time.iso(registered), "expected_result_at": legal_time.iso(due),
                          "after_hours": registered != app.submitted_at})
    return {"registered_at": legal_time.iso(registered), "total_term_due": legal_time.iso(due),
            "expected_result_at": legal_time.iso(due), "term_working_days": days}


def check_business_registry(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    record = gateway_of(call).business_registry(app.bin_iin)
    return registry_checks.check_business_registry(applicant=app.body["applicant"], record=record)


def check_bans(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    gateway = gateway_of(call)
    return ban_checks.check_bans(court_bans=gateway.court_bans(app.bin_iin),
                                 bailiff_bans=gateway.bailiff_bans(app.bin_iin), at=registered_at_of(app))


def check_fee(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    subtype = app.subtype or "I"
    return fee_checks.check_fee(procedure=_fee_procedure(app), subtype=subtype, registered_at=registered_at_of(app),
                                payments=gateway_of(call).payments(app.bin_iin), as_of=call.step.now)


def _fee_procedure(app: Application) -> str:
    """The fee an application owes: an annex is applied for on the issue's forms A1/A2 and owes the issue fee."""
    return "issue" if app.procedure == "annex" else app.procedure


def check_completeness(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    ids = forms.file_ids(app.body)
    files = {r.id: {"media_type": r.media_type, "size": r.size}
             for r in call.step.session.scalars(select(StoredFile).where(StoredFile.id.in_(ids)))} if ids else {}
    registered_on = legal_time.to_local(registered_at_of(app)).date()
    if app.procedure == "reissue":
        found = completeness.check_reissue_completeness(app.body, registered_on=registered_on, files=files,
                                                        subtype=app.subtype)
        obstacle = reissue_obstacle(call.step.session, app.licence_number, registered_at_of(app))
        return {**found, "licence": obstacle, "ground": obstacle["ground"]} if obstacle else found
    return completeness.check_completeness(app.body, registered_on=registered_on, files=files)


def recheck_at_decision(call: OperationCall) -> dict[str, Any]:
    """Bans and fee once more at the moment the licence is prepared (A3.10.2, A3.10.4, A3.10.5).

    A ground that was not there at registration and that the officer did not disprove (with a recorded
    justification, form ``qualification_check.disproved``) sends the application back to the qualification check.
    """
    app = application_of(call)
    gateway, now = gateway_of(call), call.step.now
    bans = ban_checks.check_bans(court_bans=gateway.court_bans(app.bin_iin),
                                 bailiff_bans=gateway.bailiff_bans(app.bin_iin), at=now)
    fee = fee_checks.check_fee(procedure=_fee_procedure(app), subtype=app.subtype or "I",
                               registered_at=registered_at_of(app), payments=gateway.payments(app.bin_iin), as_of=now)
    found = suggested_grounds(bans, fee)
    known = set(suggested_grounds(call.data.get("ban_check"), call.data.get("fee_check")))
    disproved = {d["ground"]: d["justification"] for d in
                 (call.data.get("qualification_check") or {}).get("disproved") or [] if isinstance(d, dict)}
    new = [g for g in found if g not in known and g not in disproved]
    return {"at": legal_time.iso(now), "ban_check": bans, "fee_check": fee, "grounds": found, "new_grounds": new,
            "disproved": disproved, "outcome": "new_grounds" if new else "clear"}


def schedule_hearing(call: OperationCall) -> dict[str, Any]:
    """R10.2: the notice goes at least 3 working days before the term ends; the hearing within 2 after it.

    A moment the officer set outside the lawful window is refused (422 on ``hearing_at``), never replaced.
    """
    app = application_of(call)
    notice_at = call.step.now
    term_end = app.expected_result_at or legal_time.add_working_days(registered_at_of(app),
                                                                     legal_time.term_days("A3.4"))
    latest = legal_time.add_working_days(notice_at, HEARING_WITHIN_DAYS)
    requested_raw = (call.data.get("qualification_check") or {}).get("hearing_at")
    if requested_raw:
        hearing_at = _requested_hearing(str(requested_raw), notice_at, latest)
        note = "as the officer set"
    else:
        default_day = legal_time.to_local(latest).date()
        hearing_at = datetime.combine(default_day, DEFAULT_HEARING_TIME, tzinfo=legal_time.TZ)
        note = "default: 11:00 on the last lawful day"
    last_notice = legal_time.subtract_working_days(term_end, legal_time.term_days("R10.2"))
    lawful = notice_at <= last_notice
    if not lawful:
        call.step.audit("term_risk", element=call.element, clause="R10.2",
                        data={"notice_at": legal_time.iso(notice_at),
                              "last_lawful_notice": legal_time.iso(last_notice)},
                        actor="system")
    return {"notice_at": legal_time.iso(notice_at), "hearing_at": legal_time.iso(hearing_at),
            "hearing_due": legal_time.iso(latest), "term_end": legal_time.iso(term_end),
            "last_lawful_notice": legal_time.iso(last_notice), "lawful": lawful, "note": note}


def _requested_hearing(raw: str, notice_at: datetime, latest: datetime) -> datetime:
    """The officer's hearing moment if it lies in the lawful window (R10.2), else InvalidInput on hearing_at.

    Lawful: after the notice, no later than the end of the 2nd working day after it, on a working day within
    the provider's working hours (09:00–18:30 without the 13:00–14:30 lunch, A3.8.1).
    """
    try:
        requested = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"'{raw}' is not an ISO-8601 moment", field="hearing_at") from None
    if requested.tzinfo is None:
        requested = requested.replace(tzinfo=legal_time.TZ)
    local = legal_time.to_local(requested)
    window = (f"between the notice ({legal_time.iso(notice_at)}) and {legal_time.iso(latest)}, on a working day "
              f"09:00–13:00 or 14:30–18:30 (R10.2, A3.8.1)")
    in_hours = (legal_time.WORKDAY_START <= local.time() < legal_time.LUNCH_START
                or legal_time.LUNCH_END <= local.time() <= legal_time.WORKDAY_END)
    if not (notice_at < requested <= latest and legal_time.is_working_day(local.date()) and in_hours):
        raise InvalidInput(f"the hearing moment {raw} is outside the lawful window: it must be {window}",
                           field="hearing_at")
    return requested


def _grounds(call: OperationCall, *sources: str) -> list[dict[str, Any]]:
    clauses: list[str] = []
    for source in sources:
        for clause in (call.data.get(source) or {}).get("grounds") or []:
            if clause not in clauses:
                clauses.append(clause)
    return _ground_texts(clauses)


def _ground_texts(clauses: list[str]) -> list[dict[str, Any]]:
    return [{"clause": c, "text_kk": refusal_ground_text(c, "kk"), "text_ru": refusal_ground_text(c, "ru")}
            for c in clauses]


def refusal_grounds(call: OperationCall) -> list[dict[str, Any]]:
    """The grounds a motivated refusal rests on.

    After a hearing (R10): only the grounds upheld at the hearing, each of which must have been put to the
    applicant in the preliminary decision — a ground the applicant never heard of is refused (422 on
    ``grounds``). A reissue (R15) has no hearing: the grounds of the review.
    """
    hearing = call.data.get("hearing")
    if not isinstance(hearing, dict):
        return _grounds(call, "reissue_review")
    upheld = [g for g in hearing.get("grounds") or [] if isinstance(g, str)]
    put = (call.data.get("preliminary") or {}).get("grounds") or []
    unheard = [g for g in upheld if g not in put]
    if unheard:
        raise InvalidInput(f"{', '.join(unheard)} were not put to the applicant in the preliminary decision "
                           f"({', '.join(put) or 'none'}): a refusal after the hearing rests only on grounds "
                           f"the applicant could answer (R10)", field="grounds")
    return _ground_texts(upheld)


def issue_preliminary_decision(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    plan = call.data.get("hearing_plan") or {}
    grounds = _grounds(call, "qualification_check", "reissue_review")
    context = {**base_context(app, call.step.now), "grounds": grounds, "hearing_at": plan.get("hearing_at"),
               "hearing_place_text": {
                   "kk": "бейнеконференция (сілтеме ресми электрондық поштаға жіберіледі) немесе Астана қ., "
                         "Мәңгілік Ел д-лы, 55/14",
                   "ru": "видеоконференция (ссылка направляется на официальный адрес электронной почты) или "
                         "г. Астана, пр. Мангилик Ел, 55/14"},
               "comment": (call.data.get("qualification_check") or {}).get("comment")}
    prelim = issue_document(call, app, "preliminary_decision", context)
    notice = issue_document(call, app, "hearing_notice", context)
    app.status = "hearing_scheduled"
    notify(call, app, "preliminary_decision", notices.render(
        "preliminary_decision", grounds=", ".join(g["clause"] for g in grounds),
        hearing=legal_time.to_local(plan["hearing_at"]) if plan.get("hearing_at") else "—"))
    return {"documents": prelim + notice, "grounds": [g["clause"] for g in grounds]}


def draft_decision(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    kind = str(call.params.get("kind") or "")
    if kind not in ("licence", "refusal", "not_considered", "reissue"):
        raise ProcessFailure(f"unknown decision kind '{kind}'")
    context = decision_context(call, app, kind)
    app.status = "awaiting_signature"
    return {"kind": kind, "context": context, "drafted_at": legal_time.iso(call.step.now),
            "drafted_by": call.step.actor}


def decision_context(call: OperationCall, app: Application, kind: str) -> dict[str, Any]:
    context = base_context(app, call.step.now)
    if kind == "not_considered":
        check = call.data.get("completeness_check") or call.data.get("reissue_completeness") or {}
        context["reason"] = check.get("reason", "")
        context["missing_items"] = check.get("missing_items", [])
    elif kind == "refusal":
        context["grounds"] = refusal_grounds(call)
        context["minutes"] = minutes_with_positions((call.data.get("hearing") or {}).get("minutes", ""),
                                                    app.positions)
    return context


def issue_decision(call: OperationCall) -> dict[str, Any]:
    app = application_of(call)
    kind = str(call.params.get("kind") or "")
    context = decision_context(call, app, kind)
    now = call.step.now
    if kind == "licence" and app.procedure == "annex":
        result = _issue_annex(call, app, context)
    elif kind == "licence":
        result = _issue_licence(call, app, context)
    elif kind == "reissue":
        result = issue_reissued_licence(call, app, context)
    elif kind in ("refusal", "not_considered"):
        outcome = "refused" if kind == "refusal" else "not_considered"
        docs = issue_document(call, app, "refusal", context, template=kind)
        app.outcome = outcome
        app.refusal_grounds = [g["clause"] for g in context["grounds"]] if kind == "refusal" else \
            ["R14" if app.procedure == "reissue" else "R7"]
        texts = notices.render("refused", grounds=", ".join(g["clause"] for g in context.get("grounds", [])) or
                               context.get("reason", "")) if kind == "refusal" else \
            notices.render("not_considered", reason=context.get("reason", ""))
        notify(call, app, outcome, texts)
        result = {"outcome": outcome, "documents": docs}
    else:
        raise ProcessFailure(f"unknown decision kind '{kind}'")
    app.decided_at, app.status = now, "decided"
    call.step.instance.outcome = app.outcome
    call.step.outbox("decision", element=call.element, clause="R9", payload={"outcome": app.outcome,
                                                                            "licence_number": app.licence_number})
    return result


def _issue_licence(call: OperationCall, app: Application, context: dict[str, Any]) -> dict[str, Any]:
    session, now = call.step.session, call.step.now
    subtype = app.subtype or "I"
    number = numbers.licence_number(session, now, subtype)
    pool = (app.body.get("qualification") or {}).get("pool")
    annex_number = f"{number}/1"
    annexes = [{"number": annex_number, "issued_at": legal_time.iso(now), "data_centers": app.body.get("data_centers",
                                                                                                      [])}]
    licence_register.create(session, number=number, subtype=subtype, holder=holder_of(app),
                    data_centers=app.body.get("data_centers", []), annexes=annexes, pool=pool, issued_at=now,
                    application_id=app.id, instance_id=call.step.instance.id)
    app.licence_number, app.outcome = number, "issued"
    context = {**context, "licence_number": number, "annex_number": annex_number}
    docs = issue_document(call, app, "licence", context, number=number, licence_number=number)
    docs += issue_document(call, app, "annex", context, number=annex_number, licence_number=number)
    notify(call, app, "licence_issued", notices.render("licence_issued", licence=number))
    validity.start(call, app, number)
    return {"outcome": "issued", "licence_number": number, "documents": docs}


def _issue_annex(call: OperationCall, app: Application, context: dict[str, Any]) -> dict[str, Any]:
    """An existing licensee's annex alone: a new data centre added to the licence (its status and term unchanged)."""
    session, now = call.step.session, call.step.now
    number = str(app.licence_number)
    annex_number = licence_register.add_annex(session, number, data_centers=app.body.get("data_centers", []), at=now,
                                              instance_id=call.step.instance.id)
    app.outcome = "issued"
    context = {**context, "licence_number": number, "annex_number": annex_number}
    docs = issue_document(call, app, "annex", context, number=annex_number, licence_number=number)
    notify(call, app, "annex_issued", {
        "kk": f"Лицензияға № {number} қосымша № {annex_number} берілді.",
        "ru": f"К лицензии № {number} выдано приложение № {annex_number}.",
        "en": f"Annex No. {annex_number} to licence No. {number} has been issued."})
    return {"outcome": "issued", "licence_number": number, "annex_number": annex_number, "documents": docs}


def on_term_breach(step: Any, term: str) -> None:
    """Tell the applicant that the service term was breached and of the right to complain (R19–R22)."""
    app_id = step.instance.business_key
    app = step.session.get(Application, app_id) if app_id else None
    if app is None:
        return
    texts = notices.render("term_breached", term=term)
    notices.post(step.session, at=step.now, kind="term_breached", texts=texts, bin_iin=app.bin_iin,
                 application_id=app.id, licence_number=app.licence_number, instance_id=step.instance.id,
                 clause="R19")


