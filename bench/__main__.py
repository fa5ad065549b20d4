"""``python -m bench [--quick]``: the figures of issues 10 and 19, printed as a table, written to bench/results.json.

Sections (``--only`` runs some of them and writes bench/results-<sections>.json instead):

- engine   in-process procedures per second: bare SpiffWorkflow, the engine alone (canned operations),
           the example diagram, the licence-issue procedure with documents stubbed and with real documents,
           on SQLite and PostgreSQL; bytes per finished instance
- timers   10 000 due timers of instances the engine started, fired by two scheduler processes
- http     gunicorn --workers 2 on PostgreSQL with 100 000 instances: task list, instance search, task
           completion; web worker RSS; then the scheduler's start-up against the same 100 000 pending timers
- reliability  two schedulers and four web workers under load: every due timer fires once, no 5xx
- sandbox  µs per evaluation of a timer expression and a gateway condition, sandboxed and plain eval
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import math
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.common import FULL, QUICK, ROOT, Sizes, log, median, peak_rss_mb, pg_available, pg_database, stop_server

TARGETS = {
    "engine_vs_bare_ratio": (2.0, "persisted engine within 2x of bare SpiffWorkflow"),
    "tasklist_p95_ms": (50.0, "task list p95 < 50 ms at 100 000 instances"),
    "search_p95_ms": (50.0, "instance search p95 < 50 ms at 100 000 instances"),
    "timers_10k_s": (10.0, "10 000 due timers fired in < 10 s"),
    "bytes_per_instance": (20_000.0, "< 20 kB per instance, documents excluded"),
    "engine_vs_floor_ratio": (1.5, "persisted engine within 1.5x of the persistence floor"),
}


# -- engine -----------------------------------------------------------------------------------------------------


def engine_section(sizes: Sizes, results: dict[str, Any]) -> None:
    from bench import bare, procedures, storage

    runs = sizes.runs
    tmp = Path(tempfile.mkdtemp(prefix="bench-engine-"))

    licence, example = bare.BareLicenceIssue(), bare.BareExampleReview()
    rates = [bare.throughput(licence, sizes.bare_procedures) for _ in range(runs)]
    results["bare_procedures_per_s"] = median(rates)
    results["bare_example_per_s"] = median([bare.throughput(example, sizes.bare_procedures) for _ in range(runs)])
    floor = bare.FloorLicenceIssue(tmp / "floor.db")
    results["floor_procedures_per_s"] = median([bare.throughput(floor, sizes.floor_procedures)
                                                for _ in range(runs)])
    floor.db.close()
    log(f"bare SpiffWorkflow: {results['bare_procedures_per_s']:.0f} licence issues/s, "
        f"{results['bare_example_per_s']:.0f} example reviews/s; persistence floor (SQLite) "
        f"{results['floor_procedures_per_s']:.0f} licence issues/s")

    for db_name in ("sqlite", "postgres"):
        def url(tag: str, name: str = db_name) -> Any:
            if name == "sqlite":
                import contextlib

                return contextlib.nullcontext(f"sqlite:///{tmp / tag}.db")
            return pg_database(tag)

        with url("canned") as u:
            rates = procedures.canned_throughput(u, count=sizes.procedures_nodocs, runs=runs)["rates"]
        results[f"engine_alone_per_s_{db_name}"] = median(rates)
        with url("example") as u:
            rates = procedures.example_throughput(u, count=sizes.example_procedures, runs=runs)["rates"]
        results[f"example_per_s_{db_name}"] = median(rates)
        with url("nodocs") as u:
            nodocs = procedures.licence_throughput(u, documents="stub", count=sizes.procedures_nodocs, runs=runs,
                                                   growth=db_name == "postgres")
        results[f"procedures_per_s_nodocs_{db_name}"] = median(nodocs["rates"])
        if nodocs["growth"]:
            results.update(nodocs["growth"])
        with url("docs") as u:
            measured = procedures.licence_throughput(
                u, documents="real", count=sizes.procedures_docs, runs=runs,
                inspect=storage.inspect_with_documents if db_name == "postgres" else None)
        results[f"procedures_per_s_{db_name}"] = median(measured["rates"])
        results[f"ms_per_procedure_{db_name}"] = median(measured["per_procedure_s"]) * 1000
        if measured["inspected"]:
            results.update(measured["inspected"])
        log(f"{db_name}: engine alone {results[f'engine_alone_per_s_{db_name}']:.1f}/s, example "
            f"{results[f'example_per_s_{db_name}']:.1f}/s, licence issue without documents "
            f"{results[f'procedures_per_s_nodocs_{db_name}']:.1f}/s, with documents "
            f"{results[f'procedures_per_s_{db_name}']:.2f}/s")

    results["bytes_per_instance_with_documents"] = (results["bytes_per_instance"]
                                                    + results.get("documents_bytes_per_instance", float("nan")))
    log(f"storage: {results['bytes_per_instance'] / 1000:.1f} kB per finished instance (pg_total_relation_size "
        f"growth over the {results['storage_growth_instances']} timed PostgreSQL procedures, documents stubbed); "
        f"real documents add {results.get('documents_bytes_per_instance', float('nan')) / 1000:.1f} kB")

    bare_rate, example_rate = results["bare_procedures_per_s"], results["bare_example_per_s"]
    results["engine_vs_bare_ratio"] = bare_rate / results["engine_alone_per_s_sqlite"]
    results["engine_vs_floor_ratio"] = results["floor_procedures_per_s"] / results["engine_alone_per_s_sqlite"]
    results["floor_vs_bare_ratio"] = bare_rate / results["floor_procedures_per_s"]
    results["engine_vs_bare_ratio_postgres"] = bare_rate / results["engine_alone_per_s_postgres"]
    results["engine_vs_bare_ratio_example_sqlite"] = example_rate / results["example_per_s_sqlite"]
    results["engine_vs_bare_ratio_example_postgres"] = example_rate / results["example_per_s_postgres"]
    results["nodocs_vs_bare_ratio_sqlite"] = bare_rate / results["procedures_per_s_nodocs_sqlite"]
    results["documents_vs_bare_ratio_sqlite"] = bare_rate / results["procedures_per_s_sqlite"]


# -- timers -----------------------------------------------------------------------------------------------------


def timers_section(sizes: Sizes, results: dict[str, Any]) -> None:
    from bench import timers

    runs = [timers.fire_run(sizes.timers) for _ in range(sizes.timer_runs)]
    fire_s = median([r["fire_s"] for r in runs])
    results["timers_count"] = sizes.timers
    results["timers_schedulers"] = 2
    results["timers_fire_s"] = fire_s
    results["timers_per_s"] = sizes.timers / fire_s
    results["timers_10k_s"] = fire_s * 10_000 / sizes.timers
    results["timers_10k_basis"] = "measured" if sizes.timers == 10_000 else f"extrapolated from {sizes.timers}"
    results["timers_setup_s"] = median([r["setup_s"] for r in runs])
    results["timers_scheduler_cpu_ms"] = median([r["scheduler_cpu_ms_per_timer"] for r in runs])
    results["timers_claim_ms"] = median([r["claim_ms_per_timer"] for r in runs])
    results["scheduler_fire_peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)


# -- HTTP -------------------------------------------------------------------------------------------------------


def http_section(sizes: Sizes, results: dict[str, Any]) -> None:
    from sqlalchemy import create_engine, text

    from bench import dataset, timers, web_load

    with pg_database("http") as url, tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        # gunicorn's workers only read at start-up: they import the app and connect while the dataset loads;
        # nothing is measured before the dataset is complete and the workers answer
        servers: list[web_load.Gunicorn] = []
        try:
            made = dataset.build(url, Path(keys), instances=sizes.instances, real=sizes.real_instances,
                                 schema_ready=lambda: servers.append(web_load.Gunicorn(url, Path(keys))))
        except BaseException:
            for early in servers:
                stop_server(early)
            raise
        server = servers[0]
        db = create_engine(url)
        try:
            counts = made["counts"]
            results["http_instances"] = counts["process_instance"]
            results["http_dataset"] = counts
            results["http_dataset_s"] = made["seconds"]
            results["disk_bytes_per_instance"] = counts["database_bytes"] / counts["process_instance"]
            log(f"dataset: {counts['process_instance']} instances, {counts['human_task']} tasks "
                f"({counts['open_tasks']} open), {counts['timer']} timers ({counts['pending_timers']} pending), "
                f"{counts['audit_event']} audit events, {counts['database_bytes'] / 2**30:.2f} GiB "
                f"in {made['seconds']:.0f} s")
            with db.connect() as conn:
                bin_iin = conn.execute(text("SELECT bin_iin FROM application ORDER BY number LIMIT 1 "
                                            "OFFSET 77")).scalar()
            word = quote(dataset.WORDS[3].casefold())
            server.wait()
            port = server.port
            officer, auditor = web_load.token(port, "officer"), web_load.token(port, "auditor")
            n, few = sizes.http_requests, max(10, sizes.http_requests // 4)
            tasks = {"plain": "/api/v1/tasks?limit=50", "applicant": f"/api/v1/tasks?limit=50&applicant={word}",
                     "subtype": "/api/v1/tasks?limit=50&subtype=II", "queue": "/api/v1/tasks?limit=50&box=queue",
                     "deep_page": "/api/v1/tasks?limit=50&offset=2000"}
            search = {"plain": "/api/v1/instances?limit=50", "running": "/api/v1/instances?limit=50&status=running",
                      "applicant": f"/api/v1/instances?limit=50&applicant={word}",
                      "bin_iin": f"/api/v1/instances?limit=50&bin_iin={bin_iin}",
                      "issued_by_end": "/api/v1/instances?limit=50&outcome=issued&sort=-ended_at",
                      "officer": "/api/v1/instances?limit=50&officer=officer2",
                      # the signer signed every decided licence: tens of thousands of tasks, all in finished
                      # instances older than every running one
                      "officer_busy": "/api/v1/instances?limit=50&officer=signer"}
            # warm-up: both workers import, connect and fill their caches
            web_load.load(port, [("GET", tasks["plain"], None)] * 8, officer, threads=sizes.http_threads)
            web_load.load(port, [("GET", search["plain"], None)] * 8, auditor, threads=sizes.http_threads)
            variants: dict[str, Any] = {}
            for group, paths, token in (("tasklist", tasks, officer), ("search", search, auditor)):
                pooled: list[float] = []
                for name, path in paths.items():
                    count = n if name == "plain" else few
                    r = web_load.load(port, [("GET", path, None)] * count, token, threads=sizes.http_threads)
                    if r.errors:
                        raise RuntimeError(f"{group}/{name}: {r.errors[:3]}")
                    variants[f"{group}_{name}"] = r.summary()
                    pooled += r.latencies_ms
                    if name == "plain":
                        for key, value in r.summary().items():
                            if key in ("p50_ms", "p95_ms", "p99_ms", "rps"):
                                results[f"{group}_{key}"] = value
                from bench.common import percentile

                results[f"{group}_all_variants_p95_ms"] = percentile(pooled, 95)
                slowest = max((v for v in variants if v.startswith(group)), key=lambda v: variants[v]["p95_ms"])
                results[f"{group}_slowest_variant"] = slowest
                results[f"{group}_slowest_variant_p95_ms"] = variants[slowest]["p95_ms"]
                log(f"{group}: p95 {results[f'{group}_p95_ms']:.1f} ms (plain), slowest {slowest} "
                    f"{variants[slowest]['p95_ms']:.1f} ms")
            results["http_variants"] = variants

            completion: list[float] = []
            elapsed = 0.0
            real = made["real_applications"]
            for element, decision in (("completeness_check", "complete"), ("qualification_check", "compliant")):
                with db.connect() as conn:
                    ids = [r[0] for r in conn.execute(text(
                        "SELECT id FROM human_task WHERE status = 'open' AND element = :e "
                        "AND application_id = ANY(:a)"), {"e": element, "a": real})]
                if len(ids) != len(real):
                    raise RuntimeError(f"{len(ids)} open {element} tasks of {len(real)} real applications")
                calls = [("POST", f"/api/v1/tasks/{i}/complete", {"data": {"decision": decision}}) for i in ids]
                r = web_load.load(port, calls, officer, threads=sizes.http_threads)
                if r.errors:
                    raise RuntimeError(f"task completion: {r.errors[:3]}")
                completion += r.latencies_ms
                elapsed += r.elapsed_s
            from bench.common import percentile

            results["complete_p50_ms"] = percentile(completion, 50)
            results["complete_p95_ms"] = percentile(completion, 95)
            results["complete_p99_ms"] = percentile(completion, 99)
            results["complete_rps"] = len(completion) / elapsed
            log(f"task completion: p95 {results['complete_p95_ms']:.1f} ms, {results['complete_rps']:.1f}/s")
            from bench import submissions

            results.update(submissions.measure(url, Path(keys), db, port, count=sizes.submissions,
                                               clients=sizes.submission_clients))
            log(f"{sizes.submissions} submissions with receipts from {sizes.submission_clients} clients at once: "
                f"{results['submissions_per_s']:.1f}/s, p95 {results['submit_p95_ms']:.0f} ms")
            rss = server.worker_peak_rss_mb()
            results["web_worker_peak_rss_mb"] = max(rss)
        finally:
            stop_server(server)
        db.dispose()

        starts = [timers.probe(url, Path(keys)) for _ in range(sizes.scheduler_runs)]
        if any(s.get("fired") for s in starts):
            raise RuntimeError("the scheduler fired timers at start-up: pending timers were meant to be due later")
        results["scheduler_start_100k_s"] = median([s["startup_s"] for s in starts])
        results["scheduler_first_poll_s"] = median([s["fire_s"] for s in starts])
        results["scheduler_pending_timers"] = counts["pending_timers"]
        results["scheduler_start_peak_rss_mb"] = max(s["peak_rss_mb"] for s in starts)
        log(f"scheduler start-up with {counts['pending_timers']} pending timers: "
            f"{results['scheduler_start_100k_s']:.2f} s")


# -- reliability ----------------------------------------------------------------------------------------------


def reliability_section(sizes: Sizes, results: dict[str, Any]) -> None:
    from bench.reliability import reliability_run

    results.update(reliability_run(sizes.reliability_timers, sizes.reliability_requests))


def sandbox_section(sizes: Sizes, results: dict[str, Any]) -> None:
    from bench import sandbox

    results.update(sandbox.measure(count=2_000 if sizes.label == "quick" else 20_000, runs=sizes.runs))
    log(sandbox.report(results))


# -- report ------------------------------------------------------------------------------------------------------

ROWS = [
    ("Engine, in-process (procedures per second)", None, ""),
    ("bare SpiffWorkflow, licence issue (lower bound)", "bare_procedures_per_s", "/s"),
    ("persistence floor: state serializer + one SQLite row per step", "floor_procedures_per_s", "/s"),
    ("engine alone, licence issue, operations canned, SQLite", "engine_alone_per_s_sqlite", "/s"),
    ("engine alone, licence issue, operations canned, PostgreSQL", "engine_alone_per_s_postgres", "/s"),
    ("  ratio engine alone / bare, SQLite", "engine_vs_bare_ratio", "x"),
    ("  ratio engine alone / bare, PostgreSQL", "engine_vs_bare_ratio_postgres", "x"),
    ("  ratio engine alone / floor, SQLite", "engine_vs_floor_ratio", "x"),
    ("bare SpiffWorkflow, example_review", "bare_example_per_s", "/s"),
    ("engine, example_review, SQLite", "example_per_s_sqlite", "/s"),
    ("engine, example_review, PostgreSQL", "example_per_s_postgres", "/s"),
    ("  ratio example engine / bare, SQLite", "engine_vs_bare_ratio_example_sqlite", "x"),
    ("  ratio example engine / bare, PostgreSQL", "engine_vs_bare_ratio_example_postgres", "x"),
    ("licence issue, documents stubbed, SQLite", "procedures_per_s_nodocs_sqlite", "/s"),
    ("licence issue, documents stubbed, PostgreSQL", "procedures_per_s_nodocs_postgres", "/s"),
    ("licence issue with documents (PDF+XMLDSig), SQLite", "procedures_per_s_sqlite", "/s"),
    ("licence issue with documents (PDF+XMLDSig), PostgreSQL", "procedures_per_s_postgres", "/s"),
    ("Storage per finished licence issue (PostgreSQL, as stored)", None, ""),
    ("bytes per instance, documents excluded (table growth)", "bytes_per_instance", "B"),
    ("  issued documents (PDF + signed XML, kk and ru) add", "documents_bytes_per_instance", "B"),
    ("bytes per instance, documents included", "bytes_per_instance_with_documents", "B"),
    ("  per-column model (no indexes), documents excluded", "bytes_per_instance_model", "B"),
    ("  uncompressed, documents excluded", "bytes_per_instance_raw", "B"),
    ("  of which serialized state, stored / uncompressed", ("state_json_bytes_stored", "state_json_bytes_raw"), "B"),
    ("Timers", None, ""),
    ("due timers on waiting instances / schedulers", ("timers_count", "timers_schedulers"), ""),
    ("time to fire 10 000 due timers", "timers_10k_s", "s"),
    ("  10 000 fired, or extrapolated from fewer", "timers_10k_basis", ""),
    ("timers fired per second", "timers_per_s", "/s"),
    ("  schedulers' CPU time per fired timer", "timers_scheduler_cpu_ms", "ms"),
    ("scheduler start-up, spawn to first poll done", "scheduler_start_100k_s", "s"),
    ("  pending timers in the database", "scheduler_pending_timers", ""),
    ("HTTP, gunicorn --workers 2, PostgreSQL", None, ""),
    ("instances in the database", "http_instances", ""),
    ("task list (page of 50) p50 / p95 / p99", ("tasklist_p50_ms", "tasklist_p95_ms", "tasklist_p99_ms"), "ms"),
    ("  throughput", "tasklist_rps", "/s"),
    ("  p95 over every filter variant", "tasklist_all_variants_p95_ms", "ms"),
    ("  the slowest variant, and its p95", ("tasklist_slowest_variant", "tasklist_slowest_variant_p95_ms"), "ms"),
    ("instance search (page of 50) p50 / p95 / p99", ("search_p50_ms", "search_p95_ms", "search_p99_ms"), "ms"),
    ("  throughput", "search_rps", "/s"),
    ("  p95 over every filter variant", "search_all_variants_p95_ms", "ms"),
    ("  the slowest variant, and its p95", ("search_slowest_variant", "search_slowest_variant_p95_ms"), "ms"),
    ("task completion p50 / p95 / p99", ("complete_p50_ms", "complete_p95_ms", "complete_p99_ms"), "ms"),
    ("  throughput", "complete_rps", "/s"),
    ("submissions with receipts (PDF + XMLDSig), clients at once", "submission_clients", ""),
    ("  submissions per second", "submissions_per_s", "/s"),
    ("  submission p50 / p95", ("submit_p50_ms", "submit_p95_ms"), "ms"),
    ("Reliability: 2 schedulers + 4 web workers, PostgreSQL", None, ""),
    ("due timers / fired / duplicated", ("reliability_timers", "reliability_fired",
                                         "reliability_duplicated_timers"), ""),
    ("requests / failed (5xx or refused)", ("reliability_requests", "reliability_5xx"), ""),
    ("  until every due timer had fired", "reliability_s", "s"),
    ("Diagram sandbox (µs per evaluation): sandboxed / plain eval", None, ""),
    ("timer expression add_working_days(registered_at, 2)", ("sandbox_eval_us", "plain_eval_us"), "µs"),
    ("gateway condition completeness_check['decision'] == …", ("sandbox_condition_us", "plain_condition_us"), "µs"),
    ("Memory (peak RSS)", None, ""),
    ("web worker under the HTTP load", "web_worker_peak_rss_mb", "MiB"),
    ("scheduler, start-up with the pending timers", "scheduler_start_peak_rss_mb", "MiB"),
    ("scheduler, firing the due timers", "scheduler_fire_peak_rss_mb", "MiB"),
    ("benchmark process", "bench_process_peak_rss_mb", "MiB"),
]


def _fmt(value: Any) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if math.isnan(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(results: dict[str, Any]) -> str:
    lines = [f"machine: {results['machine_summary']}", f"sizes: {results['sizes']} (median of {results['runs']} "
             "runs where a figure is a rate; see bench/README.md)", ""]
    width = 62
    for label, key, unit in ROWS:
        if key is None:
            lines.append(f"\n{label}")
            continue
        keys = key if isinstance(key, tuple) else (key,)
        if not all(k in results for k in keys):
            continue
        value = " / ".join(_fmt(results[k]) for k in keys)
        target = ""
        if keys[-1] in TARGETS or keys[0] in TARGETS:
            k = keys[-1] if keys[-1] in TARGETS else keys[0]
            limit, _ = TARGETS[k]
            met = results[k] <= limit
            target = f"target {_fmt(limit)}: {'met' if met else 'MISSED'} ({results[k] / limit:.1f}x the target)"
        lines.append(f"  {label:<{width}}{value:>20} {unit:<4} {target}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes (under a minute)")
    parser.add_argument("--timers", type=int, default=0,
                        help="due timers for the timers section (default: 2 000, 200 with --quick)")
    parser.add_argument("--only", default="", help="comma-separated sections: engine, timers, http, reliability, "
                                                   "sandbox")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # alembic and the app log at INFO when the app is built
    sizes = QUICK if args.quick else FULL
    if args.timers:
        sizes = dataclasses.replace(sizes, timers=args.timers)
    sections = {"engine": engine_section, "timers": timers_section, "http": http_section,
                "reliability": reliability_section, "sandbox": sandbox_section}
    chosen = [s.strip() for s in args.only.split(",") if s.strip()] or list(sections)
    unknown = set(chosen) - set(sections)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if not pg_available():
        print("PostgreSQL does not answer (set LICENSING_BENCH_PG_URL or run `make postgres`)", file=sys.stderr)
        return 2
    from bench import machine

    described = machine.describe()
    results: dict[str, Any] = {"machine": described, "machine_summary": machine.summary(described),
                               "quick": args.quick, "sizes": sizes.label, "runs": sizes.runs,
                               "at": datetime.now(UTC).isoformat(timespec="seconds")}
    started = time.perf_counter()
    print(f"benchmarks ({sizes.label}) on {results['machine_summary']}", flush=True)
    for name in chosen:
        t0 = time.perf_counter()
        print(f"\n{name} …", flush=True)
        sections[name](sizes, results)
        results[f"section_{name}_s"] = time.perf_counter() - t0
        print(f"  {name} took {time.perf_counter() - t0:.0f} s", flush=True)
    results["bench_process_peak_rss_mb"] = peak_rss_mb()
    results["total_s"] = time.perf_counter() - started
    print("\n" + table(results))
    print(f"\ntotal {results['total_s']:.0f} s")
    name = "results.json" if set(chosen) == set(sections) else f"results-{'-'.join(chosen)}.json"
    out = ROOT / "bench" / name
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
