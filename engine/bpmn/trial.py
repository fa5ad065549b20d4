"""A trial run of a diagram on a simulated clock, in memory: no instance, task, timer or audit row is written.

The analyst starts a draft with sample data, completes its user tasks with form data and moves the clock to a
timer's due moment; every call replays the whole list of actions from the start (nothing is kept between calls).
Service tasks do not run their operations here (they would write to the registers): each returns the sample
result the analyst gave for its result variable, or one made from the diagram's own expressions — every key the
diagram reads from that variable holds the start moment, so conditions on unknown values take the default path.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import legal_time
from engine.bpmn import spiff_clock
from engine.bpmn.elements import ProcessInfo
from engine.bpmn.loader import ParsedDiagram
from engine.bpmn.scripting import EngineScriptEngine
from engine.clock import SimulatedClock
from engine.errors import EngineError, FieldProblem, InvalidInput
from engine.runtime.step import advance

MAX_ACTIONS = 60
FIRING_DELAY = timedelta(microseconds=1)

FormValidator = Callable[[str, dict[str, Any]], list[FieldProblem]]


def _expressions(info: ProcessInfo) -> list[str]:
    found: list[str] = []
    for el in [*info.elements.values(), *info.flows.values()]:
        found += [e for e in (el.condition, el.timer_expression, el.script) if e]
        found += [v for v in el.params.values() if v]
    return found


def sample_shapes(info: ProcessInfo) -> dict[str, Any]:
    """What the diagram's expressions read from each name: ``registration['registered_at']`` gives
    ``{"registration": {"registered_at": None}}`` (None: a leaf)."""
    shapes: dict[str, Any] = {}
    for source in _expressions(info):
        try:
            tree = ast.parse(source, mode="exec")
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Subscript):
                continue
            keys: list[str] = []
            target: Any = node
            while isinstance(target, ast.Subscript):
                if not (isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str)):
                    keys = []
                    break
                keys.insert(0, target.slice.value)
                target = target.value
            if not keys or not isinstance(target, ast.Name):
                continue
            level = shapes.setdefault(target.id, {})
            for key in keys[:-1]:
                level = level.setdefault(key, {}) if isinstance(level.get(key, {}), dict) else {}
            if isinstance(level, dict):
                level.setdefault(keys[-1], None)
    return shapes


def _fill(shape: Any, moment: str) -> Any:
    if isinstance(shape, dict):
        return {key: _fill(value, moment) for key, value in shape.items()}
    return moment


class _Run:
    def __init__(self, parsed: ParsedDiagram, info: ProcessInfo, start: datetime, results: dict[str, Any],
                 validate_form: FormValidator | None) -> None:
        self.info, self.clock, self.validate_form = info, SimulatedClock(start), validate_form
        self.shapes = sample_shapes(info)
        self.start_iso = legal_time.iso(start)
        self.results = results
        self.steps: list[dict[str, Any]] = []
        self.seen: set[Any] = set()
        engine = EngineScriptEngine(dispatch=self.dispatch)
        self.workflow = BpmnWorkflow(parsed.spec(info.id), parsed.subprocess_specs(info.id), script_engine=engine)

    def sample(self, name: str) -> Any:
        return _fill(self.shapes.get(name, {}), self.start_iso)

    def dispatch(self, task: Any, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        element = self.info.elements.get(task.task_spec.bpmn_id)
        variable = element.result_variable if element else None
        if variable and isinstance(self.results.get(variable), dict):
            return copy.deepcopy(self.results[variable])
        return self.sample(variable) if variable else {}

    def now(self) -> str:
        return legal_time.iso(self.clock.now())

    def record(self, kind: str) -> None:
        done = [t for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
                if t.id not in self.seen and t.task_spec.bpmn_id in self.info.elements]
        for task in sorted(done, key=lambda t: t.last_state_change):
            self.seen.add(task.id)
            el = self.info.elements[task.task_spec.bpmn_id]
            self.steps.append({"element": el.id, "type": el.type, "name": el.name, "clause": el.clause,
                               "at": self.now(), "by": kind})

    def settle(self, kind: str) -> None:
        with spiff_clock.using(self.clock):  # the engine's own loop, with its guard against endless loops
            advance(self.workflow)
        self.record(kind)

    def complete(self, element_id: str, data: Any) -> None:
        ready = [t for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)
                 if t.task_spec.bpmn_id == element_id]
        if not ready:
            raise InvalidInput(f"'{element_id}' is not waiting for a person at this point of the run", field="actions")
        el = self.info.elements[element_id]
        if not isinstance(data, dict):
            raise InvalidInput("the form data must be an object", field="actions")
        if el.form and self.validate_form is not None:
            problems = self.validate_form(el.form, data)
            if problems:
                raise InvalidInput(f"{el.form}: " + "; ".join(f"{p.field}: {p.message}" for p in problems),
                                   field="actions")
        task = ready[0]
        task.data[el.form or element_id] = copy.deepcopy(data)
        stamps = dict(task.data.get("completed_at") or {})
        stamps[element_id] = self.now()
        task.data["completed_at"] = stamps
        with spiff_clock.using(self.clock):
            task.run()
        self.settle("person")

    def advance_to(self, value: Any) -> None:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise InvalidInput(f"{value!r} is not an ISO-8601 moment", field="actions") from exc
        if moment.tzinfo is None or moment < self.clock.now():
            raise InvalidInput("the clock moves forward only, to a moment with an offset", field="actions")
        self.clock.set(moment + FIRING_DELAY)  # SpiffWorkflow fires a timer once its moment has passed
        with spiff_clock.using(self.clock):
            self.workflow.refresh_timers()
        self.settle("clock")

    def state(self, failure: str | None) -> dict[str, Any]:
        waiting: list[dict[str, Any]] = []
        for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
            el = self.info.elements.get(task.task_spec.bpmn_id)
            if el is not None:
                waiting.append({"element": el.id, "name": el.name, "form": el.form, "lane": el.lane,
                                "clause": el.clause})
        timers: list[dict[str, Any]] = []
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            el = self.info.elements.get(task.task_spec.bpmn_id)
            value = task._get_internal_data("event_value")
            due = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None
            if el is not None and due is not None:
                timers.append({"element": el.id, "name": el.name, "clause": el.clause,
                               "attached_to": el.attached_to, "due_at": legal_time.iso(due)})
        timers.sort(key=lambda t: str(t["due_at"]))
        variables = sorted({el.result_variable for el in self.info.elements.values() if el.result_variable})
        samples = {v: self.results[v] if isinstance(self.results.get(v), dict) else self.sample(v) for v in variables}
        return {"now": self.now(), "steps": self.steps, "waiting": waiting, "timers": timers,
                "completed": self.workflow.is_completed(), "failure": failure, "results": samples}


def run(parsed: ParsedDiagram, info: ProcessInfo, body: dict[str, Any], *,
        validate_form: FormValidator | None = None) -> dict[str, Any]:
    """Replay ``body["actions"]`` on a fresh run of the process that starts at ``body["start_at"]`` with
    ``body["data"]`` (the process inputs; missing ones are filled from the diagram's expressions)."""
    try:
        start = datetime.fromisoformat(str(body.get("start_at")))
    except ValueError as exc:
        raise InvalidInput("an ISO-8601 moment with offset is required", field="start_at") from exc
    if start.tzinfo is None:
        raise InvalidInput("an ISO-8601 moment with offset is required", field="start_at")
    data, results, actions = body.get("data") or {}, body.get("results") or {}, body.get("actions") or []
    if not isinstance(data, dict) or not isinstance(results, dict) or not isinstance(actions, list):
        raise InvalidInput("data and results are objects, actions a list", field="")
    if len(actions) > MAX_ACTIONS:
        raise InvalidInput(f"at most {MAX_ACTIONS} actions in one trial run", field="actions")
    trial = _Run(parsed, info, start, results, validate_form)
    start_data = {name: trial.sample(name) for name in info.inputs}
    start_data.update(copy.deepcopy(data))
    for task in trial.workflow.get_tasks(state=TaskState.READY):
        task.data.update(start_data)
    failure = None
    try:
        trial.settle("start")
        for action in actions:
            if not isinstance(action, dict):
                raise InvalidInput("each action is an object", field="actions")
            if "complete" in action:
                trial.complete(str(action["complete"]), action.get("data", {}))
            elif "advance_to" in action:
                trial.advance_to(action["advance_to"])
            else:
                raise InvalidInput("an action either completes a task or moves the clock", field="actions")
    except InvalidInput:
        raise
    except EngineError as exc:  # the process failed on the sample data: show where, it is what the trial is for
        failure = str(exc)
    return trial.state(failure)
