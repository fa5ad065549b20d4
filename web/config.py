"""Every setting, its default and what it is for. Environment variables use the LICENSING_ prefix."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    # SQLAlchemy URL; SQLite file under ./var by default, PostgreSQL in production
    "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'licensing.db'}",
    # apply migrations, deploy new processes/ and seed demo users at start (`licensing serve`, `db upgrade`);
    # gunicorn workers and schedulers only check that the schema is current
    "MIGRATE_ON_START": False,
    # "real" or "simulated" (simulated enables /api/v1/admin/clock)
    "CLOCK": "real",
    # seed demo users whose password equals the user name
    "DEMO": False,
    # run the timer scheduler inside the web process (serve does; gunicorn workers do not)
    "RUN_SCHEDULER": False,
    # seconds between scheduler polls when no timer is due sooner
    "SCHEDULER_POLL_SECONDS": 30,
    # the folder of BPMN diagrams deployed when the database is new
    "PROCESSES_DIR": str(ROOT / "processes"),
    # where the signing keys, certificates and the session secret live: outside the source tree, readable
    # only by the service (default: $XDG_DATA_HOME/licensing/keys, i.e. ~/.local/share/licensing/keys)
    "KEYS_DIR": None,
    # signing secret of browser sessions; every worker must share it: set it, or one is made once and kept
    # in KEYS_DIR/session_secret (mode 0600) for every worker on this machine
    "SECRET_KEY": None,
    # largest request body (uploads included), bytes
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    # the workspace's default language
    "DEFAULT_LANGUAGE": "ru",
    # the name of the signing official shown on documents
    "SIGNER_POSITION": "Вице-министр / Вице-министр",
}


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"LICENSING_{key}")
        if raw is None:
            continue
        if isinstance(default, bool):
            config[key] = raw.lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            config[key] = int(raw)
        else:
            config[key] = raw
    config.update(overrides or {})
    if not config["KEYS_DIR"]:
        config["KEYS_DIR"] = str(default_data_dir() / "keys")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = kept_secret(Path(config["KEYS_DIR"]) / "session_secret")
    return config


def default_data_dir() -> Path:
    """The service's data directory outside the source tree (XDG base directory specification)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "licensing"


def kept_secret(path: Path) -> str:
    """A random secret made once and kept in ``path`` (mode 0600), so every worker reads the same one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        # written whole to a private temporary file, then linked into place: a worker never reads half a secret
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
