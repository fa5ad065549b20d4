"""``licensing scheduler``, instrumented: started as its own process by the timer benchmarks.

It does what ``web.cli.scheduler`` does — ``create_app`` from the ``LICENSING_*`` environment,
``settle_after_start``, then the ``TimerWaker`` on APScheduler's ``BlockingScheduler`` — but the first poll
(fire every due timer, then look up the next one) prints one JSON line and ends the process: the wall-clock
moment the poll finished, how long ``engine.operator.fire_due_timers`` took, how many timers fired and the
process's peak RSS.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC


def main() -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    from web import create_app
    from web.process import settle_after_start
    from web.scheduler import TimerWaker

    app = create_app()
    engine = app.extensions["licensing"].engine
    settle_after_start()
    scheduler = BlockingScheduler(timezone=UTC)
    measured: dict[str, float] = {}
    fire = engine.operator.fire_due_timers

    def timed_fire() -> list:
        start = time.perf_counter()
        fired = fire()
        measured["fire_s"] = time.perf_counter() - start
        measured["fired"] = len(fired)
        return fired

    engine.operator.fire_due_timers = timed_fire

    class FirstPoll(TimerWaker):
        def run(self) -> None:
            super().run()
            status = open("/proc/self/status").read()
            rss_kb = int(status.split("VmHWM:")[1].split()[0])
            print(json.dumps({"first_poll_done_at": time.time(), "peak_rss_mb": rss_kb / 1024, **measured}),
                  flush=True)
            sys.stdout.flush()
            os._exit(0)

    FirstPoll(engine, scheduler, app.config["SCHEDULER_POLL_SECONDS"]).start()


if __name__ == "__main__":
    main()
