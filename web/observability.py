"""Structured logs with request ids, and Prometheus metrics at /metrics."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select

from engine.store.tables import HumanTask, Timer

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("licensing_http_requests_total", "HTTP requests", ["method", "endpoint", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("licensing_http_request_seconds", "HTTP request duration", ["endpoint"], registry=REGISTRY)
STEP = Histogram("licensing_engine_step_seconds", "Engine step durations (run + persist)", ["kind"],
                 registry=REGISTRY)
TASKS_OPEN = Gauge("licensing_tasks_open", "Open user tasks", registry=REGISTRY)
TASKS_OVERDUE = Gauge("licensing_tasks_overdue", "Open user tasks past their legal due time", registry=REGISTRY)
TIMERS_PENDING = Gauge("licensing_timers_pending", "Timers waiting to fire", registry=REGISTRY)
TIMERS_LATE = Gauge("licensing_timers_late", "Timers past due and not yet fired", registry=REGISTRY)
TIMERS_FIRED = Gauge("licensing_timers_fired", "Timers fired so far", registry=REGISTRY)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"at": self.formatTime(record), "level": record.levelname, "logger": record.name,
                                 "message": record.getMessage()}
        for key in ("request_id", "instance_id", "path", "status", "duration_ms", "user"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init(app: Flask) -> None:
    log = logging.getLogger("licensing.http")
    app.extensions["licensing"].engine.runtime.step_observer = lambda kind, secs: STEP.labels(kind).observe(secs)

    @app.before_request
    def _start() -> None:
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        endpoint = request.endpoint or "unknown"
        duration = time.perf_counter() - g.get("started", time.perf_counter())
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(duration)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        log.info("%s %s %s", request.method, request.path, response.status_code,
                 extra={"request_id": g.get("request_id"), "path": request.path, "status": response.status_code,
                        "duration_ms": round(duration * 1000, 1)})
        return response

    @app.get("/metrics")
    @app.doc(summary="Prometheus metrics")
    def metrics() -> Any:
        engine = app.extensions["licensing"].engine
        now = engine.clock.now()
        with engine.session_factory() as session:
            TASKS_OPEN.set(session.scalar(select(func.count()).where(HumanTask.status == "open")) or 0)
            TASKS_OVERDUE.set(session.scalar(select(func.count()).where(
                HumanTask.status == "open", HumanTask.due_at < now)) or 0)
            TIMERS_PENDING.set(session.scalar(select(func.count()).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))) or 0)
            TIMERS_LATE.set(session.scalar(select(func.count()).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at < now)) or 0)
            TIMERS_FIRED.set(session.scalar(select(func.count()).where(Timer.fired_at.is_not(None))) or 0)
        return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)
