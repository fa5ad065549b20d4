"""Submissions per second with documents: portal clients submitting applications at once over HTTP.

Against the gunicorn of the HTTP section (``--workers 2``, PostgreSQL, its 100 000 instances): each of
``clients`` threads posts ``POST /api/v1/applications`` (CONTRACT.md) with an Idempotency-Key, as the portal
does, and each must answer 201. A submission's answer comes after its receipt is rendered and signed in both
languages (PDF + XMLDSig, in the step after the submission commits) and the gateway checks have run, so the
latency is what the portal waits for. The applicant's uploads and fee payment are made before the timed
region (bench.procedures.LicenceDriver.prepare); afterwards every application must hold its two receipts.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench import web_load


def measure(url: str, keys_dir: Path, db: Engine, port: int, *, count: int, clients: int) -> dict[str, Any]:
    from bench.procedures import LicenceDriver, make_app

    app = make_app(url, keys_dir, demo=True)
    try:
        driver = LicenceDriver(app, documents="real")
        bodies = [driver.prepare(subtype="I" if i % 3 else "II") for i in range(count)]
    finally:
        app.extensions["licensing"].wiring.db.dispose()
    portal = web_load.token(port, "portal")
    keys = [str(uuid.uuid4()) for _ in bodies]
    calls: list[web_load.Call] = [("POST", "/api/v1/applications", body, {"Idempotency-Key": key})
                                  for body, key in zip(bodies, keys, strict=True)]
    result = web_load.load(port, calls, portal, threads=clients, ok=201)
    if result.errors:
        raise RuntimeError(f"submissions: {result.errors[:3]}")
    with db.connect() as conn:
        receipts = conn.execute(text(
            "SELECT count(*) FROM document d JOIN application a ON a.id = d.application_id "
            "WHERE d.kind = 'receipt' AND a.idempotency_key = ANY(:keys)"), {"keys": keys}).scalar()
    if receipts != 2 * count:
        raise RuntimeError(f"{receipts} receipts for {count} submissions (two each: kk and ru)")
    summary = result.summary()
    return {"submissions_count": count, "submission_clients": clients, "submissions_per_s": summary["rps"],
            "submit_p50_ms": summary["p50_ms"], "submit_p95_ms": summary["p95_ms"]}
