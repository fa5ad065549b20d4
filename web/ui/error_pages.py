"""Error pages of the staff site (403, 404, 409, 500 and the rest) in the user's language, with a way home.

web/errors.py answers the JSON API itself and hands browser pages to ``error_page``."""

from __future__ import annotations

import logging
from typing import Any

from flask import render_template, url_for

from web.ui.i18n import t

log = logging.getLogger(__name__)
WORDED = (403, 404, 409, 500)


def error_page(status: int) -> Any:
    message = t(f"error_{status}" if status in WORDED else "error_other")
    try:
        return render_template("ui/error.html", status=status, message=message, home=url_for("ui.index"),
                               title=message), status
    except Exception:  # the page itself could not be drawn (the database is gone): words, never a traceback
        log.exception("the %s error page could not be rendered", status)
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}
