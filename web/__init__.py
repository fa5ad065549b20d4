"""The web application: UI workspaces and the JSON API, built by :func:`create_app`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from apiflask import APIFlask
from flask_migrate import upgrade

from web import config as config_module
from web import errors, extensions, observability, security, services
from web.api.blueprints import register_blueprints
from web.health import bp as health_bp
from web.openapi import register as register_openapi
from web.scheduler import start_scheduler
from web.ui.setup import init_ui

log = logging.getLogger(__name__)


def create_app(overrides: dict[str, Any] | None = None) -> APIFlask:
    settings = config_module.load(overrides)
    app = APIFlask(__name__, title="Digital-mining licensing (Rules 169/НҚ)", version="1.0",
                   spec_path="/api/v1/openapi.json", docs_path="/api/v1/docs",
                   docs_oauth2_redirect_path=None)
    app.config.update(settings)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    app.config["SECURITY_SCHEMES"] = {"BearerAuth": {"type": "http", "scheme": "bearer"}}
    app.config["INFO"] = {"description": "Licensing of digital-mining activity in Kazakhstan: portal, officer, "
                                         "register, audit and analyst APIs. Errors: {\"errors\": [{field, message}]}."}
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(Path(__file__).parent / "migrations"),
                               render_as_batch=True, compare_type=True)
    errors.register(app)
    with app.app_context():
        if settings["MIGRATE_ON_START"]:
            migrate_schema(app)
        else:
            require_current_schema(app)
    app.extensions["licensing"] = services.build(settings)
    if settings["MIGRATE_ON_START"]:
        with app.app_context():
            prepare_database(app)

    observability.init(app)
    app.register_blueprint(health_bp)
    register_blueprints(app)
    register_openapi(app)
    init_ui(app)
    security.init(app)  # headers, cookies, proxy, sign-in rate cap: after every route is registered
    if settings["RUN_SCHEDULER"]:
        start_scheduler(app)
    return app


def migrate_schema(app: APIFlask) -> None:
    """Apply the schema migrations (Alembic) before anything reads the database."""
    upgrade(directory=app.extensions["migrate"].directory)


class SchemaNotCurrent(RuntimeError):
    """The database is not at the schema this build expects: `licensing db upgrade` must run first."""


def require_current_schema(app: APIFlask) -> None:
    """Refuse to serve a database whose schema is behind (or ahead of) this build's migrations."""
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    with app.extensions["sqlalchemy"].engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != set(script.get_heads()):
        raise SchemaNotCurrent(f"the database schema is at {sorted(current) or 'nothing'}, this build needs "
                               f"{sorted(script.get_heads())}: run `licensing db upgrade` first")


def prepare_database(app: APIFlask) -> None:
    """Deploy processes/ for keys not deployed yet, seed demo users if asked."""
    svc = app.extensions["licensing"]
    deploy_new_processes(svc, Path(app.config["PROCESSES_DIR"]))
    if app.config["DEMO"]:
        created = svc.accounts.seed_demo()
        if created:
            log.warning("DEMO MODE: demo users created with password = user name: %s", ", ".join(created))


def deploy_new_processes(svc: Any, directory: Path) -> list[Any]:
    deployed_keys = {v.key for v in svc.engine.analyst.list_definitions()}
    views = []
    for path in sorted(directory.glob("*/*.bpmn")):
        if path.parent.name in deployed_keys:
            continue
        views += svc.engine.analyst.deploy(path.read_bytes(), f"{path.parent.name}/{path.name}", actor="system")
    return views
