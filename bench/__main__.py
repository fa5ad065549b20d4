"""Run the benchmarks: ``python -m bench [--quick]``; prints a table and writes bench/results.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("LICENSING_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
sys.path.insert(0, str(ROOT))


def median_of(runs: int, fn: Any) -> float:
    return statistics.median(fn() for _ in range(runs))


def pg_database() -> str:
    from tests.conftest import create_pg_database

    return create_pg_database(PG_ADMIN)


def drop(url: str) -> None:
    from tests.conftest import drop_pg_database

    drop_pg_database(PG_ADMIN, url)


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) // 1024
    with create_engine(PG_ADMIN).connect() as conn:
        pg = conn.execute(text("SHOW server_version")).scalar()
    import sqlite3

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "postgresql": pg}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- engine -----------------------------------------------------------------------------------------------------


def engine_section(n: int, runs: int) -> dict[str, float]:
    from bench.engine_speed import bare, persisted

    out = {"bare_procedures_per_s": median_of(runs, lambda: bare(n * 2))}
    out["procedures_per_s_sqlite"] = median_of(
        runs, lambda: persisted(f"sqlite:///{tempfile.mkdtemp()}/engine.db", n))

    def on_pg() -> float:
        url = pg_database()
        try:
            return persisted(url, n)
        finally:
            drop(url)

    out["procedures_per_s_postgres"] = median_of(runs, on_pg)
    out["engine_vs_bare_ratio"] = out["bare_procedures_per_s"] / out["procedures_per_s_sqlite"]
    return out


def documents_section(n: int) -> dict[str, float]:
    """Full procedures with PDFs and signatures, through the API in-process; bytes per finished instance."""
    from tests.web.conftest import make_app
    from tests.web.portal import Api, drive_to_licence, issue_body, pay_fee

    tmp = Path(tempfile.mkdtemp())
    app = make_app(f"sqlite:///{tmp / 'docs.db'}", tmp)
    api = Api(app.test_client())
    api.set_clock("2025-06-05T10:00:00+05:00")
    started = time.perf_counter()
    for _ in range(n):
        body = issue_body(api, "II")
        pay_fee(api, body, "2025-06-02T12:00:00+05:00")
        drive_to_licence(api, api.submit(body).get_json()["id"])
    rate = n / (time.perf_counter() - started)
    db = app.extensions["licensing"].wiring.db
    with db.connect() as conn:
        count = conn.scalar(text("SELECT count(*) FROM process_instance"))
        state = conn.scalar(text("SELECT sum(length(state_json)) FROM process_instance"))
        events = conn.scalar(text("SELECT sum(length(CAST(data AS TEXT)) + 300) FROM audit_event"))
        rows = conn.scalar(text("SELECT (SELECT count(*) FROM human_task) * 400 + (SELECT count(*) FROM timer) * 250 "
                                "+ (SELECT sum(length(CAST(payload AS TEXT)) + 150) FROM outbox_event)"))
        docs = conn.scalar(text("SELECT sum(length(pdf) + length(signed_xml)) FROM document"))
    per = (state + events + rows) / count
    db.dispose()
    return {"procedures_per_s_with_documents": rate, "bytes_per_instance": per,
            "bytes_per_instance_with_documents": per + docs / count}


# -- timers ---------------------------------------------------------------------------------------------------------


def timers_section(count: int, pending: int) -> dict[str, float]:
    from engine.bootstrap import build_engine, make_db_engine
    from engine.clock import SimulatedClock
    from engine.store.tables import ProcessInstance, Timer
    from tests.support import make_engine, start_review

    url = pg_database()
    try:
        wiring, clock = make_engine(url, datetime(2025, 3, 3, 4, tzinfo=UTC))
        template = start_review(wiring, registered_at="2025-03-03T10:00:00+05:00")
        with wiring.db.connect() as conn:
            row = conn.execute(select(ProcessInstance).where(ProcessInstance.id == template.id)).mappings().one()
            timer = conn.execute(select(Timer).where(Timer.instance_id == template.id)).mappings().one()
        _copy_instances(wiring.db, row, timer, count, due=timer["due_at"])
        later = SimulatedClock(timer["due_at"] + timedelta(days=1))
        scheduler = build_engine(make_db_engine(url), clock=later)
        started = time.perf_counter()
        fired = scheduler.engine.fire_due_timers()
        fire_s = time.perf_counter() - started
        assert len(fired) == count + 1, len(fired)
        _copy_instances(wiring.db, row, timer, pending, due=timer["due_at"] + timedelta(days=3650))
        script = ("import time, sys; t=time.perf_counter(); from datetime import datetime, UTC; "
                  "from engine.bootstrap import build_engine, make_db_engine; from engine.clock import SimulatedClock; "
                  f"e=build_engine(make_db_engine({url!r}), "
                  "clock=SimulatedClock(datetime(2026,1,1,tzinfo=UTC))).engine;"
                  "e.fire_due_timers(); e.next_timer_due(); print(time.perf_counter()-t); "
                  "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
        start_s, rss_kb = out.stdout.split()
        wiring.db.dispose()
        scheduler.db.dispose()
        return {"timers_10k_s": fire_s * 10_000 / count, "timers_fired": count, "timers_fire_s": fire_s,
                "scheduler_start_100k_s": float(start_s) if pending == 100_000 else float(start_s),
                "scheduler_pending_timers": pending, "scheduler_peak_rss_mb": int(rss_kb) / 1024}
    finally:
        drop(url)


def _copy_instances(db: Any, row: Any, timer: Any, count: int, *, due: datetime, batch: int = 5000) -> None:
    import re
    import uuid

    from sqlalchemy import insert

    from engine.store.tables import ProcessInstance, Timer

    ids = sorted(set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", row["state_json"])))
    pattern = re.compile("|".join(ids))
    for start in range(0, count, batch):
        insts, timers = [], []
        for _ in range(min(batch, count - start)):
            ident = str(uuid.uuid4())
            fresh = {old: str(uuid.uuid4()) for old in ids}  # every copy gets task ids of its own
            state = pattern.sub(lambda m, f=fresh: f[m.group(0)], row["state_json"])
            insts.append({**dict(row), "id": ident, "version_id": 1, "state_json": state})
            timers.append({"instance_id": ident, "spiff_task_id": fresh[timer["spiff_task_id"]],
                           "element": timer["element"],
                           "name": timer["name"], "clause": timer["clause"], "attached_to": timer["attached_to"],
                           "due_at": due, "created_at": timer["created_at"], "fired_at": None, "cancelled_at": None})
        with db.begin() as conn:
            conn.execute(insert(ProcessInstance), insts)
            conn.execute(insert(Timer), timers)


# -- HTTP -------------------------------------------------------------------------------------------------------------


def http_section(instances: int, requests: int) -> dict[str, float]:
    from engine.bootstrap import make_db_engine
    from web import create_app

    url = pg_database()
    keys = Path(tempfile.mkdtemp())
    env = {**os.environ, "LICENSING_DATABASE_URL": url, "LICENSING_DEMO": "1", "LICENSING_CLOCK": "simulated",
           "LICENSING_KEYS_DIR": str(keys), "LICENSING_SECRET_KEY": "bench"}
    try:
        app = create_app({"DATABASE_URL": url, "DEMO": True, "CLOCK": "simulated", "KEYS_DIR": str(keys)})
        app.extensions["licensing"].wiring.db.dispose()
        from bench.load import fill

        db = make_db_engine(url)
        fill(db, instances)
        with db.begin() as conn:
            conn.execute(text("ANALYZE"))
        db.dispose()
        port = _free_port()
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "web.wsgi:app"], cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            officer, auditor = _token(base, "officer"), _token(base, "auditor")
            tasklist = _load(base + "/api/v1/tasks?limit=50", officer, requests)
            tasklist_filtered = _load(base + "/api/v1/tasks?limit=50&applicant=%D0%BD%D2%B1%D1%80", officer,
                                      requests // 2)
            search = _load(base + "/api/v1/instances?limit=50", auditor, requests)
            search_filtered = _load(base + "/api/v1/instances?limit=50&bin_iin=210340000777", auditor, requests // 2)
            rss = _worker_rss(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=20)
        return {"tasklist_p50_ms": tasklist["p50"], "tasklist_p95_ms": tasklist["p95"],
                "tasklist_p99_ms": tasklist["p99"], "tasklist_rps": tasklist["rps"],
                "tasklist_filtered_p95_ms": tasklist_filtered["p95"],
                "search_p50_ms": search["p50"], "search_p95_ms": search["p95"], "search_p99_ms": search["p99"],
                "search_rps": search["rps"], "search_filtered_p95_ms": search_filtered["p95"],
                "web_worker_peak_rss_mb": rss, "http_instances": instances}
    finally:
        drop(url)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _token(base: str, user: str) -> str:
    req = urllib.request.Request(base + "/api/v1/auth/token", data=json.dumps({"username": user, "password": user})
                                 .encode(), headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=10).read())["token"]


def _load(url: str, token: str, count: int, threads: int = 4) -> dict[str, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per = max(1, count // threads)

    def worker() -> None:
        for _ in range(per):
            req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
            t = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()
                assert r.status == 200
            with lock:
                latencies.append((time.perf_counter() - t) * 1000)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    elapsed = time.perf_counter() - started
    return {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95), "p99": percentile(latencies, 0.99),
            "rps": len(latencies) / elapsed}


def _worker_rss(master: int) -> float:
    peaks = []
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(status.split("VmHWM:")[1].split()[0]) / 1024)
    return max(peaks) if peaks else 0.0


def _reliability(timers: int, requests: int) -> dict[str, Any]:
    from bench.reliability import reliability_section

    return reliability_section(timers, requests)


TARGETS = [("reliability_lost_timers", "<=", 0), ("reliability_duplicated_timers", "<=", 0),
           ("reliability_5xx", "<=", 0),
           ("engine_vs_bare_ratio", "<=", 2.0), ("tasklist_p95_ms", "<=", 50.0), ("search_p95_ms", "<=", 50.0),
           ("timers_10k_s", "<=", 10.0), ("bytes_per_instance", "<=", 50_000)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    runs = 3
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick, "at": datetime.now(UTC).isoformat()}
    sections = [("engine", lambda: engine_section(max(5, 30 // scale), runs)),
                ("documents", lambda: documents_section(max(2, 10 // scale))),
                ("timers", lambda: timers_section(10_000 // scale, 100_000 // scale)),
                ("http", lambda: http_section(100_000 // scale, 400 // (2 if args.quick else 1))),
                ("reliability", lambda: _reliability(2000 // scale, 600 // scale))]
    for name, fn in sections:
        started = time.perf_counter()
        print(f"… {name}", flush=True)
        results.update(fn())
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print("\nmachine: " + ", ".join(f"{k}={v}" for k, v in results["machine"].items()))
    print(f"{'figure':<36}{'value':>14}  target")
    for key, value in results.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            target = next((f"{op} {limit:g} — {'met' if value <= limit else 'MISSED'}" for k, op, limit in TARGETS
                           if k == key), "")
            print(f"{key:<36}{value:>14.2f}  {target}")


if __name__ == "__main__":
    main()
