"""Workspace texts: English msgids translated by the gettext catalogs in web/translations (kk, ru, en).

Templates and views call :func:`t` with a short key (``t("tasks")``) or gettext directly (``_("Tasks")``);
either way the words come from the catalogs, never from a dictionary of translations here. ``N_`` marks a
msgid for extraction (``make translations``) without translating it at import time.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request, session
from flask_babel import get_locale, gettext, pgettext, refresh

LANGUAGES = ("kk", "ru", "en")
UI_DEFAULT = "ru"  # the staff site before anyone chooses
API_DEFAULT = "kk"  # CONTRACT.md §2: API messages follow Accept-Language, default kk


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogs; translated where it is shown."""
    return msgid


def NC_(context: str, msgid: str) -> tuple[str, str]:
    """Mark ``msgid`` in ``context`` (gettext's msgctxt) for the catalogs; translated with pgettext."""
    return context, msgid


# Short keys the templates and views use, each naming its English msgid.
MSGIDS: dict[str, str] = {
    "app": N_("Digital-mining licensing"),
    "ministry": N_("Ministry of Digital Development, Innovation and Aerospace Industry of Kazakhstan"),
    "login": N_("Sign in"),
    "logout": N_("Sign out"),
    "wrong_credentials": N_("Unknown user name or wrong password"),
    "too_many_attempts": N_("Too many failed sign-ins from this address: try again later"),
    "username": N_("User name"),
    "password": N_("Password"),
    "tasks": N_("Tasks"),
    "sign_queue": N_("To sign"),
    "notifications": N_("Notifications"),
    "task": N_("Task"),
    "application": N_("Application"),
    "applicant": N_("Applicant"),
    "procedure": N_("Procedure"),
    "subtype": N_("Subtype"),
    "status": N_("Status"),
    "due": N_("Due"),
    "days_left": N_("Working days left"),
    "overdue": N_("Overdue"),
    "clause": N_("Clause"),
    "claim": N_("Claim"),
    "unclaim": N_("Unclaim"),
    "assign": N_("Assign"),
    "open": N_("Open"),
    "claimed_by": N_("Claimed by"),
    "filter": N_("Filter"),
    "all": N_("All"),
    "mine": N_("Mine"),
    "queue": N_("Queue"),
    "due_before": N_("Due before"),
    "findings": N_("Automated findings"),
    "terms": N_("Legal terms"),
    "history": N_("History"),
    "decision": N_("Decision"),
    "complete": N_("Complete"),
    "save_draft": N_("Save draft"),
    "draft_saved": N_("Draft saved"),
    "done": N_("Task completed"),
    "fix_errors": N_("Please correct the errors"),
    "preview": N_("Document preview"),
    "met": N_("kept"),
    "breached": N_("breached"),
    "pending": N_("pending"),
    "not_completed": N_("not completed"),
    "eds_title": N_("Sign with EDS through NCALayer"),
    "eds_hint": N_("The act is signed with your own EDS key; the key never leaves your computer."),
    "eds_sign": N_("Sign with EDS"),
    "eds_connecting": N_("Connecting to NCALayer…"),
    "eds_signing": N_("Signing…"),
    "eds_failed": N_("Signing failed"),
    "no_tasks": N_("No tasks"),
    "data_centers": N_("Data centres"),
    "qualification": N_("Qualification information (A11)"),
    "attachments": N_("Attachments"),
    "page": N_("Page"),
    "next": N_("Next"),
    "prev": N_("Previous"),
    "mark_read": N_("Mark read"),
    "deadline_tomorrow": N_("Due tomorrow"),
    "single_buyer": N_("single buyer"),
    "isolated_generator": N_("isolated generator"),
    "audit": N_("Audit"),
    "instances": N_("Process instances"),
    "reports": N_("Reports"),
    "search": N_("Search"),
    "export": N_("Export"),
    "outcome": N_("Outcome"),
    "started": N_("Started"),
    "ended": N_("Ended"),
    "version": N_("Version"),
    "diagram": N_("Diagram (path taken)"),
    "events": N_("Events"),
    "time": N_("Time"),
    "actor": N_("Actor"),
    "what": N_("What"),
    "element": N_("Element"),
    "data": N_("Data"),
    "documents": N_("Documents"),
    "signature": N_("Signature"),
    "valid": N_("valid"),
    "invalid": N_("invalid"),
    "notices": N_("Notices to the applicant"),
    "integrity": N_("Integrity check"),
    "verify_instance": N_("Verify this instance"),
    "verify_all": N_("Verify everything"),
    "chain_ok": N_("The chain is intact"),
    "chain_bad": N_("The chain is broken"),
    "terms_report": N_("Terms kept vs breached"),
    "decision_days": N_("Working days to decision"),
    "average": N_("Average"),
    "grounds_report": N_("Refusals by ground"),
    "month": N_("Month"),
    "count": N_("Count"),
    "feed": N_("Monitoring feed"),
    "processes": N_("Process catalogue"),
    "deployed": N_("Deployed"),
    "edit": N_("Edit"),
    "validate": N_("Validate"),
    "deploy": N_("Deploy"),
    "name": N_("Name"),
    "forbidden": N_("Not allowed"),
    "add_row": N_("Add a row"),
    "remove_row": N_("Remove the row"),
    "allowed_window": N_("Allowed period"),
    "completed_read_only": N_("This task is completed and cannot be changed"),
    "completed_by": N_("Completed by"),
    "completed_at": N_("Completed at"),
    "error_403": N_("You may not open this page"),
    "error_404": N_("Page not found"),
    "error_409": N_("The action is not possible: the data has changed"),
    "error_500": N_("Internal error. It has been recorded"),
    "error_other": N_("The request cannot be served"),
    "timeline": N_("Case timeline"),
    "returned_by_signer": N_("Returned by the signer"),
    "ev_application_submitted": N_("Application submitted"),
    "ev_task_completed": N_("Decision taken"),
    "ev_position_stated": N_("Applicant's position"),
    "ev_document_issued": N_("Document issued"),
    "ev_term_breached": N_("Term breached"),
    "ev_instance_completed": N_("Case closed"),
    "position_text": N_("Position"),
    "breached_clause": N_("Breached clause"),
    "period_since": N_("Period from"),
    "period_until": N_("Period to"),
    "terms_total": N_("Overall"),
    "period": N_("Period"),
    "unit_terms": N_("Number of terms, by the month they fall due"),
    "unit_working_days": N_("Working days from registration to the decision"),
    "refusals_total": N_("Refusals"),
    "unit_grounds": N_("Each refusal counts once under each of its grounds"),
    "verify_words": N_("Checked events: %s, chains: %s — nothing was altered; chains anchored by checkpoints: %s"),
    "back_home": N_("Back to the home page"),
    "incidents": N_("Incidents"),
    "open_incidents": N_("Open incidents"),
    "resolved_incidents": N_("Resolved incidents"),
    "step": N_("Step"),
    "error": N_("Error"),
    "attempts": N_("Attempts"),
    "since": N_("Since"),
    "last_attempt": N_("Last attempt"),
    "next_retry": N_("Next automatic retry"),
    "waits_for_person": N_("waits for a person"),
    "retry": N_("Retry"),
    "resolve": N_("Resolve"),
    "reason": N_("Reason"),
    "resolved_by": N_("Resolved by"),
    "none": N_("None"),
    "retried_ok": N_("The step ran; the incident is resolved"),
    "retried_failed": N_("The step failed again"),
    "resolved_ok": N_("The incident is resolved with its reason"),
    "held": N_("Applications held by an incident"),
    "held_note": N_("A call to an outside system failed; the application "
                    "waits until it is retried. Legal terms keep running."),
    "terms_running": N_("Terms running"),
    "deliveries": N_("Deliveries (outbox)"),
    "dead_letters": N_("Dead letters"),
    "channel": N_("Channel"),
    "event": N_("Event"),
    "redeliver": N_("Deliver again"),
    "requeued": N_("Queued for delivery again"),
    "delivery": N_("Delivery"),
    "name_en": N_("Name (English)"),
    "name_kk": N_("Name (Kazakh)"),
    "name_ru": N_("Name (Russian)"),
    "lane_role": N_("Lane (role)"),
    "role_office": N_("Office and automated steps"),
    "role_officer": N_("Officer"),
    "role_signer": N_("Signer"),
    "role_head": N_("Head of unit"),
    "form": N_("Form"),
    "operation": N_("Operation"),
    "parameters": N_("Parameters (name=expression)"),
    "timer_expression": N_("Timer expression (working days)"),
    "term_from_table": N_("Term from the terms table"),
    "condition": N_("Condition (expression)"),
    "default_path": N_("Default path"),
    "read_only": N_("read-only"),
    "no_errors": N_("No errors"),
    "errors_found": N_("Errors"),
    "line": N_("line"),
    "version_deployed": N_("Deployed version"),
    "not_saved": N_("Not saved"),
    "diff_added": N_("Added"),
    "diff_removed": N_("Removed"),
    "diff_changed": N_("Changed"),
    "old_version": N_("Old version"),
    "new_version": N_("New version"),
    "field": N_("Field"),
    "before": N_("Before"),
    "after": N_("After"),
    "trial_run": N_("Trial run on the simulated clock"),
    "trial_note": N_("Runs the draft in memory with sample data: no application, task or timer is created."),
    "trial_start": N_("Start moment"),
    "trial_results": N_("Sample results of the automated steps (JSON)"),
    "trial_begin": N_("Start the trial"),
    "trial_complete": N_("Complete with this data"),
    "trial_advance": N_("Move the clock to this moment"),
    "trial_waiting": N_("Waits for a person"),
    "trial_timers": N_("Timer"),
    "trial_done": N_("the process ended"),
    "trial_clock": N_("Simulated time"),
    "trial_path": N_("Path taken"),
}

