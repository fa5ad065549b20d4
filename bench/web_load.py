"""HTTP figures: the app under ``gunicorn --workers 2 web.wsgi:app`` on PostgreSQL, loaded from a client process.

The server is configured the production way, through ``LICENSING_*`` environment variables. The client
(this process) sends a bounded number of requests from a few threads, one connection per request (the
sync workers close it), and records each request's latency from connect to the last byte of the body.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import ROOT, children_of, peak_rss_mb, percentile


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def summary(self) -> dict[str, float]:
        n = len(self.latencies_ms)
        return {"p50_ms": percentile(self.latencies_ms, 50), "p95_ms": percentile(self.latencies_ms, 95),
                "p99_ms": percentile(self.latencies_ms, 99), "rps": n / self.elapsed_s if self.elapsed_s else 0.0,
                "requests": n, "errors": len(self.errors)}


class Gunicorn:
    def __init__(self, database_url: str, keys_dir: Path, *, workers: int = 2) -> None:
        self.port = _free_port()
        self.env = {**os.environ, "LICENSING_DATABASE_URL": database_url, "LICENSING_CLOCK": "simulated",
                    "LICENSING_DEMO": "1", "LICENSING_KEYS_DIR": str(keys_dir), "LICENSING_SECRET_KEY": "bench",
                    "PYTHONPATH": str(ROOT)}
        gunicorn = Path(sys.executable).parent / "gunicorn"
        # a file, not a pipe: a pipe nobody drains fills up and blocks the workers' logging mid-request
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "web.wsgi:app"], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        self.workers = workers

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("gunicorn exited: " + self.log.read().decode(errors="replace")[-2000:])
            try:
                status, _ = request(self.port, "GET", "/healthz")
                if status == 200 and len(children_of(self.process.pid)) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def worker_peak_rss_mb(self) -> list[float]:
        return [peak_rss_mb(pid) for pid in children_of(self.process.pid)]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, method: str, path: str, body: Any = None, token: str | None = None,
            extra_headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Accept": "application/json", **(extra_headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def token(port: int, user: str) -> str:
    status, body = request(port, "POST", "/api/v1/auth/token", {"username": user, "password": user})
    if status != 200:
        raise RuntimeError(f"no token for {user}: {status} {body[:200]!r}")
    return str(json.loads(body)["token"])


Call = tuple[str, str, Any] | tuple[str, str, Any, dict[str, str]]  # method, path, body[, headers]


def load(port: int, calls: list[Call], token_: str, *, threads: int, ok: int = 200) -> Result:
    """Send every call once, from ``threads`` client threads; each must answer ``ok``."""
    result = Result()
    lock = threading.Lock()
    queue = list(reversed(calls))

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                method, path, body, *headers = queue.pop()
            start = time.perf_counter()
            try:
                status, data = request(port, method, path, body, token_, headers[0] if headers else None)
            except OSError as exc:
                status, data = 0, str(exc).encode()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status == ok:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors.append(f"{method} {path}: {status} {data[:200]!r}")

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    result.elapsed_s = time.perf_counter() - started
    return result
