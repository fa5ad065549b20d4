"""Where the persisted engine spends its time: ``python -m bench.profile [--workload …] [--db …] [-n N]``.

Runs one workload under pyinstrument (``pip install pyinstrument``; it is not a dependency of the app)
and counts every SQL statement, then prints per procedure (or per fired timer):

- the time by phase of an engine step (restore state, run the diagram, sync rows, audit, serialize, commit …),
  the innermost phase on the stack owning each sample;
- the time by layer where the sample was taken (SpiffWorkflow, SQLAlchemy ORM, the database driver, json …);
- the SQL statements: how many, how long the database took, the most expensive ones;
- with ``--tree``, pyinstrument's call tree; with ``--html FILE``, its interactive page.

Workloads: ``licence`` (the licence-issue procedure through LicensingService, documents stubbed — PDF
rendering is WeasyPrint's cost, not the engine's), ``canned`` (the engine alone: licence issue with the
operations answering canned JSON), ``timers`` (due completeness_check deadlines fired by the engine).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.common import MORNING, pg_database

# (label, path suffix, function): the innermost phase on a sample's stack owns the sample
PHASES = [
    ("task list lookup (engine.officer.list_tasks)", "engine/queries.py", "list_tasks"),
    ("restore state (JSON -> SpiffWorkflow)", "engine/bpmn/serializer.py", "load_state"),
    ("serialize state (SpiffWorkflow -> JSON)", "engine/bpmn/serializer.py", "dump_state"),
    ("run the diagram (SpiffWorkflow, sandbox)", "engine/runtime/step.py", "advance"),
    ("service-task operations", "engine/runtime/step.py", "dispatch"),
    ("audit events (hash chain)", "engine/audit.py", "append"),
    ("sync: timer rows", "engine/runtime/step.py", "_sync_timers"),
    ("sync: human-task rows", "engine/runtime/step.py", "_sync_human_tasks"),
    ("sync: path, monitoring feed", "engine/runtime/step.py", "sync"),
    ("sync: task states before / after the step", "engine/runtime/step.py", "mirror"),
    ("queued rows: one executemany per table", "engine/store/bulk.py", "write"),
    ("lock / load the instance row", "engine/runtime/instances.py", "_lock_instance"),
    ("task row lookup", "engine/runtime/instances.py", "_task_row"),
    ("form validation", "engine/bootstrap.py", "validate_form"),
    ("instance view (answer)", "engine/queries.py", "instance_view"),
    ("application: submit checks, get_application", "engine/licensing/service.py", "submit"),
    ("begin / commit / close", "engine/transactions.py", "transaction"),
    ("begin / commit / close", "engine/runtime/timers.py", "_fire_batch"),
    ("timer: claim due instances", "engine/runtime/timers.py", "claim"),
]
LAYERS = [("database driver (psycopg / sqlite3)", ("psycopg", "sqlite3")), ("SQLAlchemy", ("sqlalchemy",)),
          ("SpiffWorkflow", ("SpiffWorkflow",)), ("json", ("/json/",)), ("copy.deepcopy", ("/copy.py",)),
          ("legal time", ("engine/legal_time", "holidays", "zoneinfo")),
          ("sandbox (ast/eval)", ("engine/bpmn/sandbox",)), ("engine", ("engine/",)), ("bench driver", ("bench/",))]


class SqlCounter:
    def __init__(self) -> None:
        self.stats: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])

    def install(self, db: Any) -> None:
        @event.listens_for(db, "before_cursor_execute")
        def _before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            conn.info["bench_t0"] = time.perf_counter()

        @event.listens_for(db, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            key = re.sub(r"\s+", " ", statement)
            key = re.sub(r"\(([^()]{60,})\)", "(…)", key)[:96]
            entry = self.stats[key]
            entry[0] += 1
            entry[1] += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())

    def reset(self) -> None:
        self.stats.clear()


def _walk(frame: Any, phase: str, phases: dict[str, float], layers: dict[str, float], parent: str = "") -> None:
    path = (frame.file_path or "").replace("\\", "/") or parent  # "[self]" leaves: the parent's own time
    for label, suffix, function in PHASES:
        if frame.function == function and path.endswith(suffix):
            phase = label
            break
    own = frame.total_self_time
    if own:
        phases[phase] += own
        layer = next((name for name, marks in LAYERS if any(m in path for m in marks)), "other (Python, stdlib)")
        layers[layer] += own
    for child in frame.children:
        _walk(child, phase, phases, layers, path)


@contextlib.contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "postgres":
        with pg_database("profile") as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
            yield f"sqlite:///{tmp}/profile.db"


def _prepare(workload: str, url: str, n: int, keys: Path) -> tuple[Any, Any, str]:
    """Returns (database engine, the measured callable, unit)."""
    from bench import procedures

    if workload == "canned":
        wiring = procedures.canned_wiring(url)
        procedures.canned_procedure(wiring)
        return wiring.db, lambda: [procedures.canned_procedure(wiring) for _ in range(n)], "procedure"
    if workload == "licence":
        app = procedures.make_app(url, keys, now=MORNING)
        driver = procedures.LicenceDriver(app, documents="stub")
        driver.run(driver.prepare())
        bodies = [driver.prepare() for _ in range(n)]
        return app.extensions["licensing"].wiring.db, lambda: [driver.run(b) for b in bodies], "procedure"
    if workload == "timers":
        from bench.clones import copy_instances, load_template
        from engine import legal_time

        app = procedures.make_app(url, keys, now=legal_time.iso(datetime.now(UTC) - timedelta(days=10)))
        driver = procedures.LicenceDriver(app, documents="stub")
        services = app.extensions["licensing"]
        instance_id = driver.licensing.get_application(driver.submit(driver.prepare()))["instance_id"]
        copy_instances(services.wiring.db, load_template(services.wiring.db, instance_id), n - 1)
        services.clock.set(datetime.now(UTC))

        def fire() -> None:
            fired = services.engine.operator.fire_due_timers()
            if len(fired) != n:
                raise RuntimeError(f"fired {len(fired)} of {n}")

        return services.wiring.db, fire, "fired timer"
    raise SystemExit(f"unknown workload {workload}")


def run(workload: str, db_kind: str, n: int, *, tree: bool = False, html: str | None = None) -> dict[str, Any]:
    from pyinstrument import Profiler

    with _database(db_kind) as url, tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        db, work, unit = _prepare(workload, url, n, Path(keys))
        counter = SqlCounter()
        counter.install(db)
        profiler = Profiler(interval=0.001)
        started = time.perf_counter()
        profiler.start()
        work()
        profiler.stop()
        elapsed = time.perf_counter() - started
        db.dispose()
    session = profiler.last_session
    phases: dict[str, float] = collections.defaultdict(float)
    layers: dict[str, float] = collections.defaultdict(float)
    root = session.root_frame() if session else None
    if root is not None:
        _walk(root, "other", phases, layers)
    total = sum(phases.values()) or 1.0
    print(f"\n== {workload} on {db_kind}: {n} × {unit}, {elapsed / n * 1000:.1f} ms per {unit} under the profiler")
    print(f"\n{'phase':<48}{'ms/' + unit:>14}{'share':>8}")
    for label, seconds in sorted(phases.items(), key=lambda kv: -kv[1]):
        print(f"{label:<48}{seconds / n * 1000:>14.2f}{seconds / total:>8.0%}")
    print(f"\n{'layer (where the sample was taken)':<48}{'ms/' + unit:>14}{'share':>8}")
    for label, seconds in sorted(layers.items(), key=lambda kv: -kv[1]):
        print(f"{label:<48}{seconds / n * 1000:>14.2f}{seconds / total:>8.0%}")
    count = sum(v[0] for v in counter.stats.values())
    sql_s = sum(v[1] for v in counter.stats.values())
    print(f"\nSQL: {count / n:.1f} statements per {unit}, {sql_s / n * 1000:.1f} ms in cursor.execute "
          f"({sql_s / elapsed:.0%} of the wall time)")
    for statement, (calls, seconds) in sorted(counter.stats.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"  {calls / n:6.1f}× {seconds / n * 1000:7.2f} ms  {statement}")
    if tree and session is not None:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    if html:
        Path(html).write_text(profiler.output_html(), encoding="utf-8")
        print(f"written {html}")
    return {"phases_ms": {k: v / n * 1000 for k, v in phases.items()},
            "layers_ms": {k: v / n * 1000 for k, v in layers.items()}, "sql_statements": count / n,
            "sql_ms": sql_s / n * 1000, "ms_per_unit": elapsed / n * 1000}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workload", default="all", help="licence, canned, timers or all (default)")
    parser.add_argument("--db", default="postgres", choices=("postgres", "sqlite"))
    parser.add_argument("-n", type=int, default=40, help="procedures (or timers) to profile")
    parser.add_argument("--tree", action="store_true", help="print pyinstrument's call tree too")
    parser.add_argument("--html", help="write pyinstrument's HTML page here (single workload)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        raise SystemExit("pyinstrument is not installed: .venv/bin/pip install pyinstrument") from None
    workloads = ["canned", "licence", "timers"] if args.workload == "all" else [args.workload]
    for workload in workloads:
        n = args.n * 5 if workload == "timers" else args.n
        run(workload, args.db, n, tree=args.tree, html=args.html if len(workloads) == 1 else None)


if __name__ == "__main__":
    main()