# Codes the engine stores, shown in words, by what they are the status of: one English word can need a
# different Russian form for each (a case "завершён", an incident "открыт"), so each has its own context.
STATUSES: dict[str, dict[str, tuple[str, str]]] = {
    "instance": {
        "running": NC_("instance", "running"),
        "completed": NC_("instance", "completed"),
        "cancelled": NC_("instance", "cancelled"),
        "failed": NC_("instance", "failed"),
    },
    "delivery": {
        "pending": NC_("delivery", "waiting to be sent"),
        "delivered": NC_("delivery", "delivered"),
        "dead": NC_("delivery", "not delivered"),
    },
    "incident": {
        "open": NC_("incident", "open"),
        "resolved": NC_("incident", "resolved"),
    },
}

# The procedures: the diagrams' keys and the applications' own procedure codes.
PROCEDURES: dict[str, str] = {
    "licence_issue": N_("Licence issue"),
    "licence_reissue": N_("Licence reissue"),
    "complaint": N_("Complaint"),
    "licence_suspension": N_("Suspension, restoration or deprivation"),
    "licence_validity": N_("Licence validity"),
    "issue": N_("Licence issue"),
    "reissue": N_("Licence reissue"),
    "annex": N_("Annex to a licence"),
}

# The acts the system issues, by their kind (the workspaces and the public verification page).
DOCUMENTS: dict[str, str] = {
    "receipt": N_("Receipt notice"),
    "licence": N_("Licence"),
    "reissued_licence": N_("Reissued licence"),
    "annex": N_("Annex to the licence"),
    "refusal": N_("Motivated refusal"),
    "not_considered": N_("Refusal of further consideration"),
    "preliminary_decision": N_("Preliminary decision"),
    "hearing_notice": N_("Hearing notice"),
    "complaint_decision": N_("Decision on a complaint"),
    "suspension_decision": N_("Suspension decision"),
    "restoration_decision": N_("Restoration decision"),
    "revocation_decision": N_("Revocation decision"),
}

