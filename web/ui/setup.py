"""The staff workspaces set up on the app: CSRF, sign-in sessions, translations and every UI blueprint."""

from __future__ import annotations

from typing import Any

from flask import current_app

from web.extensions import babel
from web.ui import SessionUser, admin, analyst, audit, csrf, error_pages, i18n, login_manager, views
from web.ui.i18n import select_locale


def init_ui(app: Any) -> None:
    csrf.init_app(app)
    for name, blueprint in app.blueprints.items():
        if name.startswith("api_") or name in ("health", "openapi"):
            csrf.exempt(blueprint)
    for view_name in ("metrics", "openapi.spec", "openapi.docs"):
        if view_name in app.view_functions:
            csrf.exempt(app.view_functions[view_name])
    login_manager.init_app(app)
    login_manager.login_view = "ui.login"
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")

    @login_manager.user_loader
    def _load(session_id: str) -> SessionUser | None:
        """Only a live session row signs the browser in: logged out, expired or unknown ids do not."""
        user = current_app.extensions["licensing"].accounts.resolve_session(session_id)  # the loader is global
        return SessionUser(user, session_id) if user else None

    @app.context_processor
    def _texts() -> dict[str, Any]:
        return i18n.template_globals()

    app.register_blueprint(views.bp)
    app.extensions["error_page"] = error_pages.error_page  # web/errors.py draws browser errors with it
    app.register_blueprint(audit.bp)
    app.register_blueprint(analyst.bp)
    app.register_blueprint(admin.bp)
