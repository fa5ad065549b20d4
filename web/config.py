"""Every setting, its default and what it is for. Environment variables use the LICENSING_ prefix."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    # SQLAlchemy URL; SQLite file under ./var by default, PostgreSQL in production
    "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'licensing.db'}",
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
    # where the provider's signing key and certificate live
    "KEYS_DIR": str(ROOT / "var" / "keys"),
    # signing secret of browser sessions; set it in production (a random one is made per start)
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
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = secrets.token_hex(32)
    return config
