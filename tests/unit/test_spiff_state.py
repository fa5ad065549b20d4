"""engine.bpmn.spiff_state sets task states as SpiffWorkflow's own ``Task._set_state`` does, without the log record
while nobody listens, and with SpiffWorkflow's own record when its logger listens."""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

import pytest
from SpiffWorkflow import task as spiff_task
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import spiff_state

# start -> split -> (review | check) -> join -> end: predicted, future, ready, waiting and completed tasks
DIAGRAM = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="split"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:outgoing>f3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:userTask id="review"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="check"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:parallelGateway id="join"><bpmn:incoming>f4</bpmn:incoming><bpmn:incoming>f5</bpmn:incoming>
      <bpmn:outgoing>f6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:endEvent id="e"><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="check" />
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="check" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def _run() -> None:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(DIAGRAM)
    workflow = BpmnWorkflow(parser.get_spec("p"), script_engine=PythonScriptEngine())
    workflow.do_engine_steps()
    for name in ("review", "check"):
        [task] = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.bpmn_id == name]
        task.run()
        workflow.do_engine_steps()
    assert workflow.is_completed()


def _transitions(monkeypatch: pytest.MonkeyPatch, method: Any) -> list[tuple[str, str, str, bool]]:
    """Each state set during a run: the task's spec, its state before and after, whether its moment moved."""
    ticks = itertools.count(1_000_000)
    monkeypatch.setattr(time, "time", lambda: float(next(ticks)))  # every call answers a later moment
    seen: list[tuple[str, str, str, bool]] = []

    def recording(task: Any, value: int) -> None:
        before, moment = task._state, task.last_state_change
        method(task, value)
        seen.append((task.task_spec.name, TaskState.get_name(before), TaskState.get_name(task._state),
                     task.last_state_change != moment))

    monkeypatch.setattr(spiff_task.Task, "_set_state", recording)
    _run()
    monkeypatch.undo()
    return seen


def test_a_run_sets_the_same_states_at_the_same_steps_as_spiffworkflows_own_method(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING, logger="spiff.task"):  # as the app logs it
        theirs = _transitions(monkeypatch, spiff_state._original)
        ours = _transitions(monkeypatch, spiff_state._set_state)
    assert ours == theirs
    assert ("review", "READY", "COMPLETED", True) in ours
    assert ("join", "WAITING", "WAITING", False) in ours  # the join waits again for its second branch
    assert all(moved == (before != after) for _, before, after, moved in ours)  # a state set again keeps its moment


def test_with_its_logger_listening_spiffworkflow_logs_each_state_change_itself(monkeypatch, caplog):
    monkeypatch.setattr(spiff_task.Task, "_set_state", spiff_state._set_state)
    with caplog.at_level(logging.INFO, logger="spiff.task"):
        _run()
    changes = [r for r in caplog.records if r.name == "spiff.task" and r.getMessage() == "State changed to COMPLETED"]
    assert {r.task_spec for r in changes} >= {"review", "check", "join"}
    assert all(r.workflow_spec == "p" and isinstance(r.elapsed, float) for r in changes)


def test_installing_it_twice_is_installing_it_once():
    spiff_state.install()
    spiff_state.install()
    assert spiff_task.Task._set_state is spiff_state._set_state
