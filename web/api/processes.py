"""Process definitions for analysts (CONTRACT.md §2 Process definitions)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import request

from engine import InvalidInput
from web.auth import requires, user
from web.error_messages import translate
from web.security import diagram_download
from web.services import services

bp = APIBlueprint("api_processes", __name__, url_prefix="/api/v1/processes", tag="Processes")


@bp.get("")
@bp.doc(summary="Every deployed version")
@requires("analyst", "auditor", "admin", "officer")
def list_processes() -> Any:
    return [v.as_dict() for v in services().engine.analyst.list_definitions()]


@bp.post("")
@bp.doc(summary="Deploy BPMN XML as a new version (422 with line and message; nothing deployed)")
@requires("analyst")
def deploy() -> Any:
    data = request.get_data()
    if not data:
        raise InvalidInput("the BPMN XML is the request body", field="")
    name = request.headers.get("X-Filename") or "upload.bpmn"
    views = services().engine.analyst.deploy(data, name, actor=user().username)
    created = any(v.created for v in views)
    body = [v.as_dict() for v in views]
    return (body[0] if len(body) == 1 else body), 201 if created else 200


@bp.post("/validate")
@bp.doc(summary="Validate BPMN XML without deploying")
@requires("analyst")
def validate() -> Any:
    name = request.headers.get("X-Filename") or "upload.bpmn"
    problems = services().engine.analyst.validate(request.get_data(), name, actor=user().username)
    return {"valid": not problems, "errors": [{"line": p.line, "field": p.element or "",
                                               "message": translate(p.message)} for p in problems]}


@bp.get("/<key>/<int:version>/xml")
@bp.doc(summary="A version's BPMN XML", description="Served as an attachment in a CSP sandbox: a browser never "
                                                     "renders or runs what the diagram contains.")
@requires("analyst", "auditor", "admin")
def xml(key: str, version: int) -> Any:
    return diagram_download(services().engine.analyst.definition_xml(key, version), f"{key}-v{version}.bpmn")
