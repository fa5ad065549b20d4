"""The browser-facing security boundary, in one place: response headers, session cookies, a reverse proxy's
forwarded headers, the per-address request-rate cap on the sign-in endpoints, redirects that stay on the
site, and diagram XML served so that a browser never runs what it contains."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script and no inline event handler anywhere: every script is a file under web/static.
# Inline styles stay allowed (the templates and bpmn-js set style attributes); they cannot run code.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
# PDF previews are shown in frames of the task page: only pages of this site may frame them.
FRAMEABLE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
# A diagram is data: downloaded, never rendered as a document of this site.
DOWNLOAD_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'"
LOGIN_ENDPOINTS = ("ui.login", "api_auth.token")


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def init(app: Flask) -> None:
    """Called by the app factory after every blueprint is registered."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = SessionCookies()
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    app.after_request(_headers)
    _limit_logins(app)


def _headers(response: Response) -> Response:
    frameable = response.mimetype == "application/pdf"
    response.headers.setdefault("Content-Security-Policy",
                                FRAMEABLE_CONTENT_SECURITY_POLICY if frameable else CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN" if frameable else "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _limit_logins(app: Flask) -> None:
    """A coarse cap on sign-in requests per address (in memory, per worker); the real defence against
    password guessing is the throttle in the database (engine.login_throttle). Off under TESTING unless a
    test sets RATELIMIT_ENABLED."""
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING"))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    app.extensions["login_limiter"] = limiter  # Flask-Limiter keeps only weak references to it
    cap: Any = limiter.limit(app.config.get("LOGIN_RATE_LIMIT") or "30 per minute", methods=["POST"])
    for endpoint in LOGIN_ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = cap(app.view_functions[endpoint])


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path of this site ("/…"), else None: no scheme, no host, no "//" or
    backslash (browsers read "/\\host" as "//host"), no control characters (browsers drop tabs and
    newlines, so "/\\t/host" would become "//host")."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def diagram_download(xml: Any, filename: str) -> Response:
    """Diagram XML as an attachment in a sandbox: a <script> in a deployed diagram never runs."""
    safe_name = re.sub(r"[^A-Za-z0-9_.-]", "_", filename)
    return Response(xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{safe_name}"',
        "Content-Security-Policy": DOWNLOAD_CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
    })
