"""Timer figures: firing N due timers with two schedulers, and the scheduler's start-up with many pending timers.

Firing (``fire_run``): the engine itself starts N licence-issue instances on PostgreSQL (the licence-issue
diagram, its operations answering the bare run's canned results as in the engine-alone figure), on a
simulated clock at a working morning: each waits at completeness_check with its open task row, its
R7 completeness deadline (two working days) and its A3.4 total term as timer rows, its audit chain and
feed. Two processes then act as two schedulers on a clock past the R7 deadline and before the A3.4
term: each runs the scheduler's job (``engine.operator.fire_due_timers``: batches claimed with ``FOR
UPDATE SKIP LOCKED``, one transaction per batch, one savepoint per instance), started together. The
figure is the wall time until both are done; beside it the schedulers' own CPU time per fired timer (the
database's CPU is not in it), which a busy machine disturbs less. Checked afterwards: every R7 timer fired exactly once
(one ``timer_fired`` event per instance, the two schedulers' lists disjoint), every task marked overdue,
every audit chain intact.

Start-up (``probe``): the instrumented ``licensing scheduler`` (``bench.scheduler_probe``) against the
HTTP benchmark's database (100 000 instances, 100 000 pending timers, all due later): the time from
spawning the process until its first poll has finished.
"""

from __future__ import annotations

import copy
import json
import multiprocessing as mp
import os
import queue
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.common import ROOT, log, peak_rss_mb, pg_database


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


# a working Thursday morning (bench.common.MORNING): R7 falls due on Tuesday 10 June 18:30, A3.4 on 27 June
FIRE_AT = "2025-06-12T10:00:00+05:00"
STARTS_PER_TRANSACTION = 25  # the setup only: each start is still the engine's own start use case


def _wiring(url: str, now: str) -> Any:
    from bench.procedures import canned_registry
    from engine.bootstrap import build_engine, make_db_engine
    from engine.clock import SimulatedClock

    return build_engine(make_db_engine(url), clock=SimulatedClock(datetime.fromisoformat(now)),
                        operations=canned_registry())


def _start_share(url: str, count: int) -> None:
    """Start ``count`` licence-issue instances through the engine's start use case (the setup, untimed)."""
    from bench.bare import CANNED
    from bench.common import MORNING
    from engine.transactions import transaction

    wiring = _wiring(url, MORNING)
    runtime, done = wiring.engine.runtime, 0
    try:
        while done < count:
            n = min(STARTS_PER_TRANSACTION, count - done)
            with transaction(wiring.engine.session_factory) as session:
                for _ in range(n):
                    app_id = str(uuid.uuid4())
                    runtime.start(session, "licence_issue", {**copy.deepcopy(CANNED["inputs"]),
                                                             "application_id": app_id},
                                  actor="portal", business_key=app_id)
            done += n
    finally:
        wiring.db.dispose()


def _scheduler(url: str, ready: Any, go: Any, out: Any) -> None:
    """One scheduler process: build the engine, say it is ready, wait for the start signal, run the timer job once."""
    from engine.runtime import timers as engine_timers
    from web.process import settle_after_start

    wiring = _wiring(url, FIRE_AT)
    engine = wiring.engine
    engine.operator.next_timer_due()  # connect and warm up before the clock starts
    settle_after_start()  # as `licensing scheduler` does once its app is built
    claiming = [0.0]
    claim = engine_timers.claim

    def timed_claim(*args: Any, **kwargs: Any) -> list[Any]:
        t0 = time.perf_counter()
        try:
            return claim(*args, **kwargs)
        finally:
            claiming[0] += time.perf_counter() - t0

    engine_timers.claim = timed_claim  # type: ignore[assignment]
    ready.put(os.getpid())
    go.wait()
    started, cpu = time.time(), time.process_time()
    fired = engine.operator.fire_due_timers()
    ended, cpu = time.time(), time.process_time() - cpu
    wiring.db.dispose()
    out.put({"started": started, "ended": ended, "cpu_s": cpu, "claim_s": claiming[0],
             "instances": [f.instance_id for f in fired], "peak_rss_mb": peak_rss_mb()})


