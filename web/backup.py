"""Backup and restore of the database: ``licensing db backup FILE`` / ``licensing db restore FILE``.

PostgreSQL uses pg_dump's custom format and pg_restore; SQLite uses its online backup API. The provider's
key directory (LICENSING_KEYS_DIR) holds the signing key and must be backed up alongside.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import make_url

from web.config import load


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres",
            "-d", u.database or ""]
    env = {"PGPASSWORD": u.password} if u.password else {}
    return args, env


def dump(database_url: str, path: Path) -> None:
    if database_url.startswith("sqlite"):
        source = sqlite3.connect(make_url(database_url).database or "")
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump is not installed (Debian: postgresql-client)")
    args, env = _pg_args(database_url)
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "-f", str(path), *args], check=True,
                   env={**_environ(), **env})


def restore(path: Path, database_url: str) -> None:
    if not path.exists():
        raise click.ClickException(f"{path}: no such backup")
    if database_url.startswith("sqlite"):
        source = sqlite3.connect(path)
        target = sqlite3.connect(make_url(database_url).database or "")
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    args, env = _pg_args(database_url)
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(path)],
                   check=True, env={**_environ(), **env})


def _environ() -> dict[str, str]:
    return dict(os.environ)


def register(db_group: Any) -> None:
    @db_group.command("backup", help="Dump the database to FILE (back up LICENSING_KEYS_DIR too).")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--database-url", default=None)
    def backup_command(file: Path, database_url: str | None) -> None:
        url = database_url or load()["DATABASE_URL"]
        dump(url, file)
        click.echo(f"backed up to {file}")

    @db_group.command("restore", help="Restore the database from FILE (stop web and scheduler processes first).")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--database-url", default=None)
    def restore_command(file: Path, database_url: str | None) -> None:
        url = database_url or load()["DATABASE_URL"]
        restore(file, url)
        click.echo(f"restored from {file}")
