"""APScheduler wakes the engine at the next due timer (the database is the source of truth).

One job: fire every due timer, then sleep until the earliest pending one (or the poll interval, so
timers created by other processes are seen). On start it runs at once, firing what was missed while
the process was down.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger(__name__)
JOB_ID = "fire_due_timers"


class TimerWaker:
    def __init__(self, engine: Any, scheduler: BaseScheduler, poll_seconds: int) -> None:
        self.engine = engine
        self.scheduler = scheduler
        self.poll = timedelta(seconds=poll_seconds)

    def run(self) -> None:
        try:
            fired = self.engine.fire_due_timers()
            if fired:
                log.info("fired %d timer(s)", len(fired))
            due = self.engine.next_timer_due()
        except Exception:
            log.exception("firing timers failed; retrying at the next poll")
            due = None
        wall_now = datetime.now(UTC)
        wake = wall_now + self.poll
        if due is not None and not self.engine.clock.simulated:
            wake = min(wake, max(due + timedelta(seconds=1), wall_now + timedelta(milliseconds=200)))
        self.scheduler.add_job(self.run, "date", run_date=wake, id=JOB_ID, replace_existing=True,
                               misfire_grace_time=None)

    def start(self) -> None:
        self.scheduler.add_job(self.run, "date", run_date=datetime.now(UTC), id=JOB_ID, replace_existing=True,
                               misfire_grace_time=None)
        self.scheduler.start()


def start_scheduler(app: Any) -> BackgroundScheduler:
    import os

    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # type: ignore[return-value]
    scheduler = BackgroundScheduler(timezone=UTC)
    waker = TimerWaker(app.extensions["licensing"].engine, scheduler, app.config["SCHEDULER_POLL_SECONDS"])
    waker.start()
    app.extensions["scheduler"] = scheduler
    return scheduler


def run_blocking(engine: Any, poll_seconds: int) -> None:
    scheduler = BlockingScheduler(timezone=UTC)
    TimerWaker(engine, scheduler, poll_seconds).start()
