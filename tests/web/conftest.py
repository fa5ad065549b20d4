"""The web app on a fresh database with a simulated clock and demo users, plus API helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.web.portal import Api, issue_body, pay_fee


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


def make_app(database_url: str, keys_dir: Path, **extra: Any) -> Any:
    from web import create_app

    config = {"DATABASE_URL": database_url, "CLOCK": "simulated", "DEMO": True, "KEYS_DIR": str(keys_dir),
              "PROCESSES_DIR": str(ROOT / "processes"), "TESTING": True, "RUN_SCHEDULER": False,
              "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True,
              "MIGRATE_ON_START": True}
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(tmp_path: Path, keys_dir: Path) -> Iterator[Any]:
    application = make_app(f"sqlite:///{tmp_path / 'app.db'}", keys_dir)
    yield application
    application.extensions["licensing"].wiring.db.dispose()


@pytest.fixture
def pg_app(pg_url: str, keys_dir: Path) -> Iterator[Any]:
    application = make_app(pg_url, keys_dir)
    yield application
    application.extensions["licensing"].wiring.db.dispose()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)


@pytest.fixture
def submitted(api):
    """A subtype II application of ТОО «Браузер», fee paid, submitted on Thursday 5 June 2025 at 10:00."""
    api.set_clock("2025-06-05T10:00:00+05:00")
    body = issue_body(api, "II", name="ТОО «Браузер»")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    return api.submit(body).get_json()
