"""What every licensing operation does with its application: start a procedure for it, find it, ask the gateway,
post a notice, issue a signed act. Shared by the issue, reissue, complaint, suspension and validity operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine import legal_time
from engine.errors import ProcessFailure
from engine.licensing import notices, numbers
from engine.operations import OperationCall
from engine.store.licensing_tables import Application

# the diagram each procedure runs; an annex alone runs the issue diagram's checks and ends with an annex added
PROCESS_OF = {"issue": "licence_issue", "reissue": "licence_reissue", "annex": "licence_issue"}


def start_procedure(session: Any, runtime: Any, process: str, data: dict[str, Any], *, actor: str,
                    application_id: str | None) -> Any:
    """Start ``process`` for an application: every procedure of the domain serves one, which is the instance's
    business key, and the instance keeps its applicant's casefolded name, by which the auditors find it."""
    app = session.get(Application, application_id) if application_id else None
    return runtime.start(session, process, data, actor=actor, business_key=application_id,
                         applicant_key=app.applicant_key if app is not None else None)


def application_of(call: OperationCall) -> Application:
    app_id = call.data.get("application_id")
    app = call.step.session.get(Application, app_id) if app_id else None
    if app is None:
        raise ProcessFailure(f"the instance names no known application ({app_id!r})")
    return app


def notify(call: OperationCall, app: Application, kind: str, texts: dict[str, str]) -> None:
    """A notice to the applicant's cabinet about this application, with its monitoring event."""
    notices.post(call.step.session, at=call.step.now, kind=kind, texts=texts, bin_iin=app.bin_iin,
                 application_id=app.id, licence_number=app.licence_number, instance_id=call.step.instance.id,
                 element=call.element, clause=call.step.clause_of(call.element))


def gateway_of(call: OperationCall) -> Any:
    """The gateway port chosen by build_licensing; a failed call raises IntegrationFailure (an incident)."""
    return call.step.ports["gateway"](call.step)


def registered_at_of(app: Application) -> datetime:
    assert app.registered_at is not None
    return app.registered_at


def holder_of(app: Application) -> dict[str, Any]:
    applicant = app.body.get("applicant", {})
    return {"name": applicant.get("name"), "bin_iin": applicant.get("bin_iin"), "address": applicant.get("address"),
            "kind": applicant.get("kind")}


def issue_document(call: OperationCall, app: Application, kind: str, context: dict[str, Any], *,
                   template: str | None = None, licence_number: str | None = None,
                   number: str | None = None) -> list[str]:
    issuer = call.step.ports["documents"]
    number = number or numbers.document_number(call.step.session, call.step.now, template or kind)
    rows = issuer.issue(call.step.session, kind=kind, template=template, number=number, context=context,
                        signer_name=call.step.actor, signed_at=call.step.now, application_id=app.id,
                        instance_id=call.step.instance.id, licence_number=licence_number)
    call.step.audit("document_issued", element=call.element, data={
        "kind": kind, "number": number, "documents": [{"id": r.id, "lang": r.lang, "sha256": r.pdf_sha256}
                                                      for r in rows]})
    return [r.id for r in rows]


def base_context(app: Application, now: datetime) -> dict[str, Any]:
    body = app.body
    return {
        "application_number": app.number,
        "application_id": app.id,
        "procedure": app.procedure,
        "subtype": app.subtype,
        "holder": holder_of(app),
        "applicant": holder_of(app),
        "data_centers": body.get("data_centers", []),
        "submitted_at": legal_time.iso(app.submitted_at),
        "registered_at": legal_time.iso(app.registered_at) if app.registered_at else None,
        "expected_result_at": legal_time.iso(app.expected_result_at) if app.expected_result_at else None,
        "issued_at": legal_time.iso(now),
        "date": legal_time.to_local(now).date().isoformat(),
        "signer": {"name": "", "position": ""},
    }


