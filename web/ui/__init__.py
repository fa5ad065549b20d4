"""The staff workspaces in the browser: sign-in, the officer's task list and task pages, the signer's queue."""

from __future__ import annotations

from flask_login import LoginManager, UserMixin
from flask_wtf.csrf import CSRFProtect

from engine import User

csrf = CSRFProtect()
login_manager = LoginManager()


class SessionUser(UserMixin):
    """Flask-Login's view of a signed-in browser session: its id is the random session id the cookie
    carries (the database keeps only its sha256, web_session), never the account's id."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user = user
        self.id = session_id
