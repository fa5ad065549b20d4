"""Two ``licensing scheduler`` processes and ``gunicorn --workers 4`` on one PostgreSQL database, under load:
every due timer fires exactly once and no request answers 5xx.

N licence-issue instances whose completeness_check deadline has passed (``bench.clones`` copies of one
real instance, as in the timer benchmark) wait when the schedulers start on the wall clock, while four
client threads keep the web workers busy with instance searches, task lists, health checks and metrics.
When no due timer is left, the database must show N fired timer rows, N overdue tasks and at most one
``timer_fired`` audit event per instance.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.common import ROOT, log, pg_database, stop_server


def reliability_run(count: int, requests: int) -> dict[str, Any]:
    from bench import web_load
    from bench.clones import copy_instances, load_template
    from bench.procedures import LicenceDriver, make_app
    from engine import legal_time

    with pg_database("reliability") as url, tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        app = make_app(url, Path(keys), now=legal_time.iso(datetime.now(UTC) - timedelta(days=10)), demo=True)
        # the web workers only read at start-up: they import the app and connect while the timers are made
        server = web_load.Gunicorn(url, Path(keys), workers=4)
        schedulers: list[subprocess.Popen[bytes]] = []
        check = create_engine(url)
        try:
            driver = LicenceDriver(app, documents="stub")
            instance_id = driver.licensing.get_application(driver.submit(driver.prepare()))["instance_id"]
            db = app.extensions["licensing"].wiring.db
            copy_instances(db, load_template(db, instance_id), count - 1)
            db.dispose()
            due_sql = text("SELECT count(*) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL "
                           "AND due_at < :now")
            server.wait()
            port = server.port
            auditor, officer = web_load.token(port, "auditor"), web_load.token(port, "officer")
            env = {**server.env, "LICENSING_CLOCK": "real", "LICENSING_SCHEDULER_POLL_SECONDS": "1"}
            started = time.perf_counter()
            for _ in range(2):
                schedulers.append(subprocess.Popen([str(Path(sys.executable).parent / "licensing"), "scheduler"],
                                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL))
            statuses: list[int] = []
            lock = threading.Lock()
            paths = [("/api/v1/instances?limit=20", auditor), ("/api/v1/tasks?limit=50", officer),
                     ("/healthz", None), ("/metrics", None)]

            def hammer(share: int) -> None:
                for i in range(share):
                    path, token = paths[i % len(paths)]
                    try:
                        status, _ = web_load.request(port, "GET", path, token=token)
                    except OSError:
                        status = 0
                    with lock:
                        statuses.append(status)

            clients = [threading.Thread(target=hammer, args=(requests // 4,)) for _ in range(4)]
            for c in clients:
                c.start()
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                with check.connect() as conn:
                    if conn.execute(due_sql, {"now": datetime.now(UTC).replace(tzinfo=None)}).scalar() == 0:
                        break
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
            for c in clients:
                c.join()
        finally:
            for p in schedulers:
                p.terminate()
            for p in schedulers:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
            stop_server(server)
        with check.connect() as conn:
            fired = conn.execute(text("SELECT count(*) FROM timer WHERE fired_at IS NOT NULL")).scalar()
            overdue = conn.execute(text("SELECT count(*) FROM human_task WHERE overdue")).scalar()
            events = conn.execute(text("SELECT count(*) FROM audit_event WHERE kind = 'timer_fired'")).scalar()
            twice = conn.execute(text("SELECT count(*) FROM (SELECT chain FROM audit_event WHERE kind = 'timer_fired' "
                                      "GROUP BY chain HAVING count(*) > 1) x")).scalar()
        check.dispose()
        result = {"reliability_timers": count, "reliability_fired": fired, "reliability_lost_timers": count - fired,
                  "reliability_duplicated_timers": twice + max(0, events - count), "reliability_overdue_tasks": overdue,
                  "reliability_requests": len(statuses),
                  "reliability_5xx": sum(1 for s in statuses if s >= 500 or s == 0),
                  "reliability_s": elapsed}
        log(f"{count} due timers, 2 schedulers, 4 web workers: {fired} fired, "
            f"{result['reliability_duplicated_timers']} duplicated, {result['reliability_5xx']} failed requests "
            f"of {len(statuses)}, {elapsed:.1f} s")
        return result

