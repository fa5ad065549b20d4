"""The auditors' workspace: instance search, the instance page with its diagram and history, reports,
integrity checks. Read-only; every search, view and export is itself logged."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required

from engine import InstanceFilter, NotFound, legal_time, term_outcome
from web import exports
from web.api.audit import instance_filter
from web.security import diagram_download
from web.services import services
from web.ui import formats
from web.ui.i18n import procedure_name, t
from web.ui.paging import page_number

bp = Blueprint("audit_ui", __name__, url_prefix="/audit", template_folder="../templates")
PAGE = 50


def _require_auditor() -> None:
    if not current_user.user.has("auditor", "admin"):
        abort(403)


def _log(kind: str, data: dict[str, Any]) -> None:
    services().engine.auditor.log_access(actor=current_user.user.username, kind=kind, data=data)


def _day(name: str, *, end: bool = False) -> datetime | None:
    """A period's first (or last, ``end``) day from the form, as the moment it starts (ends) in local time."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=legal_time.TZ)


def _search_filter() -> InstanceFilter:
    """The API's filter, with what the workspace adds: a breached clause and a period of days."""
    f = instance_filter()
    return replace(f, breached_clause=request.args.get("breached_clause") or None,
                   started_after=_day("since") or f.started_after,
                   started_before=_day("until", end=True) or f.started_before)


def _clauses() -> list[str]:
    return list(dict.fromkeys(term.clause for term in legal_time.LEGAL_TERMS))


@bp.get("")
@login_required
def search() -> Any:
    _require_auditor()
    page = page_number(request.args.get("page"))
    items, total = services().engine.auditor.search(_search_filter(), offset=(page - 1) * PAGE, limit=PAGE)
    _log("auditor_search", {"query": request.args.to_dict(), "results": total, "via": "workspace"})
    return render_template("ui/audit_search.html", items=items, total=total, page=page, clauses=_clauses(),
                           pages=max(1, -(-total // PAGE)), args=request.args, title=t("instances"))


@bp.get("/export")
@login_required
def export() -> Any:
    _require_auditor()
    fmt = request.args.get("format", "csv")
    items, _ = services().engine.auditor.search(_search_filter(), offset=0, limit=10_000)
    _log("auditor_export", {"query": request.args.to_dict(), "rows": len(items), "format": fmt, "via": "workspace"})
    return exports.instances(items, fmt)


@bp.get("/instances/<instance_id>")
@login_required
def instance(instance_id: str) -> Any:
    _require_auditor()
    engine = services().engine
    try:
        view = engine.officer.get_instance(instance_id)
    except NotFound:
        abort(404)
    counts: dict[str, int] = {}
    for element in view.completed:
        counts[element] = counts.get(element, 0) + 1
    record = services().licensing.instance_record(instance_id, view.business_key)
    documents, verdicts, notices = record["documents"], record["verdicts"], record["notices"]
    feed = engine.auditor.feed(instance_id)
    _log("auditor_view", {"instance_id": instance_id, "via": "workspace"})
    term_states = [term_outcome(due_at=tm.due_at, fired_at=tm.fired_at, cancelled_at=tm.cancelled_at,
                                           instance_status=view.status, instance_ended_at=view.ended_at)
                   for tm in view.timers]
    return render_template("ui/audit_instance.html", view=view, counts=counts, documents=documents,
                           term_states=term_states,
                           verdicts=verdicts, notices=notices, feed=feed, title=f"{view.process_key} · {view.id}",
                           element_names=engine.officer.element_names(view.process_key, view.process_version),
                           xml_url=url_for("audit_ui.definition_xml", key=view.process_key,
                                           version=view.process_version))


@bp.get("/instances/<instance_id>/export.<fmt>")
@login_required
def export_instance(instance_id: str, fmt: str) -> Any:
    _require_auditor()
    if fmt not in ("json", "csv"):
        abort(404)
    try:
        view = services().engine.officer.get_instance(instance_id).as_dict()
    except NotFound:
        abort(404)
    _log("auditor_export", {"instance_id": instance_id, "format": fmt, "via": "workspace"})
    return exports.history(view, fmt)


@bp.get("/definitions/<key>/<int:version>.xml")
@login_required
def definition_xml(key: str, version: int) -> Any:
    if not current_user.user.has("auditor", "admin", "analyst"):
        abort(403)
    try:
        return diagram_download(services().engine.analyst.definition_xml(key, version), f"{key}-v{version}.bpmn")
    except NotFound:
        abort(404)


@bp.get("/verify")
@login_required
def verify() -> Any:
    _require_auditor()
    instance_id = request.args.get("instance") or None
    result = services().engine.auditor.verify_audit(instance_id=instance_id)
    _log("auditor_verify", {"instance_id": instance_id, "valid": result.valid})
    return render_template("ui/audit_verify.html", result=result, instance_id=instance_id, title=t("integrity"))


@bp.get("/reports")
@login_required
def reports() -> Any:
    _require_auditor()
    data = services().engine.auditor.reports(since=_day("since"), until=_day("until", end=True))
    for row in data["terms"]:  # the chart's bars, named in the user's language
        row["label"] = f"{procedure_name(row['procedure'])} · {formats.month(row['month'])}"
    _log("auditor_report", {"via": "workspace", "query": request.args.to_dict()})
    return render_template("ui/audit_reports.html", data=data, data_json=json.dumps(data), args=request.args,
                           title=t("reports"))
