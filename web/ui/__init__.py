"""The staff workspaces in the browser: sign-in, the officer's task list and task pages, the signer's queue."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_babel import Babel
from flask_login import LoginManager, UserMixin
from flask_wtf.csrf import CSRFProtect

from engine.accounts import User

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


class SessionUser(UserMixin):
    """Flask-Login's view of a signed-in browser session: its id is the random session id the cookie
    carries (the database keeps only its sha256, web_session), never the account's id."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user = user
        self.id = session_id


def init_ui(app: Any) -> None:
    from web.ui import error_pages, views
    from web.ui.i18n import language

    csrf.init_app(app)
    for name, blueprint in app.blueprints.items():
        if name.startswith("api_") or name in ("health", "openapi"):
            csrf.exempt(blueprint)
    for view_name in ("metrics", "openapi.spec", "openapi.docs"):
        if view_name in app.view_functions:
            csrf.exempt(app.view_functions[view_name])
    login_manager.init_app(app)
    login_manager.login_view = "ui.login"
    babel.init_app(app, locale_selector=language)

    @login_manager.user_loader
    def _load(session_id: str) -> SessionUser | None:
        """Only a live session row signs the browser in: logged out, expired or unknown ids do not."""
        user = current_app.extensions["licensing"].accounts.resolve_session(session_id)  # the loader is global
        return SessionUser(user, session_id) if user else None

    @app.context_processor
    def _texts() -> dict[str, Any]:
        from web.ui import i18n

        return {"t": i18n.t, "lang": i18n.language(), "languages": i18n.LANGUAGES, "L": i18n.label,
                "session_lang": session.get("lang")}

    app.register_blueprint(views.bp)
    app.extensions["error_page"] = error_pages.error_page  # web/errors.py draws browser errors with it
    from web.ui import admin, analyst, audit

    app.register_blueprint(audit.bp)
    app.register_blueprint(analyst.bp)
    app.register_blueprint(admin.bp)
