"""A production start (real clock, no --demo) makes nothing up: without the system's certificate and the
trust roots it is refused, naming what is missing, before the database is touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from engine.errors import NotConfigured
from engine.signing.keystore import Keystore
from web.cli import main


def test_a_production_keystore_never_creates_a_demo_ca_or_a_system_certificate(tmp_path: Path) -> None:
    keystore = Keystore(tmp_path / "keys", trust_demo=False)
    with pytest.raises(NotConfigured) as refused:
        keystore.ensure(dt.datetime(2025, 6, 2, tzinfo=dt.UTC))
    assert "system-cert.pem" in str(refused.value) and "LICENSING_TRUST_ROOTS" in str(refused.value)
    assert not (tmp_path / "keys" / "demo-ca").exists()
    assert not (tmp_path / "keys" / "system-cert.pem").exists()


def test_a_demo_keystore_makes_its_clearly_marked_ca_and_the_system_certificate(tmp_path: Path) -> None:
    keystore = Keystore(tmp_path / "keys", trust_demo=True)
    keystore.ensure(dt.datetime(2025, 6, 2, tzinfo=dt.UTC))
    assert (tmp_path / "keys" / "system-cert.pem").is_file()
    assert any("DEMO" in root.subject.rfc4514_string() for root in keystore.roots())


@pytest.mark.parametrize("command", [["serve", "--port", "5999"], ["scheduler"]])
def test_serve_and_scheduler_refuse_production_without_certificates(command: list[str], monkeypatch: Any,
                                                                    tmp_path: Path) -> None:
    for name in ("LICENSING_CLOCK", "LICENSING_DEMO", "LICENSING_TRUST_ROOTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LICENSING_GATEWAY_URL", "http://127.0.0.1:9/gateway")
    monkeypatch.setenv("LICENSING_KEYS_DIR", str(tmp_path / "keys"))

    def started(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("it started")

    monkeypatch.setattr("werkzeug.serving.run_simple", started)
    monkeypatch.setattr("web.scheduler.run_blocking", started)
    result = CliRunner().invoke(main, [*command, "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "system-cert.pem" in result.output and "LICENSING_TRUST_ROOTS" in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(("value", "message"), [
    ("ten", "LICENSING_RESIDENT_WORKFLOWS must be a whole number, not 'ten'"),
    ("-5", "LICENSING_RESIDENT_WORKFLOWS cannot be negative (-5)"),
])
def test_a_number_setting_it_cannot_take_is_one_line_and_exit_2(value: str, message: str, monkeypatch: Any,
                                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("LICENSING_RESIDENT_WORKFLOWS", value)
    monkeypatch.setenv("LICENSING_KEYS_DIR", str(tmp_path / "keys"))
    result = CliRunner().invoke(main, ["scheduler", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == f"error: {message}"
    assert "Traceback" not in result.output


def test_the_scheduler_on_a_database_not_yet_migrated_says_what_to_run(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setenv("LICENSING_CLOCK", "simulated")
    monkeypatch.setenv("LICENSING_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setattr("web.scheduler.run_blocking", lambda *a, **k: None)
    result = CliRunner().invoke(main, ["scheduler", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "run `licensing db upgrade` first" in result.output and "Traceback" not in result.output
