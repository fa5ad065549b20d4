"""Every API blueprint, registered on the app."""

from __future__ import annotations

from typing import Any

from web.api import (
    admin,
    applications,
    audit,
    auth,
    complaints,
    incidents,
    processes,
    register,
    tasks,
    terms,
    verify,
)


def register_blueprints(app: Any) -> None:
    for module in (auth, admin, applications, tasks, register, audit, processes, complaints, verify, incidents, terms):
        app.register_blueprint(module.bp)
    app.register_blueprint(verify.page)
