"""SpiffWorkflow's task state changes, without building the log records a silent logger drops.

``Task._set_state`` formats a message and collects a record's extras (the workflow's and the task spec's names,
the state's name, the parent's id …) at every state change, and only then does its logger drop the record: a
fired timer changes states 19 times, and those records were 8 % of a scheduler's CPU. While ``spiff.task`` logs
nothing at INFO, a state change is made as SpiffWorkflow makes it (the state, and the moment it changed) without
the record; when the logger does log (a developer's DEBUG session), SpiffWorkflow's own method runs.

Installed once per process by :func:`engine.bootstrap.build_engine` (and by the benchmarks' bare SpiffWorkflow
runs, so that they measure the same SpiffWorkflow as the engine runs).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from SpiffWorkflow import task as spiff_task

_original = spiff_task.Task._set_state
_logger = spiff_task.logger


def _set_state(self: Any, value: int) -> None:
    if _logger.isEnabledFor(logging.INFO):
        _original(self, value)
    elif value != self._state:
        self.last_state_change = time.time()
        self._state = value


def install() -> None:
    """Set task states without unread log records (idempotent)."""
    spiff_task.Task._set_state = _set_state  # type: ignore[method-assign]
