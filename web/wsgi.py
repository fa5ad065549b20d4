"""WSGI entry point for gunicorn: ``gunicorn web.wsgi:app`` (settings from LICENSING_* variables)."""

from __future__ import annotations

from web import create_app
from web.observability import configure_logging
from web.process import settle_after_start

configure_logging()
app = create_app()
settle_after_start()
