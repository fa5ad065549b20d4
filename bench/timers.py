"""Timer figures: firing N due timers, and the scheduler's start-up with many pending timers.

Firing: the engine starts one licence-issue application (documents stubbed) on a simulated clock ten days
back, so its completeness_check deadline (R7, two working days) has passed by the wall clock and its
A3.4 total term has not. The instance is copied N-1 times (``bench.clones``: own ids everywhere), then a
scheduler process (``bench.scheduler_probe`` — ``licensing scheduler`` instrumented) starts on the wall
clock and its first poll fires all N deadlines: each instance is locked, its state restored, the
boundary timer fires, ``mark_overdue`` marks the task, notifies the head of unit and writes the audit
events, the state is saved — one transaction per instance, as in production.

Start-up: the same scheduler process against the HTTP benchmark's database (100 000 instances, 100 000
pending timers, all due later): the time from spawning the process until its first poll has finished.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.common import ROOT, log, pg_database


def probe(database_url: str, keys_dir: Path, timeout: float = 1800) -> dict[str, Any]:
    """Run the instrumented scheduler once; its first poll's figures plus the start-up time."""
    env = {**os.environ, "LICENSING_DATABASE_URL": database_url, "LICENSING_CLOCK": "simulated",
           "LICENSING_KEYS_DIR": str(keys_dir), "PYTHONPATH": str(ROOT)}
    spawned = time.time()
    out = subprocess.run([sys.executable, "-m", "bench.scheduler_probe"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=timeout)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"the scheduler probe failed ({out.returncode}): {out.stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["startup_s"] = result["first_poll_done_at"] - spawned
    return result


def fire_run(count: int) -> dict[str, Any]:
    from bench.clones import copy_instances, load_template
    from bench.procedures import LicenceDriver, make_app
    from engine import legal_time

    with pg_database("timers") as url, tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        started = time.perf_counter()
        app = make_app(url, Path(keys), now=legal_time.iso(datetime.now(UTC) - timedelta(days=10)))
        driver = LicenceDriver(app, documents="stub")
        app_id = driver.submit(driver.prepare())
        instance_id = driver.licensing.get_application(app_id)["instance_id"]
        db = app.extensions["licensing"].wiring.db
        copy_instances(db, load_template(db, instance_id), count - 1)
        with db.begin() as conn:
            conn.execute(text("ANALYZE"))
            due = conn.execute(text("SELECT count(*) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL "
                                    "AND due_at < :now"), {"now": datetime.now(UTC).replace(tzinfo=None)}).scalar()
        db.dispose()
        if due != count:
            raise RuntimeError(f"expected {count} due timers, found {due}")
        log(f"{count} instances with a due timer ready in {time.perf_counter() - started:.1f} s")
        result = probe(url, Path(keys))
        if result.get("fired") != count:
            raise RuntimeError(f"the scheduler fired {result.get('fired')} of {count} timers")
        check = app.extensions["licensing"].wiring.db
        with check.connect() as conn:
            overdue = conn.execute(text("SELECT count(*) FROM human_task WHERE overdue")).scalar()
        check.dispose()
        if overdue != count:
            raise RuntimeError(f"{overdue} tasks marked overdue, expected {count}")
        log(f"fired {count} timers in {result['fire_s']:.1f} s")
        return result
