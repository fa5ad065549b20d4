"""Complaints (R19–R23) and suspensions (R18-1)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from web.api import json_body, schemas
from web.auth import requires, user
from web.services import services

bp = APIBlueprint("api_complaints", __name__, url_prefix="/api/v1", tag="Complaints and suspensions")


@bp.post("/complaints")
@bp.doc(summary="File a complaint about a decision, action or inaction (R19); answers with the R20–R22 terms")
@requires("portal", "officer")
def file_complaint() -> Any:
    return services().licensing.file_complaint(json_body(schemas.COMPLAINT), user=user()), 201


@bp.get("/complaints/<complaint_id>")
@bp.doc(summary="A complaint's status, terms, decision and notices")
@requires("portal", "officer", "head", "auditor", "admin")
def get_complaint(complaint_id: str) -> Any:
    return services().licensing.get_application(complaint_id, user=user())


@bp.post("/complaints/<complaint_id>/court")
@bp.doc(summary="Notify that a court claim was filed after the complaint (R23)")
@requires("portal", "officer")
def court(complaint_id: str) -> Any:
    return services().licensing.court_appeal(complaint_id, json_body(schemas.COURT_APPEAL), user=user())


@bp.post("/licences/<number>/suspensions")
@bp.doc(summary="Start the suspension procedure for a licence or annex (R18-1)")
@requires("officer")
def suspend(number: str) -> Any:
    body = json_body(schemas.SUSPENSION, optional=True)
    return services().licensing.start_suspension(number, body, user=user()), 201


@bp.post("/suspensions/<instance_id>/remedy")
@bp.doc(summary="Report the violation remedied, with evidence (file ids)")
@requires("portal", "officer")
def remedy(instance_id: str) -> Any:
    return services().licensing.report_remedy(instance_id, json_body(schemas.REMEDY), user=user())
