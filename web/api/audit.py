"""Read-only inspection of instances, the audit chain and the monitoring feed. Auditors' actions are logged."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import request

from engine import COUNT_CAP, INSTANCE_SORTS, InstanceFilter, InvalidInput
from web import exports
from web.api import int_arg, moment_arg
from web.auth import requires, user
from web.services import services

bp = APIBlueprint("api_audit", __name__, url_prefix="/api/v1", tag="Audit")

AUDIT_READERS = ("auditor", "admin")


def _flag(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise InvalidInput("must be true or false", field=name)


def instance_filter() -> InstanceFilter:
    version = request.args.get("version")
    sort = request.args.get("sort", "-started_at")
    if sort.lstrip("-") not in INSTANCE_SORTS:
        raise InvalidInput(f"sort by one of {', '.join(INSTANCE_SORTS)} (prefix '-' for descending)", field="sort")
    return InstanceFilter(
        process=request.args.get("process") or None,
        version=int_arg("version", 1, minimum=1, maximum=10**6) if version else None,
        status=request.args.get("status") or None, outcome=request.args.get("outcome") or None,
        application=request.args.get("application") or None, applicant=request.args.get("applicant") or None,
        bin_iin=request.args.get("bin_iin") or None, licence_number=request.args.get("licence") or None,
        officer=request.args.get("officer") or None, breached=_flag("breached"), overdue=_flag("overdue"),
        started_after=moment_arg("started_after"), started_before=moment_arg("started_before"),
        ended_after=moment_arg("ended_after"), ended_before=moment_arg("ended_before"), sort=sort)


def _log(kind: str, data: dict[str, Any]) -> None:
    services().engine.auditor.log_access(actor=user().username, kind=kind, data=data)


@bp.get("/instances")
@bp.doc(summary="Search process instances (filters, paging, sorting); the search is itself logged",
        description="X-Total-Count is exact below 10 000; from 10 000 matching instances on it reads 10000 "
                    "and X-Total-Count-Capped is true.")
@requires(*AUDIT_READERS)
def search_instances() -> Any:
    f = instance_filter()
    offset, limit = int_arg("offset", 0, maximum=10**7), int_arg("limit", 50, minimum=1, maximum=500)
    items, total = services().engine.auditor.search(f, offset=offset, limit=limit)
    _log("auditor_search", {"query": request.args.to_dict(), "results": total})
    return items, 200, {"X-Total-Count": str(total), "X-Total-Count-Capped": str(total >= COUNT_CAP).lower()}


@bp.get("/instances/export")
@bp.doc(summary="Export a search result as CSV or JSON (at most 10 000 rows)")
@requires(*AUDIT_READERS)
def export_instances() -> Any:
    fmt = request.args.get("format", "csv")
    if fmt not in ("csv", "json"):
        raise InvalidInput("must be csv or json", field="format")
    items, total = services().engine.auditor.search(instance_filter(), offset=0, limit=10_000)
    _log("auditor_export", {"query": request.args.to_dict(), "rows": len(items), "format": fmt})
    return exports.instances(items, fmt)


@bp.get("/instances/<instance_id>")
@bp.doc(summary="One instance: path, active elements, timers and every audit event (the view is logged)")
@requires(*AUDIT_READERS)
def get_instance(instance_id: str) -> Any:
    view = services().engine.officer.get_instance(instance_id).as_dict()
    _log("auditor_view", {"instance_id": instance_id})
    return view


@bp.get("/instances/<instance_id>/export")
@bp.doc(summary="An instance's full history as JSON or CSV")
@requires(*AUDIT_READERS)
def export_instance(instance_id: str) -> Any:
    fmt = request.args.get("format", "json")
    if fmt not in ("csv", "json"):
        raise InvalidInput("must be csv or json", field="format")
    view = services().engine.officer.get_instance(instance_id).as_dict()
    _log("auditor_export", {"instance_id": instance_id, "format": fmt})
    return exports.history(view, fmt)


@bp.get("/audit/verify")
@bp.doc(summary="Verify the tamper-evident chain of the whole history (or one instance's: ?instance=ID)")
@requires(*AUDIT_READERS)
def verify() -> Any:
    result = services().engine.auditor.verify_audit(instance_id=request.args.get("instance") or None)
    return result.as_dict()


@bp.get("/monitoring/events")
@bp.doc(summary="The monitoring feed (R18): stage events after the cursor 'after'")
@requires("auditor", "admin")
def monitoring() -> Any:
    after = int_arg("after", 0, maximum=2**62)
    limit = int_arg("limit", 100, minimum=1, maximum=1000)
    events = services().engine.operator.monitoring_feed(after=after, limit=limit)
    return {"events": events, "next": events[-1]["id"] if events else after}
