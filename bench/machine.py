"""The machine the figures were taken on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path
from typing import Any

from bench.common import pg_version


def describe() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor() or platform.machine())
    memory = 0
    if Path("/proc/meminfo").exists():
        memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal"))) // 1024
    try:
        from importlib.metadata import version

        spiff = version("SpiffWorkflow")
        sqlalchemy = version("SQLAlchemy")
    except Exception:
        spiff = sqlalchemy = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "os": platform.platform(terse=True),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "postgresql": pg_version(),
            "spiffworkflow": spiff, "sqlalchemy": sqlalchemy}


def summary(m: dict[str, Any]) -> str:
    return (f"{m['cpu']}, {m['cores']} cores, {m['memory_mb'] / 1024:.1f} GiB RAM, {m['os']}; Python {m['python']}, "
            f"SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}, SpiffWorkflow {m['spiffworkflow']}, "
            f"SQLAlchemy {m['sqlalchemy']}")
