"""Pages of the staff workspace. Each view parses input, makes one engine call, renders."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

import forms
from engine import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ProcessFailure,
    TaskFilter,
    TooManyAttempts,
    Unauthorized,
    browser_signing,
    case_timeline,
    legal_time,
    listed_lanes,
    pending_return,
    sees_every_claim,
    signing_in_browser,
)
from web.error_messages import translate
from web.security import CONTENT_SECURITY_POLICY, local_path
from web.services import services
from web.ui import SessionUser, formats
from web.ui.forms_render import fields, parse, posted_values
from web.ui.i18n import LANGUAGES, label, language, t
from web.ui.paging import page_number

bp = Blueprint("ui", __name__, template_folder="../templates")
STAFF = {"officer", "head", "signer", "quality_authority"}
# Each role's own home, in this order of precedence for a user with several roles.
HOMES = (("officer", "ui.tasks"), ("head", "ui.tasks"), ("signer", "ui.sign_queue"),
         ("quality_authority", "ui.tasks"), ("auditor", "audit_ui.search"), ("analyst", "analyst_ui.catalogue"),
         ("admin", "admin_ui.incidents"))
PAGE = 25


def me() -> Any:
    return current_user.user


bp.add_app_template_filter(formats.moment, "local")
bp.add_app_template_filter(formats.input_moment, "input_moment")
bp.add_app_template_filter(formats.number, "number")
bp.add_app_template_filter(formats.month, "month")


@bp.app_template_global("field_label")
def _field_label(form: str | None, name: str) -> str:
    """A field of a form in the user's language (its name when the form does not know it)."""
    return forms.labels(form, language()).get(name, name) if form and forms.exists(form) else name


@bp.app_template_global("choice_label")
def _choice_label(form: str | None, name: str, value: Any) -> str:
    """A chosen value (a decision, a ground) in the user's language, from the form's x-enum-labels."""
    if not form or not forms.exists(form) or not isinstance(value, str):
        return str(value)
    prop = forms.load(form).get("properties", {}).get(name, {})
    words = prop.get("x-enum-labels") or (prop.get("items") or {}).get("x-enum-labels") or {}
    return label(words.get(value), value)


@bp.app_template_filter("dict_without_page")
def _without_page(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k != "page"}


def home_endpoint() -> str:
    """Where the signed-in user starts: the home of their first role in HOMES (the sign-in page otherwise)."""
    if not current_user.is_authenticated:
        return "ui.login"
    return next((endpoint for role, endpoint in HOMES if role in current_user.user.roles), "ui.login")


@bp.get("/")
def index() -> Any:
    return redirect(url_for(home_endpoint()))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    status = 200
    if request.method == "POST":
        accounts = services().accounts
        try:
            user = accounts.authenticate(request.form.get("username", ""), request.form.get("password", ""),
                                         address=request.remote_addr or "")
        except Unauthorized:
            error, status = t("wrong_credentials"), 401
        except TooManyAttempts as exc:
            response = Response(render_template("ui/login.html", error=t("too_many_attempts")), 429)
            response.headers["Retry-After"] = str(exc.retry_after_seconds)
            return response
        else:
            lang = session.get("lang") or user.language
            session.clear()  # nothing from before the sign-in carries over
            login_user(SessionUser(user, accounts.open_session(user)))
            session["lang"] = lang
            return redirect(local_path(request.args.get("next")) or url_for("ui.index"))
    return render_template("ui/login.html", error=error), status


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        services().accounts.close_session(current_user.get_id())
    logout_user()
    return redirect(url_for("ui.login"))


@bp.post("/language")
def switch_language() -> Any:
    lang = request.form.get("lang", "ru")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            services().accounts.set_language(me().id, lang)
    return redirect(local_path(request.form.get("next")) or url_for("ui.tasks"))


def _roles() -> set[str]:
    """The lanes whose tasks the user works on (an administrator's oversight is in the API and its own home)."""
    return listed_lanes(set(me().roles) & STAFF)