# How a procedure ended.
OUTCOMES: dict[str, str] = {
    "issued": N_("licence issued"),
    "reissued": N_("licence reissued"),
    "refused": N_("refused"),
    "not_considered": N_("not considered further"),
    "satisfied": N_("complaint satisfied"),
    "rejected": N_("complaint rejected"),
    "restored": N_("licence restored"),
    "revoked": N_("licence revoked"),
    "suspended": N_("licence suspended"),
    "new_grounds": N_("new grounds"),
    "expired": N_("licence expired"),
}

# Audit and notification event kinds, as the history and notification lists name them.
EVENTS: dict[str, str] = {
    "account_created": N_("Account created"),
    "auditor_export": N_("Auditor exported cases"),
    "auditor_report": N_("Auditor read the reports"),
    "auditor_search": N_("Auditor searched the cases"),
    "auditor_verify": N_("Auditor checked the integrity"),
    "auditor_view": N_("Auditor opened a case"),
    "application_registered": N_("Application registered"),
    "application_submitted": N_("Application submitted"),
    "clock_set": N_("Simulated clock set"),
    "complaint_filed": N_("Complaint filed"),
    "complaint_forwarded": N_("Complaint forwarded"),
    "day_off": N_("Day off"),
    "delivery_requeued": N_("Delivery queued again"),
    "document_issued": N_("Document issued"),
    "element_completed": N_("Step completed"),
    "gateway_call": N_("Call to the e-government gateway"),
    "incident": N_("Incident"),
    "incident_opened": N_("Incident opened"),
    "incident_resolved": N_("Incident resolved"),
    "incident_retry_failed": N_("Retry of the incident failed"),
    "instance_cancelled": N_("Case cancelled"),
    "instance_completed": N_("Case closed"),
    "instance_failed": N_("Case failed"),
    "instance_started": N_("Case started"),
    "licence_issued": N_("Licence issued"),
    "licence_reissued": N_("Licence reissued"),
    "licence_restored": N_("Licence restored"),
    "licence_revoked": N_("Licence revoked"),
    "licence_suspended": N_("Licence suspended"),
    "licence_expired": N_("Licence expired"),
    "login_throttled": N_("Sign-ins throttled"),
    "message_received": N_("Message received"),
    "overdue": N_("Overdue"),
    "pool_notice": N_("Pool change notice"),
    "pool_notice_received": N_("Pool change notice received"),
    "position_received": N_("Applicant's position received"),
    "position_stated": N_("Applicant's position"),
    "process_deploy_refused": N_("Deployment refused"),
    "process_deployed": N_("Process version deployed"),
    "process_validated": N_("Diagram validated"),
    "suspension_started": N_("Suspension started"),
    "task_assigned": N_("Task assigned"),
    "task_cancelled": N_("Task cancelled"),
    "task_claimed": N_("Task claimed"),
    "task_completed": N_("Task completed"),
    "task_created": N_("Task created"),
    "task_new": N_("New task"),
    "task_overdue": N_("Task overdue"),
    "task_released": N_("Task returned to the queue"),
    "task_returned": N_("Returned by the signer"),
    "term_breach": N_("Term breached"),
    "term_breached": N_("Term breached"),
    "term_risk": N_("Term at risk"),
    "terms_change_approved": N_("Change of the terms approved"),
    "terms_change_proposed": N_("Change of the terms proposed"),
    "timer_cancelled": N_("Timer cancelled"),
    "timer_fired": N_("Timer fired"),
    "timer_scheduled": N_("Timer set"),
}


