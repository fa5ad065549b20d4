"""The analysts' workspace: process catalogue, the BPMN editor, validation, deployment, drafts, diffs."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

import forms
from engine import DefinitionInvalid, InvalidInput, NotFound, default_registry, legal_time
from web.error_messages import translate
from web.security import diagram_download
from web.services import services
from web.ui.i18n import language, t

bp = Blueprint("analyst_ui", __name__, url_prefix="/processes", template_folder="../templates")


ROLES = ("office", "officer", "signer", "head")  # lane names are role keys (processes/README.md)


def _editor(key: str, version: int, *, readonly: bool, xml_url: str) -> Any:
    """The modeler (or, read-only, the navigated viewer) with what its properties panel offers."""
    editable = not readonly
    return render_template(
        "ui/analyst_editor.html", key=key, version=version, readonly=readonly, csrf=generate_csrf(), xml_url=xml_url,
        forms=forms.form_keys() if editable else [], operations=sorted(default_registry()) if editable else [],
        terms=services().licensing.legal_terms() if editable else [], roles=ROLES, lang=language(),
        now=legal_time.iso(services().engine.clock.now()),
        title=f"{key} v{version}")


def _require_analyst() -> None:
    if not current_user.user.has("analyst", "admin", "auditor"):
        abort(403)


def _require_editor() -> None:
    if not current_user.user.has("analyst"):
        abort(403)


@bp.get("")
@login_required
def catalogue() -> Any:
    _require_analyst()
    versions = services().engine.analyst.list_definitions()
    keys: dict[str, list[Any]] = {}
    for v in versions:
        keys.setdefault(v.key, []).append(v)
    return render_template("ui/analyst_catalogue.html", keys=keys, title=t("processes"))


@bp.get("/<key>/<int:version>")
@login_required
def show(key: str, version: int) -> Any:
    _require_analyst()
    return _editor(key, version, readonly=True, xml_url=url_for("analyst_ui.xml", key=key, version=version))


@bp.get("/<key>/<int:version>/edit")
@login_required
def edit(key: str, version: int) -> Any:
    _require_editor()
    draft = services().engine.analyst.draft_diagram(key, owner=current_user.user.username)
    xml_url = url_for("analyst_ui.draft_xml", key=key) if draft and request.args.get("fresh") != "1" else \
        url_for("analyst_ui.xml", key=key, version=version)
    return _editor(key, version, readonly=False, xml_url=xml_url)


@bp.get("/<key>/<int:version>.xml")
@login_required
def xml(key: str, version: int) -> Any:
    _require_analyst()
    try:
        text = services().engine.analyst.definition_xml(key, version)
    except NotFound:
        abort(404)
    return diagram_download(text, f"{key}-v{version}.bpmn")


@bp.get("/<key>/draft.xml")
@login_required
def draft_xml(key: str) -> Any:
    _require_editor()
    text = services().engine.analyst.draft_diagram(key, owner=current_user.user.username)
    if text is None:
        abort(404)
    return diagram_download(text, f"{key}-draft.bpmn")


def _posted_xml() -> bytes:
    body = request.get_json(silent=True) or {}
    text = body.get("xml") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        abort(400)
    return text.encode("utf-8")


def _problems(problems: list[Any]) -> dict[str, Any]:
    return {"errors": [{"line": p.line, "field": p.element or "", "message": translate(p.message)} for p in problems]}


@bp.post("/<key>/validate")
@login_required
def validate(key: str) -> Any:
    _require_editor()
    return _problems(services().engine.analyst.validate(_posted_xml(), f"{key}.bpmn", actor=current_user.user.username))


@bp.post("/<key>/draft")
@login_required
def save_draft(key: str) -> Any:
    _require_editor()
    base = request.args.get("base") or "0"
    if not (base.isascii() and base.isdigit() and len(base) <= 9):
        abort(400, description="base must be the number of a deployed version")
    services().engine.analyst.save_draft_diagram(key, _posted_xml().decode(), owner=current_user.user.username,
                                         base_version=int(base))
    return {"saved": True}


@bp.post("/<key>/deploy")
@login_required
def deploy(key: str) -> Any:
    _require_editor()
    try:
        views = services().engine.analyst.deploy(_posted_xml(), f"{key}/{key}.bpmn", actor=current_user.user.username)
    except DefinitionInvalid as exc:
        return _problems(exc.problems), 422
    view = next((v for v in views if v.key == key), views[0])
    services().engine.analyst.discard_draft_diagram(key, owner=current_user.user.username)
    return {"key": view.key, "version": view.version, "created": view.created}, 201 if view.created else 200


@bp.post("/<key>/trial")
@login_required
def trial(key: str) -> Any:
    """A trial run of the diagram being edited, in memory on a simulated clock: nothing is stored."""
    _require_editor()
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        abort(400)
    xml = _posted_xml()
    try:
        return services().engine.analyst.trial_run(xml, key, body.get("run") or {})
    except DefinitionInvalid as exc:
        return _problems(exc.problems), 422
    except InvalidInput as exc:
        return {"errors": [{"line": None, "field": p.field, "message": p.message} for p in exc.problems]}, 400


@bp.get("/<key>/diff")
@login_required
def diff(key: str) -> Any:
    _require_analyst()
    try:
        old, new = int(request.args.get("from", "1")), int(request.args.get("to", "2"))
        result = services().engine.analyst.diff(key, old, new)
    except (ValueError, NotFound):
        abort(404)
    return render_template("ui/analyst_diff.html", key=key, old=old, new=new, result=result,
                           result_json=json.dumps(result), title=f"{key}: v{old} → v{new}",
                           xml_url=url_for("analyst_ui.xml", key=key, version=new),
                           old_xml_url=url_for("analyst_ui.xml", key=key, version=old))
