"""The app served the production way: `licensing db upgrade`, then gunicorn with 4 workers on PostgreSQL.

Workers keep no state of their own: a browser session signed in on one worker is valid on every other
(the session secret is shared without configuring it), the simulated clock set through one worker is the
moment every worker reads, and the schema is migrated once, by the upgrade step, not by each worker.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT

WORKERS = 4
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("gunicorn")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(pg_url: str, tmp_path: Path) -> Iterator[str]:
    env = {**os.environ, "LICENSING_DATABASE_URL": pg_url, "LICENSING_CLOCK": "simulated", "LICENSING_DEMO": "1",
           "LICENSING_KEYS_DIR": str(tmp_path / "keys"), "PYTHONPATH": str(ROOT)}
    env.pop("LICENSING_SECRET_KEY", None)
    bin_dir = Path(sys.executable).parent
    upgrade = subprocess.run([str(bin_dir / "licensing"), "db", "upgrade"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    port = _free_port()
    process = subprocess.Popen([str(bin_dir / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
                                "--log-level", "warning", "web.wsgi:app"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz in time"
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _token(base: str, user: str) -> str:
    r = httpx.post(f"{base}/api/v1/auth/token", json={"username": user, "password": user}, timeout=10)
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def test_every_worker_reads_the_clock_set_through_one(served: str) -> None:
    headers = {"Authorization": f"Bearer {_token(served, 'admin')}"}
    r = httpx.put(f"{served}/api/v1/admin/clock", json={"now": "2025-04-01T10:00:00+05:00"}, headers=headers,
                  timeout=30)
    assert r.status_code == 200, r.text
    seen = set()
    with httpx.Client(headers=headers, timeout=10) as client:
        for _ in range(24):  # fresh connections, spread over the workers
            seen.add(client.get(f"{served}/api/v1/admin/clock", headers={"Connection": "close"}).json()["now"])
    assert seen == {"2025-04-01T10:00:00+05:00"}


def test_a_browser_session_signed_in_on_one_worker_holds_on_every_worker(served: str) -> None:
    with httpx.Client(base_url=served, timeout=10, follow_redirects=False) as browser:
        form = browser.get("/login")
        csrf: Any = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert csrf, form.text[:500]
        signed_in = browser.post("/login", data={"csrf_token": csrf.group(1), "username": "officer",
                                                  "password": "officer"})
        assert signed_in.status_code in (302, 303), signed_in.text[:500]
        pages = [browser.get("/tasks", headers={"Connection": "close"}) for _ in range(24)]
        page_csrf: Any = re.search(r'name="csrf_token" value="([^"]+)"', pages[-1].text)
        logged_out = browser.post("/logout", data={"csrf_token": page_csrf.group(1)})
        after_logout = {browser.get("/tasks", headers={"Connection": "close"}).status_code for _ in range(8)}
    assert {page.status_code for page in pages} == {200}, \
        "every worker must accept the session (one shared secret, sessions in the database)"
    assert all("script-src 'self'" in page.headers["Content-Security-Policy"] and
               page.headers["X-Frame-Options"] == "DENY" for page in pages)
    assert logged_out.status_code in (302, 303)
    assert after_logout == {302}, "after logout no worker accepts the session"
