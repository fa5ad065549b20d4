"""Shared helpers of the benchmarks: sizes, statistics, PostgreSQL scratch databases, memory readings."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("LICENSING_BENCH_PG_URL") or os.environ.get(
    "LICENSING_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# a working Thursday morning in Almaty: every legal term counts from here in the in-process runs
MORNING = "2025-06-05T10:00:00+05:00"


@dataclass(frozen=True)
class Sizes:
    """How much each benchmark does; ``--quick`` is a tenth of the full sizes."""

    runs: int  # repetitions of the in-process throughput runs (the figure is their median)
    procedures_docs: int  # licence-issue procedures per run with real documents (WeasyPrint + XMLDSig)
    procedures_nodocs: int  # licence-issue procedures per run with documents stubbed
    example_procedures: int  # example_review procedures per run (engine alone)
    bare_procedures: int  # bare SpiffWorkflow procedures per run
    instances: int  # instances in the database behind the HTTP figures
    real_instances: int  # instances made through the engine there, whose tasks the HTTP client completes
    http_requests: int  # requests per HTTP scenario (task list, search)
    http_threads: int  # concurrent client connections
    timers: int  # due timers fired by two schedulers, extrapolated to 10 000 (``--timers 10000`` fires 10 000)
    timer_runs: int
    scheduler_runs: int
    reliability_timers: int  # due timers fired by two schedulers while four web workers serve requests
    reliability_requests: int
    floor_procedures: int = 200  # procedures per run of the persistence floor (SQLite)
    submissions: int = 48  # applications submitted over HTTP with their receipts (PDF + XMLDSig, kk and ru)
    submission_clients: int = 8  # portal clients submitting at once

    @property
    def label(self) -> str:
        return "quick" if self.instances < 100_000 else "full"


FULL = Sizes(runs=3, procedures_docs=6, procedures_nodocs=40, example_procedures=100, bare_procedures=200,
             instances=100_000, real_instances=120, http_requests=400, http_threads=2, timers=5_000,
             timer_runs=1, scheduler_runs=3,
             reliability_timers=2_000, reliability_requests=600)
QUICK = Sizes(runs=3, procedures_docs=1, procedures_nodocs=6, example_procedures=15, bare_procedures=30,
              instances=10_000, real_instances=12, http_requests=60, http_threads=2, timers=600,
              timer_runs=1, scheduler_runs=3,
              reliability_timers=200, reliability_requests=60, floor_procedures=30, submissions=16)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of the observations."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def log(message: str) -> None:
    print(f"  · {message}", flush=True)


# -- PostgreSQL scratch databases -------------------------------------------------------------------------------


def pg_available() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def pg_database(tag: str) -> Iterator[str]:
    """A fresh database for one benchmark, dropped afterwards (even when the benchmark fails)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"licensing_bench_{tag}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_version() -> str:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return str(version)
    except Exception:
        return "unavailable"


# -- servers ----------------------------------------------------------------------------------------------------


def stop_server(server: Any) -> None:
    """Stop a ``bench.web_load.Gunicorn`` whose figures have all been read, without waiting for its workers.

    A worker takes seconds to exit (interpreter finalization, more on a busy machine), and nothing is measured
    any more: gunicorn gets its quick shutdown (SIGINT) and its workers are killed; ``server.stop()`` then
    reaps gunicorn and closes its log."""
    workers = children_of(server.process.pid)
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.stop()


# -- memory -----------------------------------------------------------------------------------------------------


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident set size (VmHWM) of a process, in MiB; NaN when the process is gone."""
    path = f"/proc/{pid or 'self'}/status"
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def children_of(pid: int) -> list[int]:
    """Direct children of a process (read from /proc)."""
    result = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                result.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return result
