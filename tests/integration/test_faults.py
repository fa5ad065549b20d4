"""Faults on PostgreSQL: killed workers, two schedulers, downtime, bursts of concurrent completions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from engine.bootstrap import build_engine, make_db_engine
from engine.clock import SimulatedClock
from engine.errors import Conflict
from engine.store.tables import AuditEvent, HumanTask, ProcessInstance, Timer
from tests.conftest import ROOT
from tests.support import at_once, make_engine, open_tasks, start_review

T0 = datetime(2025, 3, 3, 4, 0, tzinfo=UTC)  # Monday 09:00 local


def _start_many(wiring, count: int) -> None:
    for i in range(count):
        day = 3 + (i % 4)  # different registration days -> different due moments
        start_review(wiring, registered_at=f"2025-03-0{day}T10:00:00+05:00")


def test_two_schedulers_running_together_never_double_fire(pg_url):
    wiring, _ = make_engine(pg_url, T0)
    _start_many(wiring, 24)
    later = T0 + timedelta(days=10)
    schedulers = [build_engine(make_db_engine(pg_url), clock=SimulatedClock(later)) for _ in range(2)]
    results = at_once(*(s.engine.operator.fire_due_timers for s in schedulers))
    fired = results[0] + results[1]
    assert len(fired) == 24
    assert len({f.instance_id for f in fired}) == 24
    with wiring.engine.session_factory() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.kind == "timer_fired")) == 24
        assert session.scalar(select(func.count()).where(Timer.fired_at.is_not(None))) == 24
    assert wiring.engine.auditor.verify_audit().valid


def test_a_scheduler_down_for_a_day_fires_the_missed_timers_in_due_order(pg_url):
    wiring, _ = make_engine(pg_url, T0)
    _start_many(wiring, 8)
    restarted = build_engine(make_db_engine(pg_url), clock=SimulatedClock(T0 + timedelta(days=9)))
    fired = restarted.engine.operator.fire_due_timers()
    assert len(fired) == 8
    assert [f.due_at for f in fired] == sorted(f.due_at for f in fired)


def test_a_burst_of_concurrent_completions_yields_exactly_one_success_per_task(pg_url):
    wiring, _ = make_engine(pg_url, T0)
    for _ in range(6):
        start_review(wiring)
    tasks = open_tasks(wiring)
    assert len(tasks) == 6
    successes: list[str] = []
    conflicts: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def worker(n: int) -> None:
        engine = build_engine(make_db_engine(pg_url), clock=wiring.engine.clock).engine
        barrier.wait()
        for task in tasks:
            try:
                engine.officer.complete_task(task.id, {"decision": "incomplete", "reason": f"worker {n}"},
                                     actor=f"officer{n}", roles=["officer"])
                with lock:
                    successes.append(task.id)
            except Conflict:
                with lock:
                    conflicts.append(task.id)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(successes) == sorted(t.id for t in tasks)
    assert len(conflicts) == 3 * 6
    with wiring.engine.session_factory() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.kind == "task_completed")) == 6
        assert session.scalar(select(func.count()).where(ProcessInstance.status == "completed")) == 6


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from datetime import datetime, UTC
    from engine.bootstrap import build_engine, make_db_engine
    from engine.clock import SimulatedClock
    from engine.bootstrap import default_registry

    registry = default_registry()
    def stuck(call):
        call.step.audit("half_written", data={})
        call.step.session.flush()
        print("IN-STEP", flush=True)
        time.sleep(600)
        return {}
    registry.register("noop", description="stuck")(stuck)
    wiring = build_engine(make_db_engine(sys.argv[1]), clock=SimulatedClock(datetime(2025, 3, 3, 4, tzinfo=UTC)),
                          operations=registry)
    wiring.engine.officer.start_instance("example_review", {"registered_at": "2025-03-03T10:00:00+05:00",
                                                    "application_id": "a"}, actor="portal")
""")


def test_kill_9_in_the_middle_of_a_step_leaves_no_half_written_state(pg_url):
    wiring, _ = make_engine(pg_url, T0)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, pg_url], stdout=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    assert "IN-STEP" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.5)
    with wiring.engine.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 0
        assert session.scalar(select(func.count()).select_from(HumanTask)) == 0
        assert session.scalar(select(func.count()).select_from(Timer)) == 0
        assert session.scalar(select(func.count()).where(AuditEvent.kind == "half_written")) == 0
    # the step is simply done again, and completes
    instance = start_review(wiring)
    assert instance.active == ["review", "review_deadline"]
    assert wiring.engine.auditor.verify_audit().valid


class _Proxy:
    """A TCP proxy in front of PostgreSQL that the test can cut and restore."""

    def __init__(self, target_port: int = 5432) -> None:
        import socket

        self.target = ("127.0.0.1", target_port)
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(50)
        self.port = self.server.getsockname()[1]
        self.up = True
        self.conns: list = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self) -> None:
        self.up = False
        for s in self.conns:
            try:
                s.close()
            except OSError:
                pass
        self.conns = []

    def restore(self) -> None:
        self.up = True


def test_the_database_going_away_gives_a_clear_503_loses_nothing_and_work_resumes(pg_url, tmp_path):
    from sqlalchemy.engine import make_url

    from tests.web.conftest import make_app
    from tests.web.portal import Api

    make_engine(pg_url, T0, deploy=())  # schema via create_all is fine; the app migrates its own
    proxy = _Proxy(make_url(pg_url).port or 5432)
    proxied = make_url(pg_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = make_app(proxied, tmp_path)
    api = Api(app.test_client())
    api.token("admin")
    assert app.test_client().get("/healthz").status_code == 200
    proxy.cut()
    down = app.test_client().get("/healthz")
    assert down.status_code == 503 and down.get_json()["errors"]
    r = api.get("/api/v1/processes", user="admin")
    assert r.status_code == 503 and "database" in r.get_json()["errors"][0]["message"]
    proxy.restore()
    assert app.test_client().get("/healthz").status_code == 200
    assert api.get("/api/v1/processes", user="admin").status_code == 200
    app.extensions["licensing"].wiring.db.dispose()


pytestmark = pytest.mark.postgres
