"""Two schedulers and four web workers on PostgreSQL: every due timer fires exactly once, no 5xx."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent


def reliability_section(timers: int, requests: int) -> dict[str, Any]:
    from bench.__main__ import _copy_instances, _free_port, _token, _wait, drop, pg_database
    from engine.store.tables import AuditEvent, ProcessInstance, Timer
    from tests.support import make_engine, start_review
    from web import create_app

    url = pg_database()
    keys = Path(tempfile.mkdtemp())
    env = {**os.environ, "LICENSING_DATABASE_URL": url, "LICENSING_DEMO": "1", "LICENSING_KEYS_DIR": str(keys),
           "LICENSING_SECRET_KEY": "bench", "LICENSING_SCHEDULER_POLL_SECONDS": "1"}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        app = create_app({"DATABASE_URL": url, "DEMO": True, "KEYS_DIR": str(keys)})
        app.extensions["licensing"].wiring.db.dispose()
        wiring, _ = make_engine(url, datetime.now(UTC) - timedelta(days=10))
        template = start_review(wiring, registered_at=(datetime.now(UTC) - timedelta(days=10)).isoformat())
        with wiring.db.connect() as conn:
            row = conn.execute(select(ProcessInstance).where(ProcessInstance.id == template.id)).mappings().one()
            timer = conn.execute(select(Timer).where(Timer.instance_id == template.id)).mappings().one()
        _copy_instances(wiring.db, row, timer, timers - 1, due=datetime.now(UTC) - timedelta(minutes=1))
        port = _free_port()
        bin_dir = Path(sys.executable).parent
        procs.append(subprocess.Popen([str(bin_dir / "gunicorn"), "--workers", "4", "--bind", f"127.0.0.1:{port}",
                                       "--log-level", "warning", "web.wsgi:app"], cwd=ROOT, env=env))
        base = f"http://127.0.0.1:{port}"
        _wait(base)
        started = time.perf_counter()
        for _ in range(2):
            procs.append(subprocess.Popen([str(bin_dir / "licensing"), "scheduler"], cwd=ROOT, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        token = _token(base, "auditor")
        statuses: list[int] = []

        def hammer() -> None:
            for path in ["/api/v1/instances?limit=20", "/healthz", "/metrics"] * (requests // 12):
                req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        statuses.append(r.status)
                except urllib.error.HTTPError as exc:
                    statuses.append(exc.code)

        clients = [threading.Thread(target=hammer) for _ in range(4)]
        for c in clients:
            c.start()
        deadline = time.time() + 600
        while time.time() < deadline:
            with wiring.db.connect() as conn:
                pending = conn.scalar(select(func.count()).where(Timer.fired_at.is_(None),
                                                                 Timer.cancelled_at.is_(None)))
            if pending == 0:
                break
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        for c in clients:
            c.join()
        with wiring.db.connect() as conn:
            fired_rows = conn.scalar(select(func.count()).where(Timer.fired_at.is_not(None)))
            fired_events = conn.scalar(select(func.count()).where(AuditEvent.kind == "timer_fired"))
            per_instance = conn.execute(select(AuditEvent.chain, func.count()).where(AuditEvent.kind == "timer_fired")
                                        .group_by(AuditEvent.chain).having(func.count() > 1)).all()
        wiring.db.dispose()
        return {"reliability_timers": timers, "reliability_fired": fired_rows,
                "reliability_lost_timers": timers - fired_rows, "reliability_duplicated_timers": len(per_instance)
                + max(0, fired_events - timers), "reliability_requests": len(statuses),
                "reliability_5xx": sum(1 for s in statuses if s >= 500), "reliability_seconds": elapsed}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        drop(url)