def select_locale() -> str:
    """Flask-Babel's locale: the API follows Accept-Language (default kk); the staff site the language the
    user chose (kept in the session), else Russian."""
    if not has_request_context():
        return UI_DEFAULT
    if request.path.startswith("/api/") or request.path in ("/healthz", "/metrics"):
        return request.accept_languages.best_match(LANGUAGES) or API_DEFAULT
    lang = session.get("lang")
    return lang if lang in LANGUAGES else UI_DEFAULT


def language() -> str:
    """The language of this request, as :func:`select_locale` chooses it (a switch made during the request
    included: Flask-Babel's cached locale is refreshed when the choice changed)."""
    lang = select_locale()
    if has_request_context() and str(get_locale()) != lang:
        refresh()
    return lang


def t(key: str) -> str:
    """The text of a short key in the request's language; an unknown key is shown as itself."""
    msgid = MSGIDS.get(key)
    if msgid is None:
        return key
    language()
    return gettext(msgid)


def _coded(table: dict[str, str], code: Any) -> str:
    if code is None or code == "":
        return ""
    msgid = table.get(str(code))
    if msgid is None:
        return str(code)
    language()
    return gettext(msgid)


def status_name(code: Any, of: str = "instance") -> str:
    """The status ``code`` of an instance, a delivery or an incident (``of``) in the request's language."""
    if code is None or code == "":
        return ""
    marked = STATUSES.get(of, {}).get(str(code))
    if marked is None:
        return str(code)
    language()
    return pgettext(*marked)


def outcome_name(code: Any) -> str:
    return _coded(OUTCOMES, code)


def procedure_name(code: Any) -> str:
    return _coded(PROCEDURES, code)


def document_name(kind: Any) -> str:
    return _coded(DOCUMENTS, kind)


def event_name(kind: Any) -> str:
    return _coded(EVENTS, kind)


def timeline_name(kind: Any) -> str:
    """An entry of a case's timeline: its own wording where it has one (``ev_*``), else the event's name."""
    key = f"ev_{kind}"
    return t(key) if key in MSGIDS else event_name(kind)


def deadline_name(name: Any) -> str:
    """A timer's name from its diagram: the catalogs hold every diagram's timer names (see
    :func:`extract_bpmn`); a name they do not know is shown as the diagram has it."""
    if not name:
        return ""
    language()
    return gettext(str(name))


def label(labels: Any, fallback: str = "") -> str:
    """Pick the current language from an ``x-labels``-style dict."""
    if isinstance(labels, dict):
        lang = language()
        return str(labels.get(lang) or labels.get("ru") or labels.get("en") or fallback)
    return fallback


def template_globals() -> dict[str, Any]:
    """What every staff template sees for its words."""
    return {"t": t, "lang": language(), "languages": LANGUAGES, "L": label, "status_name": status_name,
            "outcome_name": outcome_name, "event_name": event_name, "procedure_name": procedure_name,
            "document_name": document_name,
            "deadline_name": deadline_name, "timeline_name": timeline_name,
            "session_lang": session.get("lang")}


def extract_bpmn(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Any:
    """Babel extractor for the diagrams: the English names of timer events, the deadline names the
    workspaces show. Their kk and ru translations are the diagram's own ``name_kk``/``name_ru``."""
    from xml.etree import ElementTree

    bpmn = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    root = ElementTree.parse(fileobj).getroot()
    for kind in ("boundaryEvent", "intermediateCatchEvent", "startEvent"):
        for event in root.iter(f"{bpmn}{kind}"):
            if event.find(f"{bpmn}timerEventDefinition") is not None and event.get("name"):
                yield 0, None, event.get("name"), []
