"""APScheduler wakes the engine at the next due timer (the database is the source of truth).

One job: fire every due timer; retry the incidents whose backoff ran out and run the gateway steps not
yet run (engine/runtime/incidents.py); sign every audit chain's head once an interval (engine/audit.py);
deliver the outbox (engine/outbox.py); then sleep until the
earliest pending timer (or the poll interval, so work created by other processes is seen). On start it
runs at once, doing what was missed while the process was down.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from engine import Courier, Mailbox, Webhook

log = logging.getLogger(__name__)
JOB_ID = "fire_due_timers"


def courier_from(config: dict[str, Any], engine: Any) -> Courier | None:
    """The outbox courier for the configured webhooks and SMTP mailbox; None when nothing is configured."""
    timeout = float(config.get("OUTBOX_TIMEOUT_SECONDS") or 5)
    webhooks = [Webhook(channel, config[key], config.get("OUTBOX_TOKEN"), timeout)
                for channel, key in (("monitoring", "OUTBOX_MONITORING_URL"), ("cabinet", "OUTBOX_CABINET_URL"))
                if config.get(key)]
    mailbox = None
    if config.get("SMTP_HOST") and config.get("SMTP_TO"):
        mailbox = Mailbox(host=config["SMTP_HOST"], port=int(config.get("SMTP_PORT") or 25),
                          sender=config.get("SMTP_FROM") or "licensing@localhost",
                          to=tuple(a.strip() for a in str(config["SMTP_TO"]).split(",") if a.strip()),
                          starttls=bool(config.get("SMTP_STARTTLS")), username=config.get("SMTP_USERNAME"),
                          password=config.get("SMTP_PASSWORD"))
    if not webhooks and mailbox is None:
        return None
    return Courier(engine.session_factory, engine.clock, webhooks=webhooks, mailbox=mailbox,
                   max_attempts=int(config.get("OUTBOX_MAX_ATTEMPTS") or 10))


class TimerWaker:
    def __init__(self, engine: Any, scheduler: BaseScheduler, poll_seconds: int,
                 courier: Courier | None = None) -> None:
        self.engine = engine
        self.scheduler = scheduler
        self.poll = timedelta(seconds=poll_seconds)
        self.courier = courier

    def run(self) -> None:
        try:
            fired = self.engine.operator.fire_due_timers()
            if fired:
                log.info("fired %d timer(s)", len(fired))
            due = self.engine.operator.next_timer_due()
        except Exception:
            log.exception("firing timers failed; retrying at the next poll")
            due = None
        self._integrations()
        wall_now = datetime.now(UTC)
        wake = wall_now + self.poll
        if due is not None and not self.engine.clock.simulated:
            wake = min(wake, max(due + timedelta(seconds=1), wall_now + timedelta(milliseconds=200)))
        self.scheduler.add_job(self.run, "date", run_date=wake, id=JOB_ID, replace_existing=True,
                               misfire_grace_time=None)

    def _integrations(self) -> None:
        try:
            outcomes = self.engine.operator.retry_due_incidents()
            if outcomes:
                log.info("gateway steps: %s", ", ".join(f"{o.element} {o.result}" for o in outcomes))
        except Exception:
            log.exception("retrying incidents failed; retrying at the next poll")
        try:
            self.engine.operator.checkpoint_audit()
        except Exception:
            log.exception("the audit checkpoint was not written; retrying at the next poll")
        if self.courier is None:
            return
        try:
            counts = self.courier.run()
            if any(counts.values()):
                log.info("outbox: %s", counts)
        except Exception:
            log.exception("delivering the outbox failed; retrying at the next poll")

    def start(self) -> None:
        self.scheduler.add_job(self.run, "date", run_date=datetime.now(UTC), id=JOB_ID, replace_existing=True,
                               misfire_grace_time=None)
        self.scheduler.start()


def start_scheduler(app: Any) -> BackgroundScheduler:
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # type: ignore[return-value]
    scheduler = BackgroundScheduler(timezone=UTC)
    engine = app.extensions["licensing"].engine
    waker = TimerWaker(engine, scheduler, app.config["SCHEDULER_POLL_SECONDS"], courier_from(app.config, engine))
    waker.start()
    app.extensions["scheduler"] = scheduler
    return scheduler


def run_blocking(engine: Any, poll_seconds: int, courier: Courier | None = None) -> None:
    scheduler = BlockingScheduler(timezone=UTC)
    TimerWaker(engine, scheduler, poll_seconds, courier).start()
