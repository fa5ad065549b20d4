"""The simulated clock is a database row: every worker reads it, a restart keeps it, absurd moments are refused.

And the session secret every worker shares is kept beside the keys, outside the source tree.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.web.conftest import make_app
from tests.web.portal import Api, issue_body


def _api(app: Any) -> Api:
    return Api(app.test_client())


def _now(api: Api) -> str:
    r = api.get("/api/v1/admin/clock")
    assert r.status_code == 200, r.get_json()
    return str(r.get_json()["now"])


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def test_a_restart_keeps_the_simulated_clock(db_file: str, keys_dir: Path) -> None:
    first = make_app(db_file, keys_dir)
    _api(first).set_clock("2025-05-05T10:00:00+05:00")
    first.extensions["licensing"].wiring.db.dispose()

    restarted = make_app(db_file, keys_dir)
    try:
        assert _now(_api(restarted)) == "2025-05-05T10:00:00+05:00"
    finally:
        restarted.extensions["licensing"].wiring.db.dispose()


def test_two_workers_on_one_database_read_the_same_moment(db_file: str, keys_dir: Path) -> None:
    worker_a, worker_b = make_app(db_file, keys_dir), make_app(db_file, keys_dir)
    try:
        _api(worker_a).set_clock("2025-06-02T09:30:00+05:00")
        assert _now(_api(worker_b)) == "2025-06-02T09:30:00+05:00"
        _api(worker_b).set_clock("2025-06-03T09:30:00+05:00")
        assert _now(_api(worker_a)) == "2025-06-03T09:30:00+05:00"
    finally:
        for app in (worker_a, worker_b):
            app.extensions["licensing"].wiring.db.dispose()


@pytest.mark.parametrize("moment", [
    "2022-12-31T12:00:00+06:00",        # before the Rules existed (Almaty was UTC+6 until 1 March 2024)
    "2101-01-01T00:00:00+05:00",        # after 2100
    "9999-12-31T23:59:59+05:00",        # the year that once broke every submission
    "0001-01-01T00:00:00+14:00",        # cannot even be converted to UTC
])
def test_absurd_moments_are_refused_and_the_clock_stays(api: Api, moment: str) -> None:
    api.set_clock("2025-03-20T09:00:00+05:00")
    r = api.put("/api/v1/admin/clock", {"now": moment})
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"][0]["field"] == "now"
    assert _now(api) == "2025-03-20T09:00:00+05:00"


def test_the_clock_moves_back_only_while_no_instance_exists(api: Api) -> None:
    api.set_clock("2025-03-20T09:00:00+05:00")
    api.set_clock("2024-03-20T09:00:00+05:00")      # nothing runs yet: any moment is fine
    assert _now(api) == "2024-03-20T09:00:00+05:00"
    r = api.submit(issue_body(api, "II"))
    assert r.status_code == 201, r.get_json()
    back = api.put("/api/v1/admin/clock", {"now": "2024-03-19T09:00:00+05:00"})
    assert back.status_code == 409
    assert _now(api) == "2024-03-20T09:00:00+05:00"


def test_workers_without_a_configured_secret_share_one_kept_beside_the_keys(tmp_path: Path, monkeypatch: Any) -> None:
    from web.config import load

    monkeypatch.delenv("LICENSING_SECRET_KEY", raising=False)
    monkeypatch.delenv("LICENSING_KEYS_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first, second = load({}), load({})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 32
    keys = Path(first["KEYS_DIR"])
    assert keys == tmp_path / "data" / "licensing" / "keys"
    assert ROOT not in keys.parents, "keys must live outside the source tree"
    assert os.stat(keys / "session_secret").st_mode & 0o777 == 0o600
    assert os.stat(keys).st_mode & 0o777 == 0o700
