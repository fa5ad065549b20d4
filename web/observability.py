"""Structured logs with request ids, and Prometheus metrics at /metrics."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from web.auth import requires

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


LOG_FORMAT_ENV = "LICENSING_LOG_FORMAT"
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")  # a caller's X-Request-Id is kept only when it looks like one
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(fmt: str | None = None) -> None:
    """Log at INFO to stderr: JSON lines when LICENSING_LOG_FORMAT=json, text otherwise. Every record made
    while a request is served carries its request id. Used by ``licensing`` and by the WSGI entry point."""
    fmt = fmt or os.environ.get(LOG_FORMAT_ENV, "text")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter(TEXT_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # SpiffWorkflow logs every task state change at INFO: the audit log already records what happened, and a
    # line per state change would drown the service's own log (and block a worker whose stderr is not read)
    logging.getLogger("spiff").setLevel(logging.WARNING)
    install_request_ids()


def install_request_ids() -> None:
    """Give every log record made inside a request the request's id (``record.request_id``)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "adds_request_id", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        if has_request_context() and "request_id" in g:
            record.request_id = g.request_id
        return record

    factory.adds_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{text} [request {request_id}]" if request_id else text


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
    install_request_ids()
    app.extensions["licensing"].engine.runtime.step_observer = lambda kind, secs: STEP.labels(kind).observe(secs)

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        endpoint = request.endpoint or "unknown"
        duration = time.perf_counter() - g.get("started", time.perf_counter())
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(duration)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        log.info("%s %s %s", request.method, request.path, response.status_code,
                 extra={"path": request.path, "status": response.status_code,
                        "duration_ms": round(duration * 1000, 1)})
        return response

    @app.get("/metrics")
    @app.doc(summary="Prometheus metrics (role admin: Prometheus sends the admin's Bearer token)")
    @requires("admin")
    def metrics() -> Any:
        gauges = app.extensions["licensing"].engine.operator.gauges()
        TASKS_OPEN.set(gauges["tasks_open"])
        TASKS_OVERDUE.set(gauges["tasks_overdue"])
        TIMERS_PENDING.set(gauges["timers_pending"])
        TIMERS_LATE.set(gauges["timers_late"])
        TIMERS_FIRED.set(gauges["timers_fired"])
        return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)
