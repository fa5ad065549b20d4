"""Read-only inspection of instances, the audit chain and the monitoring feed."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import request

from engine.queries import instance_view
from engine.store.tables import ProcessInstance
from engine.transactions import reading
from web.api import int_arg, moment_arg
from web.auth import requires
from web.services import services

bp = APIBlueprint("api_audit", __name__, url_prefix="/api/v1", tag="Audit")

AUDIT_READERS = ("auditor", "admin")


@bp.get("/instances")
@bp.doc(summary="Search process instances")
@requires(*AUDIT_READERS)
def search_instances() -> Any:
    from sqlalchemy import func, select

    q = select(ProcessInstance)
    for arg, column in (("process", ProcessInstance.process_key), ("status", ProcessInstance.status),
                        ("outcome", ProcessInstance.outcome), ("application", ProcessInstance.business_key)):
        if request.args.get(arg):
            q = q.where(column == request.args[arg])
    if request.args.get("version"):
        q = q.where(ProcessInstance.process_version == int_arg("version", 1, minimum=1, maximum=10**6))
    if request.args.get("breached") in ("1", "true"):
        q = q.where(ProcessInstance.term_breached.is_(True))
    since, until = moment_arg("started_after"), moment_arg("started_before")
    if since:
        q = q.where(ProcessInstance.started_at >= since)
    if until:
        q = q.where(ProcessInstance.started_at < until)
    offset, limit = int_arg("offset", 0, maximum=10**7), int_arg("limit", 50, minimum=1, maximum=500)
    with reading(services().engine.session_factory) as session:
        total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
        rows = session.scalars(q.order_by(ProcessInstance.started_at.desc()).offset(offset).limit(limit))
        items = [instance_view(session, r).as_dict() for r in rows]
    return items, 200, {"X-Total-Count": str(total)}


@bp.get("/instances/<instance_id>")
@bp.doc(summary="One instance: path, active elements, timers and every audit event")
@requires(*AUDIT_READERS)
def get_instance(instance_id: str) -> Any:
    return services().engine.get_instance(instance_id).as_dict()


@bp.get("/audit/verify")
@bp.doc(summary="Verify the tamper-evident chain of the whole history (or one instance's)")
@requires(*AUDIT_READERS)
def verify() -> Any:
    result = services().engine.verify_audit(instance_id=request.args.get("instance") or None)
    return result.as_dict()


@bp.get("/monitoring/events")
@bp.doc(summary="The monitoring feed (R18): stage events after the cursor 'after'")
@requires("auditor", "admin", "portal")
def monitoring() -> Any:
    events = services().engine.monitoring_feed(after=int_arg("after", 0, maximum=2**62),
                                               limit=int_arg("limit", 100, minimum=1, maximum=1000))
    return {"events": events, "next": events[-1]["id"] if events else int_arg("after", 0, maximum=2**62)}
