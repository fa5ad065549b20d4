"""Engine throughput on the licence-issue diagram: persisted engine vs bare in-memory SpiffWorkflow."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.bootstrap import build_engine, make_db_engine
from engine.clock import SimulatedClock
from engine.operations import OperationRegistry, default_registry
from engine.queries import TaskFilter

ROOT = Path(__file__).resolve().parent.parent
DIAGRAM = ROOT / "processes" / "licence_issue" / "licence_issue.bpmn"
FAR = "2030-01-01T18:30:00+05:00"
CANNED: dict[str, dict[str, Any]] = {
    "register_application": {"registered_at": "2029-12-02T10:00:00+05:00", "total_term_due": FAR,
                             "expected_result_at": FAR},
    "check_business_registry": {"registered": True}, "check_bans": {"grounds": []},
    "check_fee": {"paid": True}, "check_completeness": {"complete": True},
    "draft_decision": {"kind": "licence"}, "issue_decision": {"outcome": "issued"},
}
DATA = {"application": {"applicant": {"name": "Bench LLP", "bin_iin": "210340000003"}}, "application_id": "a",
        "application_number": "N", "subtype": "II", "submitted_at": "2029-12-02T10:00:00+05:00"}
DECISIONS = [("completeness_check", {"decision": "complete"}), ("qualification_check", {"decision": "compliant"}),
             ("sign_licence", {"decision": "sign"})]


def stub_registry() -> OperationRegistry:
    registry = default_registry()
    for name, result in CANNED.items():
        registry.register(name, description="bench stub")(lambda call, r=result: dict(r))
    return registry


def persisted(url: str, n: int) -> float:
    """Procedures per second through the persisted engine (one transaction per step)."""
    wiring = build_engine(make_db_engine(url), clock=SimulatedClock(datetime(2029, 12, 2, 5, tzinfo=UTC)),
                          operations=stub_registry(), create_schema=True)
    engine = wiring.engine
    engine.deploy(DIAGRAM.read_bytes(), "licence_issue.bpmn", actor="bench")
    roles = {"officer": ["officer"], "signer": ["signer"]}
    started = time.perf_counter()
    for _ in range(n):
        instance = engine.start_instance("licence_issue", DATA, actor="bench")
        for element, data in DECISIONS:
            role = "signer" if element.startswith("sign") else "officer"
            tasks, _ = engine.list_tasks(TaskFilter(roles=roles[role]))
            task = next(t for t in tasks if t.instance_id == instance.id and t.element == element)
            engine.complete_task(task.id, data, actor="bench", roles=roles[role])
    elapsed = time.perf_counter() - started
    wiring.db.dispose()
    return n / elapsed


class _Env(TaskDataEnvironment):
    def call_service(self, context: dict[str, Any], operation_name: str = "", **kw: Any) -> str:
        return json.dumps(CANNED.get(operation_name, {}))


def bare(n: int) -> float:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DIAGRAM))
    spec, subs = parser.get_spec("licence_issue"), parser.get_subprocess_specs("licence_issue")
    env = _Env({"add_working_days": lambda at, days: FAR, "now": lambda: "2029-12-02T10:00:00+05:00"})
    started = time.perf_counter()
    for _ in range(n):
        wf = BpmnWorkflow(spec, subs, script_engine=PythonScriptEngine(environment=env))
        for task in wf.get_tasks(state=TaskState.READY):
            task.data.update(DATA)
        wf.do_engine_steps()
        for element, data in DECISIONS:
            task = next(t for t in wf.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == element)
            task.data[task.task_spec.extensions["properties"]["form"]] = data
            task.data["completed_at"] = {**task.data.get("completed_at", {}), element: "2029-12-02T10:00:00+05:00"}
            task.run()
            wf.do_engine_steps()
        assert wf.is_completed()
    return n / (time.perf_counter() - started)
