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
    # behind a reverse proxy (TLS ended there): how many proxies in front of the app set X-Forwarded-For,
    # -Proto, -Host and -Port; 0 trusts none. With 1, client addresses (login throttling) and HTTPS
    # (Secure cookies) are taken from the proxy's headers: set it only when a proxy is really in front
    "PROXY_FIX": 0,
    # coarse cap on sign-in requests (UI and API) per client address and worker, Flask-Limiter syntax
    "LOGIN_RATE_LIMIT": "30 per minute",
    # largest request body (uploads included), bytes
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    # the workspace's default language
    "DEFAULT_LANGUAGE": "ru",
    # the e-government gateway over HTTP (CONTRACT §3): base URL, required with the real clock outside demo
    "GATEWAY_URL": None,
    # seconds to wait for one gateway answer before it counts as none
    "GATEWAY_TIMEOUT_SECONDS": 5,
    # tries per gateway read (the reads are idempotent), the first included
    "GATEWAY_ATTEMPTS": 3,
    # milliseconds before the second try; doubled before each further one
    "GATEWAY_BACKOFF_MS": 200,
    # consecutive failed calls that open the circuit breaker (no calls until the cool-down ends)
    "GATEWAY_BREAKER_FAILURES": 5,
    # seconds the open breaker waits before one trial call
    "GATEWAY_BREAKER_COOLDOWN_SECONDS": 30,
    # bearer token sent to the gateway (or its integration bridge), if it asks for one
    "GATEWAY_TOKEN": None,
    # PEM files of the provider's TLS client certificate and key, if the gateway asks for one
    "GATEWAY_CLIENT_CERT": None,
    "GATEWAY_CLIENT_KEY": None,
    # PEM bundle of the gateway's trust roots (default: the system's)
    "GATEWAY_CA_BUNDLE": None,
    # webhooks the outbox is delivered to, at least once with an Idempotency-Key (unset = that channel is off):
    # every monitoring event (R18) …
    "OUTBOX_MONITORING_URL": None,
    # … and every personal-cabinet notice (for the e-government portal)
    "OUTBOX_CABINET_URL": None,
    # bearer token sent with the deliveries, if the receivers ask for one
    "OUTBOX_TOKEN": None,
    # seconds to wait for a receiver's answer
    "OUTBOX_TIMEOUT_SECONDS": 5,
    # failed attempts after which a delivery is dead (shown to the administrator, sent again by hand)
    "OUTBOX_MAX_ATTEMPTS": 10,
    # SMTP server for staff e-mail (overdue tasks, term breaches, incidents); unset = no e-mail
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    # use STARTTLS, and log in when a user name is set
    "SMTP_STARTTLS": False,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    # the sender address and the staff mailbox(es) the notices go to, comma-separated
    "SMTP_FROM": "licensing@localhost",
    "SMTP_TO": None,
    # the position of the signing official printed on acts, "Kazakh / Russian"
    "SIGNER_POSITION": "Вице-министр / Вице-министр",
    # PEM files of the CA certificates (NCA RK) that signer certificates must chain to, separated by the
    # path separator (":"). The demo CA in KEYS_DIR/demo-ca is added only with --demo or the simulated clock
    "TRUST_ROOTS": "",
    # the public address printed (and QR-coded) on every act for its verification: {PUBLIC_BASE_URL}/verify/N
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    # NCALayer's local WebSocket, which the signer's page asks to sign acts (the stand-in in dev and tests)
    "NCALAYER_URL": "wss://127.0.0.1:13579",
    # append-only JSON-lines file of signed audit checkpoints, shipped elsewhere by the operator
    # (default: KEYS_DIR/audit-checkpoints.jsonl)
    "AUDIT_CHECKPOINTS_FILE": None,
    # minutes between the scheduler's checkpoints of every audit chain (each commit signs the chains it touched)
    "AUDIT_CHECKPOINT_MINUTES": 15,
    # workflows each process keeps in memory after writing them, so that its next step on the same instance
    # skips restoring the state (engine/runtime/resident.py); 0 keeps none. 60-80 kB each
    "RESIDENT_WORKFLOWS": 256,
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
            config[key] = _whole_number(key, raw)
        else:
            config[key] = raw
    config.update(overrides or {})
    if not config["KEYS_DIR"]:
        config["KEYS_DIR"] = str(default_data_dir() / "keys")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = kept_secret(Path(config["KEYS_DIR"]) / "session_secret")
    return config


class SettingInvalid(ValueError):
    """A LICENSING_* variable whose value the setting cannot take."""


def _whole_number(key: str, raw: str) -> int:
    """Every number setting counts something (seconds, attempts, workflows, a port): a whole number, not below 0."""
    try:
        value = int(raw)
    except ValueError:
        raise SettingInvalid(f"LICENSING_{key} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise SettingInvalid(f"LICENSING_{key} cannot be negative ({value})")
    return value


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
