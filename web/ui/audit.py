"""The auditors' workspace: instance search, the instance page with its diagram and history, reports,
integrity checks. Read-only; every search, view and export is itself logged."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from engine import inspection, legal_time
from engine.errors import NotFound
from engine.store.licensing_tables import CabinetNotice, Document
from engine.store.tables import OutboxEvent
from engine.transactions import reading, transaction
from web import exports
from web.api.audit import instance_filter
from web.security import diagram_download
from web.services import services
from web.ui.i18n import t
from web.ui.paging import page_number

bp = Blueprint("audit_ui", __name__, url_prefix="/audit", template_folder="../templates")
PAGE = 50


def _require_auditor() -> None:
    if not current_user.user.has("auditor", "admin"):
        abort(403)


def _log(kind: str, data: dict[str, Any]) -> None:
    engine = services().engine
    with transaction(engine.session_factory) as session:
        inspection.log_access(session, actor=current_user.user.username, kind=kind, now=engine.clock.now(), data=data)


def _day(name: str, *, end: bool = False) -> datetime | None:
    """A period's first (or last, ``end``) day from the form, as the moment it starts (ends) in local time."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=legal_time.TZ)


def _search_filter() -> inspection.InstanceFilter:
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
    with reading(services().engine.session_factory) as session:
        items, total = inspection.search(session, _search_filter(), offset=(page - 1) * PAGE, limit=PAGE)
    _log("auditor_search", {"query": request.args.to_dict(), "results": total, "via": "workspace"})
    return render_template("ui/audit_search.html", items=items, total=total, page=page, clauses=_clauses(),
                           pages=max(1, -(-total // PAGE)), args=request.args, title=t("instances"))


@bp.get("/export")
@login_required
def export() -> Any:
    _require_auditor()
    fmt = request.args.get("format", "csv")
    with reading(services().engine.session_factory) as session:
        items, _ = inspection.search(session, _search_filter(), offset=0, limit=10_000)
    _log("auditor_export", {"query": request.args.to_dict(), "rows": len(items), "format": fmt, "via": "workspace"})
    return exports.instances(items, fmt)


@bp.get("/instances/<instance_id>")
@login_required
def instance(instance_id: str) -> Any:
    _require_auditor()
    engine = services().engine
    try:
        view = engine.get_instance(instance_id)
    except NotFound:
        abort(404)
    counts: dict[str, int] = {}
    for element in view.completed:
        counts[element] = counts.get(element, 0) + 1
    with reading(engine.session_factory) as session:
        documents = list(session.scalars(select(Document).where(Document.instance_id == instance_id)
                                         .order_by(Document.signed_at, Document.kind, Document.lang)))
        verdicts = {d.id: services().licensing.issuer.verify(session, d) for d in documents}
        notices = list(session.scalars(select(CabinetNotice).where(CabinetNotice.application_id == view.business_key)
                                       .order_by(CabinetNotice.id))) if view.business_key else []
        feed = list(session.scalars(select(OutboxEvent).where(OutboxEvent.instance_id == instance_id)
                                    .order_by(OutboxEvent.id)))
    _log("auditor_view", {"instance_id": instance_id, "via": "workspace"})
    term_states = [inspection.term_outcome(due_at=tm.due_at, fired_at=tm.fired_at, cancelled_at=tm.cancelled_at,
                                           instance_status=view.status, instance_ended_at=view.ended_at)
                   for tm in view.timers]
    return render_template("ui/audit_instance.html", view=view, counts=counts, documents=documents,
                           term_states=term_states,
                           verdicts=verdicts, notices=notices, feed=feed, title=f"{view.process_key} · {view.id}",
                           xml_url=url_for("audit_ui.definition_xml", key=view.process_key,
                                           version=view.process_version))


@bp.get("/instances/<instance_id>/export.<fmt>")
@login_required
def export_instance(instance_id: str, fmt: str) -> Any:
    _require_auditor()
    if fmt not in ("json", "csv"):
        abort(404)
    try:
        view = services().engine.get_instance(instance_id).as_dict()
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
        return diagram_download(services().engine.definition_xml(key, version), f"{key}-v{version}.bpmn")
    except NotFound:
        abort(404)


@bp.get("/verify")
@login_required
def verify() -> Any:
    _require_auditor()
    instance_id = request.args.get("instance") or None
    result = services().engine.verify_audit(instance_id=instance_id)
    _log("auditor_verify", {"instance_id": instance_id, "valid": result.valid})
    return render_template("ui/audit_verify.html", result=result, instance_id=instance_id, title=t("integrity"))


@bp.get("/reports")
@login_required
def reports() -> Any:
    _require_auditor()
    with reading(services().engine.session_factory) as session:
        data = inspection.reports(session, since=_day("since"), until=_day("until", end=True))
    _log("auditor_report", {"via": "workspace", "query": request.args.to_dict()})
    return render_template("ui/audit_reports.html", data=data, data_json=json.dumps(data), args=request.args,
                           title=t("reports"))
