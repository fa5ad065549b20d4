"""The administrator's workspace for integrations: incidents (see, retry, resolve with a reason) and the
outbox deliveries that gave up (dead letters). Also what other pages show of them: the officer's task list
names applications held by an incident, the auditor's instance page the delivery state of its feed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from engine import Conflict, InvalidInput, NotFound
from web.services import services
from web.ui.i18n import t

bp = Blueprint("admin_ui", __name__, url_prefix="/admin", template_folder="../templates")



def text(key: str) -> str:
    return t(key)


def _require_admin() -> None:
    if not current_user.user.has("admin"):
        abort(403)


@bp.app_context_processor
def _integration_state() -> dict[str, Any]:
    """Lazy helpers for the pages that show incidents and deliveries beside their own content."""

    def held_applications() -> list[dict[str, Any]]:
        items = services().engine.admin.held_by_incidents()
        for item in items:
            item["application_number"] = _application_number(item.get("application_id"))
        return items

    def incidents_of(instance_id: str) -> list[dict[str, Any]]:
        return services().engine.admin.list_incidents(status=None, instance_id=instance_id)

    def delivery_states(instance_id: str) -> dict[int, list[dict[str, Any]]]:
        return services().engine.auditor.delivery_states(instance_id)

    return {"integration_text": text, "held_applications": held_applications, "incidents_of": incidents_of,
            "delivery_states": delivery_states}


def _application_number(application_id: str | None) -> str | None:
    if not application_id:
        return None
    try:
        return str(services().licensing.get_application(application_id)["number"])
    except NotFound:
        return None


@bp.get("/incidents")
@login_required
def incidents() -> Any:
    _require_admin()
    engine = services().engine
    open_items = engine.admin.list_incidents(status="open")
    for item in open_items:
        item["application_number"] = _application_number(item.get("application_id"))
    resolved = engine.admin.list_incidents(status="resolved")[:50]
    return render_template("ui/admin_incidents.html", open_items=open_items, resolved=resolved,
                           title=text("incidents"))


@bp.post("/incidents/<incident_id>/retry")
@login_required
def retry(incident_id: str) -> Any:
    _require_admin()
    try:
        result = services().engine.admin.retry_incident(incident_id, actor=current_user.user.username)
    except NotFound:
        abort(404)
    except Conflict as exc:
        flash(str(exc), "error")
    else:
        if result["status"] == "resolved":
            flash(text("retried_ok"), "ok")
        else:
            flash(f"{text('retried_failed')}: {result['error']}", "error")
    return redirect(url_for("admin_ui.incidents"))


@bp.post("/incidents/<incident_id>/resolve")
@login_required
def resolve(incident_id: str) -> Any:
    _require_admin()
    try:
        services().engine.admin.resolve_incident(incident_id, actor=current_user.user.username,
                                           resolution=request.form.get("resolution", ""))
    except NotFound:
        abort(404)
    except (Conflict, InvalidInput) as exc:
        flash(f"{text('reason')}: {exc}" if isinstance(exc, InvalidInput) else str(exc), "error")
    else:
        flash(text("resolved_ok"), "ok")
    return redirect(url_for("admin_ui.incidents"))


@bp.get("/deliveries")
@login_required
def deliveries() -> Any:
    _require_admin()
    status = request.args.get("status", "dead")
    if status not in ("dead", "pending", "delivered"):
        status = "dead"
    items, counts = services().engine.admin.list_deliveries(status=status)
    return render_template("ui/admin_deliveries.html", items=items, counts=counts, status=status,
                           title=text("deliveries"))


@bp.post("/deliveries/<int:delivery_id>/requeue")
@login_required
def requeue(delivery_id: int) -> Any:
    _require_admin()
    try:
        services().engine.admin.requeue_delivery(delivery_id, actor=current_user.user.username)
    except NotFound:
        abort(404)
    except Conflict as exc:
        flash(str(exc), "error")
    else:
        flash(text("requeued"), "ok")
    return redirect(url_for("admin_ui.deliveries"))
