"""engine.bpmn.tree.tasks answers what SpiffWorkflow's get_tasks answers — the same tasks in the same order — for
every combination of task states, on every shipped diagram and at every stage of a run."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import tree

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "bpmn" / "example_review.bpmn"
DIAGRAMS = [*sorted((ROOT / "processes").glob("*/*.bpmn")), EXAMPLE]
STATES = (TaskState.MAYBE, TaskState.LIKELY, TaskState.FUTURE, TaskState.WAITING, TaskState.READY,
          TaskState.STARTED, TaskState.COMPLETED, TaskState.ERROR, TaskState.CANCELLED)
MASKS = [sum(combination) for n in range(1, len(STATES) + 1) for combination in itertools.combinations(STATES, n)]

SUBPROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="outer" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:subProcess id="inner"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:startEvent id="is"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:userTask id="work"><bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing></bpmn:userTask>
      <bpmn:endEvent id="ie"><bpmn:incoming>g2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="g1" sourceRef="is" targetRef="work" />
      <bpmn:sequenceFlow id="g2" sourceRef="work" targetRef="ie" />
    </bpmn:subProcess>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="inner" />
    <bpmn:sequenceFlow id="f2" sourceRef="inner" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def _process_id(path: Path) -> str:
    return path.stem


def _assert_same(workflow: BpmnWorkflow) -> None:
    for mask in MASKS:
        assert [t.id for t in tree.tasks(workflow, mask)] == [t.id for t in workflow.get_tasks(state=mask)], mask


def _workflow(path: Path) -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(path))
    process = _process_id(path)
    return BpmnWorkflow(parser.get_spec(process), parser.get_subprocess_specs(process),
                        script_engine=PythonScriptEngine())


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_a_new_workflow_of_every_diagram_and_the_same_cancelled(path):
    workflow = _workflow(path)
    if path.stem == "licence_issue":
        assert workflow.get_tasks(state=TaskState.PREDICTED_MASK)  # a new workflow is mostly predictions
    _assert_same(workflow)
    workflow.cancel()
    assert workflow.get_tasks(state=TaskState.CANCELLED)
    _assert_same(workflow)


def test_every_stage_of_the_example_review(tmp_path):
    from datetime import UTC, datetime

    from tests.support import make_engine, open_tasks, start_review

    wiring, _ = make_engine(f"sqlite:///{tmp_path / 'tree.db'}", datetime(2025, 3, 20, 14, 0, tzinfo=UTC),
                            resident_workflows=0)
    runtime = wiring.engine.runtime
    instance = start_review(wiring)

    def restored() -> BpmnWorkflow:
        with wiring.engine.session_factory() as session:
            from engine.store.tables import ProcessInstance

            row = session.get(ProcessInstance, instance.id)
            definition = runtime.definitions.load(session, row.definition_id)
            return runtime.serializer.load_state(row.state_json, definition.spec, definition.subprocess_specs)

    _assert_same(restored())  # waiting at the review, its deadline pending
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    _assert_same(restored())  # waiting for the payment message, the review done, its deadline cancelled


def test_a_workflow_with_a_subprocess_is_walked_by_spiffworkflow_itself(tmp_path):
    path = tmp_path / "outer.bpmn"
    path.write_text(SUBPROCESS)
    workflow = _workflow(path)
    workflow.do_engine_steps()
    assert workflow.subprocesses  # the subprocess has started and waits at its user task
    _assert_same(workflow)
    assert [t.task_spec.bpmn_id for t in tree.tasks(workflow, TaskState.READY)] == ["work"]
