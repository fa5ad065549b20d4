"""Application logging works after the schema migration: errors and requests are logged with their request id,
as JSON lines when LICENSING_LOG_FORMAT=json, under the WSGI entry point and the ``licensing`` command."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.web.conftest import make_app
from web.observability import configure_logging


def test_an_unexpected_error_is_logged_with_its_request_id_and_the_client_sees_no_traceback(tmp_path, keys_dir,
                                                                                           caplog):
    early = logging.getLogger("licensing.test.created_before_the_app")
    app = make_app(f"sqlite:///{tmp_path / 'app.db'}", keys_dir)

    def boom() -> str:
        raise RuntimeError("secret detail of the failure")

    app.add_url_rule("/api/v1/test-boom", "test_boom", boom)
    with caplog.at_level(logging.INFO):
        r = app.test_client().get("/api/v1/test-boom", headers={"X-Request-Id": "req-42", "Accept-Language": "en"})
    app.extensions["licensing"].wiring.db.dispose()

    assert r.status_code == 500
    assert r.get_json() == {"errors": [{"field": "", "message": "internal error; it has been logged"}]}
    assert b"Traceback" not in r.data and b"secret detail" not in r.data
    assert r.headers["X-Request-Id"] == "req-42"
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert getattr(errors[0], "request_id", None) == "req-42"
    assert errors[0].exc_info is not None and "secret detail of the failure" in str(errors[0].exc_info[1])
    request_lines = [rec for rec in caplog.records if rec.name == "licensing.http"]
    assert [getattr(rec, "request_id", None) for rec in request_lines] == ["req-42"]
    assert not early.disabled, "the migration must not switch off loggers that existed before it"


def test_a_request_id_that_is_not_one_is_replaced(app):
    r = app.test_client().get("/healthz", headers={"X-Request-Id": "x" * 500})
    assert r.status_code == 200 and len(r.headers["X-Request-Id"]) == 32


LICENSING = [str(Path(sys.executable).parent / "licensing")]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "LICENSING_LOG_FORMAT": "json", "LICENSING_CLOCK": "simulated",
            "LICENSING_DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}", "LICENSING_KEYS_DIR": str(tmp_path / "keys"),
            "LICENSING_SECRET_KEY": "test"}


def _json_lines(stderr: str) -> list[dict]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is JSON: nothing printed in another format


def test_the_wsgi_entry_point_logs_json_lines_with_request_ids_after_migrating(tmp_path):
    upgrade = subprocess.run(LICENSING + ["db", "upgrade"], cwd=ROOT, env=_env(tmp_path), capture_output=True,
                             text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    script = ("from web.wsgi import app\n"
              "r = app.test_client().get('/healthz', headers={'X-Request-Id': 'wsgi-1'})\n"
              "assert r.status_code == 200\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_env(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    entries = _json_lines(done.stderr)
    requests = [e for e in entries if e["logger"] == "licensing.http"]
    assert len(requests) == 1
    assert requests[0]["request_id"] == "wsgi-1" and requests[0]["path"] == "/healthz"
    assert requests[0]["status"] == 200 and requests[0]["level"] == "INFO"


def test_the_licensing_command_keeps_json_logging_through_the_migration(tmp_path):
    done = subprocess.run(LICENSING + ["db", "upgrade"], cwd=ROOT, env=_env(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    entries = _json_lines(done.stderr)
    assert any(e["logger"] == "alembic.runtime.migration" and e["level"] == "INFO" for e in entries)


def test_the_service_log_keeps_spiffworkflows_task_state_chatter_out():
    # a line per task state change at INFO drowned the log and, on a pipe nobody read, blocked gunicorn workers
    configure_logging("text")
    assert not logging.getLogger("spiff.task").isEnabledFor(logging.INFO)
    assert logging.getLogger("spiff.task").isEnabledFor(logging.WARNING)
