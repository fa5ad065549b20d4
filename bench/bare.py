"""The lower bound: bare SpiffWorkflow in memory, no persistence, on the very diagrams the engine runs.

The diagram is parsed once with SpiffWorkflow's own ``SpiffBpmnParser`` (as the engine caches its
specs per deployed version). Service tasks answer canned JSON per operation (recorded from a real
licence-issue run: ``canned_licence_issue.json``), the legal-time functions are stubs that answer a
moment far in the future, so no timer fires. The same user tasks are completed with the same form
data as in the persisted runs, and the same ``completed_at`` stamps are written.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from bench.common import ROOT

LICENCE_DIAGRAM = ROOT / "processes" / "licence_issue" / "licence_issue.bpmn"
EXAMPLE_DIAGRAM = ROOT / "tests" / "fixtures" / "bpmn" / "example_review.bpmn"
CANNED = json.loads((Path(__file__).parent / "canned_licence_issue.json").read_text(encoding="utf-8"))
FAR = "2099-06-30T18:30:00+05:00"

# the happy path of the licence issue procedure: element, form data (as tests/web/portal.drive_to_licence)
LICENCE_STEPS = (("completeness_check", {"decision": "complete"}),
                 ("qualification_check", {"decision": "compliant"}),
                 ("sign_licence", {"decision": "sign"}))


class CannedScriptEngine(PythonScriptEngine):
    """call_service answers the recorded result of each operation; legal-time functions are stubs."""

    def __init__(self, results: dict[str, Any]) -> None:
        functions = {
            "registration_moment": lambda at: at,
            "add_working_days": lambda at, n: FAR,
            "subtract_working_days": lambda at, n: FAR,
            "working_days_between": lambda a, b: 1,
            "is_working_day": lambda at: True,
            "now": lambda: FAR,
        }
        super().__init__(environment=TaskDataEnvironment(functions))
        self.results = {name: json.dumps(value) for name, value in results.items()}

    def call_service(self, task: Any, operation_name: str = "", operation_params: Any = None, **kw: Any) -> str:
        return self.results.get(operation_name, "{}")


def parse(path: Path, process_id: str) -> tuple[Any, dict[str, Any]]:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(path))
    return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)


def _form_of(task: Any) -> str:
    properties = (getattr(task.task_spec, "extensions", None) or {}).get("properties") or {}
    return properties.get("form") or task.task_spec.bpmn_id


def _complete(workflow: Any, element: str, data: dict[str, Any]) -> None:
    ready = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == element]
    if not ready:
        open_ = [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)]
        raise RuntimeError(f"bare run: {element} is not ready (ready: {open_})")
    task = ready[0]
    task.data[_form_of(task)] = copy.deepcopy(data)
    stamps = dict(task.data.get("completed_at") or {})
    stamps[element] = FAR
    task.data["completed_at"] = stamps
    task.run()
    workflow.do_engine_steps()


class BareLicenceIssue:
    def __init__(self) -> None:
        self.spec, self.subprocess_specs = parse(LICENCE_DIAGRAM, "licence_issue")
        self.engine = CannedScriptEngine(CANNED["results"])

    def run_one(self) -> None:
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.engine)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(copy.deepcopy(CANNED["inputs"]))
        workflow.do_engine_steps()
        for element, data in LICENCE_STEPS:
            _complete(workflow, element, data)
        if not workflow.is_completed() or workflow.data.get("decision", {}).get("outcome") != "issued":
            raise RuntimeError("bare licence issue did not end with a licence")


class BareExampleReview:
    def __init__(self) -> None:
        self.spec, self.subprocess_specs = parse(EXAMPLE_DIAGRAM, "example_review")
        self.engine = CannedScriptEngine({"noop": {}})

    def run_one(self) -> None:
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.engine)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update({"registered_at": "2025-03-20T19:00:00+05:00", "application_id": "app-1"})
        workflow.do_engine_steps()
        _complete(workflow, "review", {"decision": "complete"})
        [waiting] = [t for t in workflow.get_tasks(state=TaskState.WAITING)
                     if t.task_spec.bpmn_id == "wait_payment"]
        workflow.catch(BpmnEvent(waiting.task_spec.event_definition, {"paid": True}))
        workflow.do_engine_steps()
        if not workflow.is_completed():
            raise RuntimeError("bare example review did not complete")


class FloorLicenceIssue(BareLicenceIssue):
    """The floor of persistence: the bare run, plus what any persisted step must do at the least.

    Each step (the start, then each of the three user tasks) restores the instance from its row with
    the engine's own state serializer (``engine.bpmn.serializer.StateSerializer``, spec kept apart),
    runs, serializes the state again and writes it as one row of one table in its own transaction, on
    an SQLite file with the engine's settings (WAL, ``synchronous=NORMAL``, a checkpoint every 10 000 pages).
    Nothing else: no task, timer, audit or outbox rows, no ORM."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        from engine.bpmn.serializer import StateSerializer

        super().__init__()
        self.serializer = StateSerializer()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA wal_autocheckpoint=10000")
        self.db.execute("CREATE TABLE IF NOT EXISTS instance (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")
        self.serial = 0

    def _save(self, instance_id: int, workflow: Any, *, new: bool = False) -> None:
        state = self.serializer.dump_state(workflow)
        self.db.execute("BEGIN")
        if new:
            self.db.execute("INSERT INTO instance (id, state) VALUES (?, ?)", (instance_id, state))
        else:
            self.db.execute("UPDATE instance SET state = ? WHERE id = ?", (state, instance_id))
        self.db.execute("COMMIT")

    def _load(self, instance_id: int) -> Any:
        (state,) = self.db.execute("SELECT state FROM instance WHERE id = ?", (instance_id,)).fetchone()
        workflow = self.serializer.load_state(state, self.spec, self.subprocess_specs)
        workflow.script_engine = self.engine
        return workflow

    def run_one(self) -> None:
        self.serial += 1
        instance_id = self.serial
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.engine)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(copy.deepcopy(CANNED["inputs"]))
        workflow.do_engine_steps()
        self._save(instance_id, workflow, new=True)
        for element, data in LICENCE_STEPS:
            workflow = self._load(instance_id)
            _complete(workflow, element, data)
            self._save(instance_id, workflow)
        if not workflow.is_completed() or workflow.data.get("decision", {}).get("outcome") != "issued":
            raise RuntimeError("floor licence issue did not end with a licence")


def throughput(runner: Any, count: int) -> float:
    """Procedures per second over ``count`` procedures (after one warm-up), with SpiffWorkflow as the engine runs
    it: task states set without the log records a silent logger drops (``engine.bpmn.spiff_state``)."""
    from engine.bpmn import spiff_state

    spiff_state.install()
    runner.run_one()
    start = time.perf_counter()
    for _ in range(count):
        runner.run_one()
    return count / (time.perf_counter() - start)
