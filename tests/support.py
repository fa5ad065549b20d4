"""Helpers for engine-level tests: an engine on a simulated clock with the example diagram deployed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from engine.bootstrap import Wiring, build_engine, make_db_engine
from engine.clock import SimulatedClock
from engine.runtime.resident import DEFAULT_SIZE as DEFAULT_RESIDENT
from tests.conftest import bpmn_fixture


def make_engine(db_url: str, start: datetime, *, deploy: tuple[str, ...] = ("example_review",),
                resident_workflows: int = DEFAULT_RESIDENT) -> tuple[Wiring, SimulatedClock]:
    """``resident_workflows=0``: every step restores its state from the database (tests of the stored state)."""
    clock = SimulatedClock(start)
    wiring = build_engine(make_db_engine(db_url), clock=clock, create_schema=True,
                          resident_workflows=resident_workflows)
    for name in deploy:
        wiring.engine.analyst.deploy(bpmn_fixture(name), f"{name}.bpmn", actor="test")
    return wiring, clock


def start_review(wiring: Wiring, registered_at: str = "2025-03-20T19:00:00+05:00") -> Any:
    return wiring.engine.officer.start_instance("example_review",
                                                {"registered_at": registered_at, "application_id": "app-1"},
                                                actor="portal", business_key="app-1")


def open_tasks(wiring: Wiring, role: str = "officer") -> list[Any]:
    from engine.queries import TaskFilter

    tasks, _ = wiring.engine.officer.list_tasks(TaskFilter(roles=[role]))
    return tasks


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together by a barrier (two schedulers, two workers); their results
    in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
