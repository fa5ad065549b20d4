"""The ``licensing`` command (CONTRACT.md §1)."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from werkzeug.serving import run_simple

from engine import (
    DefinitionInvalid,
    Keystore,
    NcaLayerStandIn,
    SystemClock,
    build_engine,
    coverage_report,
    default_registry,
    legal_time,
    make_db_engine,
)
from web import SchemaNotCurrent, create_app
from web import config as settings
from web.backup import register as register_backup_commands
from web.config import DEFAULTS, ROOT, SettingInvalid, load
from web.observability import configure_logging
from web.process import settle_after_start
from web.scheduler import courier_from, run_blocking


class _Commands(click.Group):
    """Every command: a setting it cannot take, or a database not yet migrated, is one line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SettingInvalid, SchemaNotCurrent) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Commands, help="Digital-mining licensing: web app, scheduler, calendar and process tools.")
def main() -> None:
    configure_logging()


def _overrides(database_url: str | None, clock: str | None = None, demo: bool = False) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if database_url:
        overrides["DATABASE_URL"] = database_url
    if clock:
        overrides["CLOCK"] = clock
    if demo:
        overrides["DEMO"] = True
    return overrides


def _ensure_var(database_url: str | None) -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    if database_url is None and DEFAULTS["DATABASE_URL"].startswith("sqlite:///"):
        Path(DEFAULTS["DATABASE_URL"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


def _require_gateway(overrides: dict[str, Any]) -> None:
    """Exit non-zero, naming LICENSING_GATEWAY_URL, when the real clock would ask no real gateway."""
    config = load(overrides)
    if config["CLOCK"] == "real" and not config["DEMO"] and not config["GATEWAY_URL"]:
        click.echo("error: with the real clock and without --demo the e-government gateway is required: "
                   "set LICENSING_GATEWAY_URL to its base URL (CONTRACT.md §3), or run with --clock simulated "
                   "or --demo", err=True)
        sys.exit(2)
    if config["CLOCK"] == "real" and not config["DEMO"]:
        gaps = Keystore(Path(config["KEYS_DIR"]), trust_root_files=[
            Path(p) for p in config["TRUST_ROOTS"].split(os.pathsep) if p]).production_gaps()
        if gaps:
            click.echo("error: signing is not configured for production: " + "; ".join(gaps), err=True)
            sys.exit(2)


@main.command(help="Run the web app (UI + API) and the timer scheduler in one process.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--database-url", default=None, help="SQLAlchemy URL (default: SQLite under ./var/)")
@click.option("--clock", type=click.Choice(["real", "simulated"]), default="real", show_default=True)
@click.option("--demo", is_flag=True, help="Seed demo users whose password equals the user name")
def serve(host: str, port: int, database_url: str | None, clock: str, demo: bool) -> None:
    _ensure_var(database_url)
    overrides = _overrides(database_url, clock, demo)
    overrides["RUN_SCHEDULER"] = True
    overrides["MIGRATE_ON_START"] = True  # CONTRACT §1: serve creates/migrates the schema and deploys processes/
    _require_gateway(overrides)  # CONTRACT §1: the real clock outside demo needs the real gateway
    app = create_app(overrides)
    if demo:
        click.secho("*** DEMO MODE: users admin, officer, officer2, head, signer, analyst, auditor, quality, "
                    "portal, portal2 — password = user name. Never use this in production. ***",
                    fg="red", bold=True, err=True)
    settle_after_start()
    run_simple(host, port, app, threaded=True, use_reloader=False)


@main.command(help="Run only the timer scheduler (for deployments with several processes).")
@click.option("--database-url", default=None)
def scheduler(database_url: str | None) -> None:
    _ensure_var(database_url)
    _require_gateway(_overrides(database_url))  # CONTRACT §1, as for serve
    app = create_app(_overrides(database_url))
    engine = app.extensions["licensing"].engine
    settle_after_start()
    run_blocking(engine, app.config["SCHEDULER_POLL_SECONDS"], courier_from(app.config, engine))


@main.command("ncalayer-standin", help="Development, demo and tests only: a stand-in for NCALayer that signs "
                                        "with a demo account's own certificate from the demo CA.")
@click.option("--account", default="signer", show_default=True, help="the demo staff account whose key signs")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=13579, show_default=True, type=int)
def ncalayer_standin(account: str, host: str, port: int) -> None:
    standin = NcaLayerStandIn(Path(settings.load()["KEYS_DIR"]), account=account, host=host, port=port)
    click.secho(f"NCALayer stand-in (DEMO certificates, never production) for '{account}' on {standin.url}; "
                f"set LICENSING_NCALAYER_URL={standin.url}", fg="yellow", err=True)
    standin.serve_forever()


@main.group(help="Schema migrations.")
def db() -> None:
    pass


def _register_backup() -> None:
    register_backup_commands(db)


_register_backup()


@db.command("upgrade", help="Apply schema migrations.")
@click.option("--database-url", default=None)
def db_upgrade(database_url: str | None) -> None:
    _ensure_var(database_url)
    create_app({**_overrides(database_url), "MIGRATE_ON_START": True})
    click.echo("database is up to date")


@main.group(help="Kazakhstan's working-day calendar (SPEC §8).")
def calendar() -> None:
    pass


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO-8601 moment") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"'{value}' has no time zone offset (e.g. +05:00)")
    return moment


@calendar.command("deadline", help="The registration moment (R5) and the end of the N-th working day after it.")
@click.option("--from", "from_", required=True, help="ISO-8601 moment with offset")
@click.option("--working-days", default=0, show_default=True, type=click.IntRange(min=0, max=3650))
def deadline(from_: str, working_days: int) -> None:
    moment = _moment(from_)
    registered = legal_time.registration_moment(moment)
    result = {"from": legal_time.iso(moment), "registered_at": legal_time.iso(registered),
              "deadline": legal_time.iso(legal_time.add_working_days(registered, working_days))}
    click.echo(json.dumps(result))


@calendar.command("working-days", help="The working days in the range, one ISO date a line.")
@click.argument("from_date")
@click.argument("to_date")
def working_days(from_date: str, to_date: str) -> None:
    try:
        start, end = date.fromisoformat(from_date), date.fromisoformat(to_date)
    except ValueError as exc:
        raise click.BadParameter(f"dates must be YYYY-MM-DD: {exc}") from None
    if (end - start).days > 366 * 20:
        raise click.BadParameter("the range is longer than 20 years")
    for day in legal_time.working_days(start, end):
        click.echo(day.isoformat())


@main.group(help="Validate and deploy BPMN diagrams.")
def processes() -> None:
    pass


def _offline_engine() -> Any:
    return build_engine(make_db_engine("sqlite://"), clock=SystemClock(), create_schema=True).engine


@processes.command("validate", help="Validate BPMN files; exit 1 with one error a line if any is invalid.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    engine = _offline_engine()
    failed = False
    for name in files:
        path = Path(name)
        if not path.exists():
            click.echo(f"{name}: no such file", err=True)
            failed = True
            continue
        for problem in engine.analyst.validate(path.read_bytes(), name, actor="cli"):
            failed = True
            click.echo(f"{name}:{problem.line or 0}: {problem.message}" +
                       (f" [{problem.element}]" if problem.element else ""))
    if failed:
        sys.exit(1)
    click.echo(f"{len(files)} file(s) valid")


@processes.command("deploy", help="Validate and deploy BPMN files as new versions.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--database-url", default=None)
def deploy(files: tuple[str, ...], database_url: str | None) -> None:
    _ensure_var(database_url)
    app = create_app(_overrides(database_url))
    engine = app.extensions["licensing"].engine
    failed = False
    for name in files:
        path = Path(name)
        if not path.exists():
            click.echo(f"{name}: no such file", err=True)
            failed = True
            continue
        try:
            for view in engine.analyst.deploy(path.read_bytes(), f"{path.parent.name}/{path.name}", actor="cli"):
                state = "deployed" if view.created else "unchanged"
                click.echo(f"{view.key} version {view.version} {state} ({view.sha256[:12]})")
        except DefinitionInvalid as exc:
            failed = True
            for problem in exc.problems:
                click.echo(f"{name}:{problem.line or 0}: {problem.message}", err=True)
    if failed:
        sys.exit(1)


@processes.command("operations", help="List the registered service-task operations.")
def operations() -> None:
    for op in default_registry().describe():
        click.echo(f"{op['name']}({', '.join(op['params'])}) — {op['description']}")


@processes.command("coverage", help="Which BPMN elements implement each clause of the Rules; gaps listed.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def coverage(fmt: str) -> None:
    report = coverage_report(ROOT / "processes")
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for row in report["clauses"]:
        if row["elements"]:
            where = ", ".join(f"{e['process']}:{e['element']}" for e in row["elements"])
        elif row["outside_diagrams"]:
            where = f"(outside the diagrams) {row['gap']}"
        else:
            where = f"GAP — {row['gap']}"
        click.echo(f"{row['clause']:<8} {row['title'][:58]:<58} {where}")
    click.echo("")
    click.echo(f"gaps: {', '.join(report['gaps']) or 'none'}")
    for defect in report["defects"]:
        click.echo(f"defect in the source text, {defect['clause']}: {defect['text']}")
