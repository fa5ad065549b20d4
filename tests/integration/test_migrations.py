"""Schema migrations form a chain: a database made by the released schema upgrades to exactly the models.

The first revision (6fa7b1ae5822) is the schema of the release of 2026-11-24; every later change is a new
revision. Alembic's ``compare_metadata`` lists any difference between the upgraded database and the
SQLAlchemy models, so a model changed without a migration fails here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import Migrate, upgrade
from flask_sqlalchemy import SQLAlchemy

import engine.store.licensing_tables  # noqa: F401 - registers the licensing tables on the metadata
from engine.store.tables import metadata
from tests.conftest import ROOT

RELEASED = "6fa7b1ae5822"


def _migrating_app(url: str) -> tuple[Flask, SQLAlchemy]:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db = SQLAlchemy(metadata=metadata)
    db.init_app(app)
    Migrate(app, db, directory=str(ROOT / "web" / "migrations"), render_as_batch=True, compare_type=True)
    return app, db


def _differences(app: Flask, db: SQLAlchemy) -> list[Any]:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_a_database_of_the_released_schema_upgrades_to_exactly_the_models(db_url: str) -> None:
    app, db = _migrating_app(db_url)
    with app.app_context():
        upgrade(directory=str(ROOT / "web" / "migrations"), revision=RELEASED)
        upgrade(directory=str(ROOT / "web" / "migrations"))
    try:
        assert _differences(app, db) == []
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_revisions_form_one_chain_with_one_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "web" / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    chain = [rev.revision for rev in script.walk_revisions()]
    assert chain[-1] == RELEASED


def test_the_released_revision_is_never_edited() -> None:
    # sha256 of 6fa7b1ae5822_initial_schema.py as released on 2026-11-24
    body = (ROOT / "web" / "migrations" / "versions" / f"{RELEASED}_initial_schema.py").read_bytes()
    assert hashlib.sha256(body).hexdigest() == "eb5f6823687298c0b9ed78f74e4ffa2c86d1e23b046a6bdd1d022429f9c54dfc", \
        "the released revision was edited: a database made by the release would never get the change"


def test_only_the_upgrade_step_migrates_and_workers_refuse_an_old_schema(tmp_path: Path) -> None:
    from web import SchemaNotCurrent, create_app

    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "KEYS_DIR": str(tmp_path / "keys"),
                "SECRET_KEY": "test", "CLOCK": "simulated", "TESTING": True}
    with pytest.raises(SchemaNotCurrent, match="licensing db upgrade"):
        create_app(settings)                                   # a gunicorn worker on a database never upgraded
    upgraded = create_app({**settings, "MIGRATE_ON_START": True})   # what `licensing db upgrade` does
    upgraded.extensions["licensing"].wiring.db.dispose()
    worker = create_app(settings)
    try:
        assert [v.key for v in worker.extensions["licensing"].engine.analyst.list_definitions()], "processes/ deployed"
    finally:
        worker.extensions["licensing"].wiring.db.dispose()


def test_the_officers_of_each_instance_are_filled_from_its_task_rows(db_url: str) -> None:
    """d4f6a8b0c213 writes one row per officer and instance that a task names, completer or holder."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select

    from engine.store.tables import HumanTask, InstanceOfficer, ProcessDefinition, ProcessInstance

    started = datetime(2025, 6, 5, 5, 0, tzinfo=UTC)
    app, db = _migrating_app(db_url)
    with app.app_context():
        upgrade(directory=str(ROOT / "web" / "migrations"), revision="c8d3e5f7a912")
        with db.engine.begin() as conn:
            conn.execute(insert(ProcessDefinition.__table__).values(
                id=1, key="licence_issue", version=1, sha256="0" * 64, deployed_at=started, deployed_by="test",
                source_name="licence_issue.bpmn", bpmn_xml="", spec_json="{}"))
            conn.execute(insert(ProcessInstance.__table__).values(
                id="i-1", definition_id=1, process_key="licence_issue", process_version=1, status="running",
                started_at=started, started_by="portal", serializer_version="1", state_json="{}",
                completed_path=[], active_elements=[], version_id=1))
            task = {"instance_id": "i-1", "process_key": "licence_issue", "element": "e", "name": "n", "clause": "R7",
                    "role": "officer", "form": "f", "created_at": started, "overdue": False}
            conn.execute(insert(HumanTask.__table__), [
                {**task, "id": "t-1", "status": "completed", "claimed_by": "officer", "completed_by": "officer"},
                {**task, "id": "t-2", "status": "completed", "claimed_by": None, "completed_by": "head"},
                {**task, "id": "t-3", "status": "open", "claimed_by": "officer2", "completed_by": None},
                {**task, "id": "t-4", "status": "open", "claimed_by": None, "completed_by": None}])
        upgrade(directory=str(ROOT / "web" / "migrations"))
        with db.engine.connect() as conn:
            rows = conn.execute(select(InstanceOfficer.__table__).order_by(InstanceOfficer.officer)).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [("head", "i-1", started), ("officer", "i-1", started),
                                        ("officer2", "i-1", started)]
