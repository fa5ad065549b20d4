"""The portal's API: files, applications, documents (CONTRACT.md §2 Applications)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response, request

from engine import InvalidInput
from web.api import json_body
from web.auth import requires, user
from web.services import services

bp = APIBlueprint("api_applications", __name__, url_prefix="/api/v1", tag="Applications")

READERS = ("portal", "officer", "head", "signer", "auditor", "admin")


@bp.post("/files")
@bp.doc(summary="Upload a document (multipart field 'file'; PDF, PNG or JPEG by content; at most 10 MB)")
@requires("portal", "officer", "admin")
def upload_file() -> Any:
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("a multipart field named 'file' is required", field="file")
    content = upload.read()
    stored = services().licensing.store_file(owner=user().username, name=upload.filename or "file",
                                             content=content, declared_type=upload.mimetype)
    return stored, 201


@bp.get("/files/<file_id>")
@bp.doc(summary="Download an uploaded document")
@requires(*READERS)
def download_file(file_id: str) -> Any:
    row = services().licensing.get_file(file_id, user=user())
    return Response(row.content, mimetype=row.media_type,
                    headers={"Content-Disposition": f'inline; filename="{row.id}"',
                             "X-Content-Type-Options": "nosniff"})


@bp.post("/applications")
@bp.doc(summary="Submit an application (issue or reissue); same Idempotency-Key and body give the same answer")
@requires("portal")
def submit() -> Any:
    body = json_body()
    key = request.headers.get("Idempotency-Key", "")
    result, created = services().licensing.submit(body, idempotency_key=key, portal_user=user().username)
    return result, 201 if created else 200


@bp.get("/applications/<app_id>")
@bp.doc(summary="An application's status, outcome, deadlines and personal-cabinet notices")
@requires(*READERS)
def get_application(app_id: str) -> Any:
    return services().licensing.get_application(app_id, user=user())


@bp.post("/applications/<app_id>/positions")
@bp.doc(summary="The applicant's position or objection before the hearing (R10): text and uploaded files")
@requires("portal")
def state_position(app_id: str) -> Any:
    return services().licensing.state_position(app_id, json_body(), user=user()), 201


@bp.get("/applications/<app_id>/documents")
@bp.doc(summary="The documents issued for an application, each in kk and ru")
@requires(*READERS)
def list_documents(app_id: str) -> Any:
    return services().licensing.documents(app_id, user=user())


@bp.get("/documents/<doc_id>")
@bp.doc(summary="A document as PDF")
@requires(*READERS)
def get_document(doc_id: str) -> Any:
    row = services().licensing.document(doc_id, user=user())
    return Response(row.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{row.number}-{row.lang}.pdf"'})


@bp.get("/documents/<doc_id>/signature")
@bp.doc(summary="The document's signed XML (XMLDSig)")
@requires(*READERS)
def get_signature(doc_id: str) -> Any:
    row = services().licensing.document(doc_id, user=user())
    return Response(row.signed_xml, mimetype="application/xml")


@bp.get("/documents/<doc_id>/verify")
@bp.doc(summary="Verify the document's signature")
@requires(*READERS)
def verify(doc_id: str) -> Any:
    return services().licensing.verify_document(doc_id, user=user())
