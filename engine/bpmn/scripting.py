"""The script engine every diagram runs with: sandboxed expressions (``sandbox``), legal-time functions
with bounded arguments, and service tasks dispatched to registered Python operations."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine import legal_time
from engine.bpmn import sandbox
from engine.bpmn.spiff_clock import _current as _current_clock

# (spiff task, operation name, evaluated parameters) -> JSON-serializable result
ServiceDispatcher = Callable[[Any, str, dict[str, Any]], dict[str, Any]]

# Bounds that keep every legal-time call from diagram code short (the sandbox cannot interrupt them).
MAX_TERM_WORKING_DAYS = 1000
EARLIEST_YEAR, LATEST_YEAR = 1991, 2199


def _within_calendar(day: date) -> None:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the calendar ({EARLIEST_YEAR}-{LATEST_YEAR})")


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = datetime.fromisoformat(value)
    else:
        raise TypeError(f"expected a moment (ISO string with offset), got {value!r}")
    _within_calendar(moment.date())
    return moment


def _term(n: Any) -> int:
    days = int(n)
    if abs(days) > MAX_TERM_WORKING_DAYS:
        raise ValueError(f"a term of {days} working days is longer than {MAX_TERM_WORKING_DAYS}")
    return days


def _now() -> str:
    clock = _current_clock.get()
    if clock is None:
        raise RuntimeError("no engine clock is bound")
    return legal_time.iso(clock.now())


def _is_working_day(value: Any) -> bool:
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        _within_calendar(value)
        return legal_time.is_working_day(value)
    return legal_time.is_working_day(_moment(value).astimezone(legal_time.TZ).date())


def expression_functions() -> dict[str, Callable[..., Any]]:
    """Functions every timer, condition and script can call (string in, string out)."""
    functions: dict[str, Callable[..., Any]] = {
        "registration_moment": lambda at: legal_time.iso(legal_time.registration_moment(_moment(at))),
        "add_working_days": lambda at, n: legal_time.iso(legal_time.add_working_days(_moment(at), _term(n))),
        "subtract_working_days": lambda at, n: legal_time.iso(
            legal_time.subtract_working_days(_moment(at), _term(n))
        ),
        "working_days_between": lambda a, b: legal_time.working_days_between(_moment(a), _moment(b)),
        "is_working_day": _is_working_day,
        "now": _now,
    }
    return {name: sandbox.trusted(function) for name, function in functions.items()}


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates diagram code in the sandbox; functions cannot be shadowed by instance data."""

    def __init__(self, functions: dict[str, Callable[..., Any]]) -> None:
        super().__init__(functions)

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        return sandbox.evaluate(expression, {**context, **(external_context or {}), **self.globals})

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        scope = sandbox.execute(script, {**context, **(external_context or {}), **self.globals})
        for name, value in scope.items():
            if name in self.globals or callable(value):
                continue
            context[name] = value
        return True


class EngineScriptEngine(PythonScriptEngine):
    """Script engine bound to one engine step: service tasks go to ``dispatch``."""

    def __init__(self, dispatch: ServiceDispatcher | None = None) -> None:
        super().__init__(environment=SandboxEnvironment(expression_functions()))
        self.dispatch = dispatch

    def call_service(self, task: Any, operation_name: str = "", operation_params: Any = None, **kw: Any) -> str:
        if self.dispatch is None:
            raise RuntimeError("service tasks cannot run outside an engine step")
        params = {name: spec["value"] for name, spec in (operation_params or {}).items()}
        return json.dumps(self.dispatch(task, operation_name, params), default=str)
