"""Officer and signer tasks (CONTRACT.md §2 Officer tasks)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import request

import forms
from engine import (
    COUNT_CAP,
    SIGNING_FIELDS,
    InvalidInput,
    ProcessFailure,
    TaskFilter,
    TaskView,
    browser_signing,
    listed_lanes,
    sees_every_claim,
    signing_in_browser,
)
from forms import schema_of
from web.api import int_arg, json_body, moment_arg, schemas
from web.auth import requires, user
from web.error_messages import translate
from web.services import services

bp = APIBlueprint("api_tasks", __name__, url_prefix="/api/v1/tasks", tag="Tasks")

STAFF = ("officer", "signer", "head", "quality_authority")


def task_json(view: TaskView) -> dict[str, Any]:
    d = view.as_dict()
    d["form_key"] = view.form_key
    d["form"] = schema_of(view.form_key) if forms.exists(view.form_key) else {}  # shared, read-only: no copy
    d.pop("data", None)
    d.pop("draft", None)
    return d


@bp.get("")
@bp.doc(summary="Open tasks visible to the caller (its roles' lanes: unclaimed and its own)",
        description="X-Total-Count is exact below 10 000; from 10 000 matching tasks on it reads 10000 and "
                    "X-Total-Count-Capped is true.")
@requires(*STAFF, "admin")
def list_tasks() -> Any:
    me = user()
    roles = listed_lanes(me.roles)
    box = request.args.get("box", "all")
    if box not in ("all", "mine", "queue"):
        raise InvalidInput("must be all, mine or queue", field="box")
    f = TaskFilter(roles=roles, user=None if sees_every_claim(me.roles) else me.username, box=box,
                   application_id=request.args.get("application") or None,
                   process_key=request.args.get("procedure") or None, subtype=request.args.get("subtype") or None,
                   applicant=request.args.get("applicant") or None, bin_iin=request.args.get("bin_iin") or None,
                   due_before=moment_arg("due_before"))
    views, total = services().engine.officer.list_tasks(f, offset=int_arg("offset", 0, maximum=10**7),
                                                limit=int_arg("limit", 100, minimum=1, maximum=500))
    return [task_json(v) for v in views], 200, {"X-Total-Count": str(total),
                                                "X-Total-Count-Capped": str(total >= COUNT_CAP).lower()}


@bp.get("/<task_id>")
@bp.doc(summary="One task with its form")
@requires(*STAFF, "admin", "auditor")
def get_task(task_id: str) -> Any:
    view = services().engine.officer.get_task(task_id, roles=user().roles)
    d = task_json(view)
    d["data"], d["draft"] = view.data, view.draft
    # what the applicant stated before the hearing (R10), for the officer who holds it
    d["applicant_positions"] = services().licensing.positions(view.application_id) if view.application_id else []
    return d


@bp.post("/<task_id>/complete")
@bp.doc(summary="Complete a task with the form's data: 422 bad data, 409 no longer open, 403 not your lane")
@requires(*STAFF)
def complete(task_id: str) -> Any:
    body = json_body(schemas.TASK_COMPLETE)
    me = user()
    data = body["data"]
    # a signature task signed with NCALayer (production): "certificate", "signed_at", "signed_xml" — verified
    # like every act; acts still unsigned come back as 422 with "to_sign" (XML to pass to signXml)
    signing = browser_signing(data, services().clock.now()) if isinstance(data, dict) else None
    if signing is not None:
        data = {key: value for key, value in data.items() if key not in SIGNING_FIELDS}
    try:
        with signing_in_browser(signing):
            instance = services().engine.officer.complete_task(task_id, data, actor=me.username, roles=me.roles)
    except ProcessFailure:
        if signing is None or not signing.to_sign:
            raise
        return {"errors": [{"field": "data.signed_xml", "message": translate(
                    "sign these acts with NCALayer (signXml) and send them again in signed_xml, with signed_at")}],
                "to_sign": signing.to_sign, "signed_at": signing.signed_at.isoformat()}, 422
    return {"task_id": task_id, "instance_id": instance.id, "status": instance.status,
            "active": instance.active, "outcome": instance.outcome}


@bp.post("/<task_id>/claim")
@bp.doc(summary="Claim a task (a head of unit may pass 'assignee' to assign it)")
@requires(*STAFF)
def claim(task_id: str) -> Any:
    assignee = json_body(schemas.TASK_CLAIM, optional=True).get("assignee")
    me = user()
    return task_json(services().engine.officer.claim_task(task_id, actor=me.username, roles=me.roles,
                                                  assignee=None if assignee is None else str(assignee)))


@bp.post("/<task_id>/unclaim")
@bp.doc(summary="Give a claimed task back to the queue")
@requires(*STAFF)
def unclaim(task_id: str) -> Any:
    me = user()
    return task_json(services().engine.officer.claim_task(task_id, actor=me.username, roles=me.roles, release=True))


@bp.put("/<task_id>/draft")
@bp.doc(summary="Save a draft of the task's form")
@requires(*STAFF)
def save_draft(task_id: str) -> Any:
    body = json_body(schemas.TASK_DRAFT)
    services().engine.officer.save_draft(task_id, body.get("data", body), actor=user().username, roles=user().roles)
    return {"saved": True}