@bp.get("/tasks")
@login_required
def tasks() -> Any:
    roles = _roles()
    if not roles:
        abort(403)
    args = request.args
    box = args.get("box", "all") if args.get("box") in ("all", "mine", "queue") else "all"
    try:
        due_before = legal_time.to_local(args["due_before"] + "T23:59:59+05:00") if args.get("due_before") else None
    except ValueError:
        due_before = None
    page = page_number(args.get("page"))
    f = TaskFilter(roles=roles, user=None if sees_every_claim(me().roles) else me().username, box=box,
                   process_key=args.get("procedure") or None, subtype=args.get("subtype") or None,
                   applicant=args.get("applicant") or None, bin_iin=args.get("bin_iin") or None,
                   due_before=due_before, overdue=True if args.get("status") == "overdue" else None)
    views, total = services().engine.officer.list_tasks(f, offset=(page - 1) * PAGE, limit=PAGE)
    colleagues = services().accounts.staff("officer") if "head" in roles else []
    return render_template("ui/tasks.html", tasks=views, total=total, page=page, pages=max(1, -(-total // PAGE)),
                           args=args, box=box, colleagues=colleagues, title=t("tasks"))


@bp.get("/sign")
@login_required
def sign_queue() -> Any:
    if "signer" not in me().roles:
        abort(403)
    views, total = services().engine.officer.list_tasks(TaskFilter(roles={"signer"}, user=me().username), limit=100)
    return render_template("ui/tasks.html", tasks=views, total=total, page=1, pages=1, args={}, box="all",
                           colleagues=[], title=t("sign_queue"))


def _task_context(task_id: str) -> dict[str, Any]:
    engine = services().engine
    try:
        task = engine.officer.get_task(task_id, roles=me().roles)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    instance = engine.officer.get_instance(task.instance_id)
    data = engine.officer.instance_data(task.instance_id)
    app = services().licensing.application_body(task.application_id) if task.application_id else {}
    schema = forms.load(task.form_key) if forms.exists(task.form_key) else {"properties": {}}
    timeline = case_timeline(instance.events)
    application_form = "application_issue" if app.get("procedure") != "reissue" else "application_reissue"
    findings = [(key, data[key]) for key in ("registry_check", "ban_check", "fee_check", "completeness_auto")
                if isinstance(data.get(key), dict)]
    return {"task": task, "instance": instance, "data": data, "application": app, "schema": schema,
            "fields": fields(schema, services().clock.now()), "findings": findings, "draft": data.get("draft"),
            "form_title": schema.get("x-labels"), "title": task.name,
            "timeline": timeline, "returned": pending_return(timeline) if task.status == "open" else None,
            "labels": forms.labels(application_form, language()) if app else {},
            "choices": forms.enum_labels(application_form, language()) if app else {},
            "element_names": services().engine.officer.element_names(instance.process_key, instance.process_version)}


@bp.get("/tasks/<task_id>")
@login_required
def task(task_id: str) -> Any:
    ctx = _task_context(task_id)
    values = ctx["task"].draft or {}
    ncalayer = services().config.get("NCALAYER_URL") if ctx["task"].form_key == "signature" else None
    response = Response(render_template("ui/task.html", values=values, errors={}, ncalayer_url=ncalayer, **ctx))
    if ncalayer:  # the signer's page talks to NCALayer on the signer's machine, and only to it
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "connect-src 'self'", f"connect-src 'self' {ncalayer}")
    return response


@bp.post("/tasks/<task_id>/sign-acts")
@login_required
def sign_acts(task_id: str) -> Any:
    """A signature task signed in the browser through NCALayer (web/static/signing.js). Each call tries to
    complete the task with the acts signed so far: it answers the acts still to sign, or that it is done."""
    ctx = _task_context(task_id)
    if ctx["task"].form_key != "signature":
        abort(404)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _sign_error(422, "", "a JSON body is required")
    try:
        browser = browser_signing(body, services().clock.now())
    except InvalidInput as exc:
        return _sign_error(422, exc.problems[0].field, exc.problems[0].message)
    if browser is None:
        return _sign_error(422, "data.certificate", "the signer's certificate (PEM, from NCALayer) is required")
    comment = body.get("comment").strip() if isinstance(body.get("comment"), str) else ""
    data = {"decision": "sign", **({"comment": comment} if comment else {})}
    try:
        with signing_in_browser(browser):
            services().engine.officer.complete_task(task_id, data, actor=me().username, roles=me().roles)
    except ProcessFailure as exc:
        if browser.to_sign:
            return {"to_sign": browser.to_sign, "signed_at": legal_time.iso(browser.signed_at)}
        return _sign_error(422, "data.signed_xml", str(exc))
    except InvalidInput as exc:
        return _sign_error(422, exc.problems[0].field, exc.problems[0].message)
    except (Conflict, Forbidden) as exc:
        return _sign_error(403 if isinstance(exc, Forbidden) else 409, "", str(exc))
    flash(t("done"), "ok")
    return {"done": True, "next": url_for("ui.tasks")}


def _sign_error(status: int, field: str, message: str) -> Any:
    return {"errors": [{"field": field, "message": translate(message)}]}, status


@bp.post("/tasks/<task_id>")
@login_required
def submit_task(task_id: str) -> Any:
    ctx = _task_context(task_id)
    data = parse(ctx["schema"], request.form)
    engine = services().engine
    action = request.form.get("action", "complete")
    try:
        if action == "draft":
            engine.officer.save_draft(task_id, data, actor=me().username, roles=me().roles)
            flash(t("draft_saved"), "ok")
            return redirect(url_for("ui.task", task_id=task_id))
        if action == "claim":
            engine.officer.claim_task(task_id, actor=me().username, roles=me().roles)
            return redirect(url_for("ui.task", task_id=task_id))
        if action == "unclaim":
            engine.officer.claim_task(task_id, actor=me().username, roles=me().roles, release=True)
            return redirect(url_for("ui.tasks"))
        if action == "assign":
            assignee = request.form.get("assignee", "")
            engine.officer.claim_task(task_id, actor=me().username, roles=me().roles, assignee=assignee)
            return redirect(url_for("ui.tasks"))
        engine.officer.complete_task(task_id, data, actor=me().username, roles=me().roles)
    except InvalidInput as exc:
        errors = _field_errors(exc, {f.name for f in ctx["fields"]})
        flash(errors["assignee"] if "assignee" in errors else t("fix_errors"), "error")
        values = posted_values(ctx["schema"], request.form)
        return render_template("ui/task.html", values=values, errors=errors, **ctx), 422
    except (Forbidden, Conflict, NotFound) as exc:
        status = 403 if isinstance(exc, Forbidden) else 409
        flash(t(f"error_{status}"), "error")
        ctx = _task_context(task_id)  # as it is now: a task completed meanwhile shows read-only
        return render_template("ui/task.html", values=posted_values(ctx["schema"], request.form), errors={},
                               **ctx), status
    flash(t("done"), "ok")
    return redirect(url_for("ui.tasks"))


def _field_errors(exc: InvalidInput, names: set[str]) -> dict[str, str]:
    """Each problem on the form field it names ("data.reason", "missing_items.1" -> reason, missing_items);
    a problem on no field of the form goes to the form as a whole ("_")."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        parts = [p for p in problem.field.split(".") if p != "data"]
        name = parts[0] if parts and (parts[0] in names or parts[0] == "assignee") else "_"
        message = translate(problem.message)  # the engine's English, in the user's language
        errors[name] = f"{errors[name]}; {message}" if name in errors else message
    return errors


@bp.get("/tasks/<task_id>/preview/<lang>.pdf")
@login_required
def preview(task_id: str, lang: str) -> Any:
    ctx = _task_context(task_id)
    draft = ctx["draft"]
    if lang not in ("kk", "ru") or not isinstance(draft, dict):
        abort(404)
    template = {"reissue": "reissued_licence"}.get(draft["kind"], draft["kind"])
    pdf = services().licensing.issuer.preview(template, lang, draft["context"])
    return Response(pdf, mimetype="application/pdf")


@bp.get("/files/<file_id>")
@login_required
def file(file_id: str) -> Any:
    try:
        row = services().licensing.get_file(file_id, user=me())
    except NotFound:
        abort(404)
    return Response(row.content, mimetype=row.media_type, headers={"X-Content-Type-Options": "nosniff"})


@bp.get("/notifications")
@login_required
def notifications() -> Any:
    rows = services().engine.officer.notifications(me().username, me().roles)
    now = services().clock.now()
    tomorrow = legal_time.add_working_days(now, 1)
    soon, _ = services().engine.officer.list_tasks(TaskFilter(roles=_roles() or {"officer"}, user=me().username,
                                                      box="mine", due_before=tomorrow), limit=50)
    return render_template("ui/notifications.html", rows=rows, soon=soon, title=t("notifications"))
