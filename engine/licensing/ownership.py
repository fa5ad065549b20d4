"""Whose is it: applicants are kept apart (CONTRACT.md §2, Complaints and suspensions).

Everything an applicant has here — its applications, the licences issued on them, their documents, its uploaded
files, its complaints, the suspensions of its licences — belongs to the portal account that submitted the
application (``application.portal_user``). A reissued licence belongs to the account that submitted the reissue
application it was issued on. Staff roles read everything; for any other account what it does not own does not
exist: the answer is 404, never 403, so that it cannot even learn that someone else's application exists.

Every owner check of the licensing use cases goes through this module.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.store.licensing_tables import Account, Application, Document, Licence
from engine.store.tables import ProcessInstance, StoredFile

STAFF_READERS = ("officer", "head", "signer", "auditor", "admin", "quality_authority")
SUSPENSION_PROCESS = "licence_suspension"


def reads_everything(user: Any) -> bool:
    return bool(user.has(*STAFF_READERS))


def _require(user: Any, owner: str | None, missing: str) -> None:
    if reads_everything(user):
        return
    if owner is None or owner != user.username:
        raise NotFound(missing)


def application_owner(session: Session, app_id: str | None) -> str | None:
    app = session.get(Application, app_id) if app_id else None
    return app.portal_user if app is not None else None


def licence_owner(session: Session, licence: Licence) -> str | None:
    """The account that submitted the application the licence was issued (or reissued) on."""
    return application_owner(session, licence.application_id)


def owns_licence(session: Session, licence: Licence, username: str) -> bool:
    return licence_owner(session, licence) == username


def application(session: Session, app_id: str, user: Any) -> Application:
    row = session.get(Application, app_id)
    missing = f"application {app_id} does not exist"
    if row is None:
        raise NotFound(missing)
    _require(user, row.portal_user, missing)
    return row


def complaint(session: Session, complaint_id: str, user: Any) -> Application:
    row = session.get(Application, complaint_id)
    missing = f"complaint {complaint_id} does not exist"
    if row is None or row.procedure != "complaint":
        raise NotFound(missing)
    _require(user, row.portal_user, missing)
    return row


def licence(session: Session, number: str, user: Any) -> Licence:
    row = session.get(Licence, number)
    missing = f"licence {number} does not exist"
    if row is None:
        raise NotFound(missing)
    _require(user, licence_owner(session, row), missing)
    return row


def document(session: Session, doc_id: str, user: Any) -> Document:
    row = session.get(Document, doc_id)
    missing = f"document {doc_id} does not exist"
    if row is None:
        raise NotFound(missing)
    if row.application_id:
        owner = application_owner(session, row.application_id)
    else:
        held = session.get(Licence, row.licence_number) if row.licence_number else None
        owner = licence_owner(session, held) if held is not None else None
    _require(user, owner, missing)
    return row


def stored_file(session: Session, file_id: str, user: Any) -> StoredFile:
    row = session.get(StoredFile, file_id)
    missing = f"file {file_id} does not exist"
    if row is None:
        raise NotFound(missing)
    _require(user, row.owner, missing)
    return row


def suspension(session: Session, instance_id: str, user: Any) -> ProcessInstance:
    """A suspension procedure; it belongs to the holder of the suspended licence."""
    row = session.get(ProcessInstance, instance_id)
    missing = f"suspension {instance_id} does not exist"
    if row is None or row.process_key != SUSPENSION_PROCESS:
        raise NotFound(missing)
    _require(user, application_owner(session, row.business_key), missing)
    return row


def check_acts_for(session: Session, username: str, bin_iin: Any) -> None:
    """A portal account bound to one applicant (``account.acts_for``) submits for that applicant only."""
    acts_for = session.scalars(select(Account.acts_for).where(Account.username == username)).first()
    if acts_for and acts_for != bin_iin:
        raise InvalidInput(f"this account acts for the applicant {acts_for} only", field="applicant.bin_iin")