def _await_ready(ready: Any, procs: list[Any]) -> None:
    """Until every scheduler process has imported, built its engine and connected (or one has died)."""
    waiting = len(procs)
    while waiting:
        try:
            ready.get(timeout=1)
            waiting -= 1
        except queue.Empty:
            if any(p.exitcode is not None for p in procs):
                raise RuntimeError("a scheduler process ended before it was ready") from None


def fire_run(count: int, schedulers: int = 2) -> dict[str, Any]:
    """Fire ``count`` due timers of real waiting instances with ``schedulers`` concurrent processes."""
    from bench.procedures import canned_wiring

    spawn = mp.get_context("spawn")
    with pg_database("timers") as url:
        made = time.perf_counter()
        canned_wiring(url).db.dispose()  # schema and the licence-issue diagram, deployed once
        shares = [count // schedulers + (1 if i < count % schedulers else 0) for i in range(schedulers)]
        makers = [spawn.Process(target=_start_share, args=(url, n)) for n in shares]
        for p in makers:
            p.start()
        for p in makers:
            p.join()
        if any(p.exitcode for p in makers):
            raise RuntimeError("starting the instances failed")
        db = create_engine(url)
        with db.begin() as conn:
            conn.execute(text("ANALYZE"))
            due = conn.execute(text("SELECT count(*) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL "
                                    "AND due_at < :t"), {"t": _naive_utc(FIRE_AT)}).scalar()
            tasks = conn.execute(text("SELECT count(*) FROM human_task WHERE status = 'open'")).scalar()
        if due != count or tasks != count:
            raise RuntimeError(f"expected {count} due timers and open tasks, found {due} and {tasks}")
        setup_s = time.perf_counter() - made
        log(f"{count} waiting instances started by the engine in {setup_s:.1f} s")

        ready, go, out = spawn.Queue(), spawn.Event(), spawn.Queue()
        procs = [spawn.Process(target=_scheduler, args=(url, ready, go, out)) for _ in range(schedulers)]
        for p in procs:
            p.start()
        _await_ready(ready, procs)
        go.set()
        results = [out.get(timeout=1800) for _ in procs]
        for p in procs:
            p.join()
        wall = max(r["ended"] for r in results) - min(r["started"] for r in results)

        fired = [i for r in results for i in r["instances"]]
        with db.connect() as conn:
            events = dict(conn.execute(text("SELECT count(*) AS events, count(DISTINCT chain) AS instances "
                                            "FROM audit_event WHERE kind = 'timer_fired'")).one()._mapping)
            overdue = conn.execute(text("SELECT count(*) FROM human_task WHERE overdue")).scalar()
        db.dispose()
        if len(fired) != count or len(set(fired)) != count or events != {"events": count, "instances": count}:
            raise RuntimeError(f"not exactly once: {len(fired)} reported ({len(set(fired))} distinct), "
                               f"timer_fired events {events}, expected {count}")
        if overdue != count:
            raise RuntimeError(f"{overdue} tasks marked overdue, expected {count}")
        checker = _wiring(url, FIRE_AT)
        verified = checker.engine.auditor.verify_audit()
        checker.db.dispose()
        if not verified.valid:
            raise RuntimeError(f"the audit chains do not verify: {verified.failures[:3]}")
        log(f"fired {count} timers with {schedulers} schedulers in {wall:.2f} s "
            f"({', '.join(str(len(r['instances'])) for r in results)} each; claiming the batches took "
            f"{sum(r['claim_s'] for r in results):.2f} s of the schedulers' time)")
        return {"fire_s": wall, "fired": count, "setup_s": setup_s,
                "scheduler_cpu_ms_per_timer": sum(r["cpu_s"] for r in results) * 1000 / count,
                "claim_ms_per_timer": sum(r["claim_s"] for r in results) * 1000 / count,
                "per_scheduler": [len(r["instances"]) for r in results],
                "peak_rss_mb": max(r["peak_rss_mb"] for r in results)}


def _naive_utc(moment: str) -> datetime:
    return datetime.fromisoformat(moment).astimezone(UTC).replace(tzinfo=None)
