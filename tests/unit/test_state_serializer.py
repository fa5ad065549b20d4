"""The engine's state serializer writes and restores tasks exactly as SpiffWorkflow's own TaskConverter does
(its JSON text: tests/unit/test_jsontext.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID

import pytest
from SpiffWorkflow.bpmn.serializer.default.workflow import TaskConverter

from engine.bpmn import serializer
from engine.store.tables import ProcessInstance
from tests.support import make_engine, open_tasks, start_review

T0 = datetime(2025, 3, 20, 14, 0, tzinfo=UTC)


@pytest.fixture
def stages(tmp_path):
    """The example review's stored state at each stage it waits in, with what restores it."""
    wiring, _ = make_engine(f"sqlite:///{tmp_path / 'states.db'}", T0, resident_workflows=0)
    runtime = wiring.engine.runtime
    instance = start_review(wiring)

    def stored() -> tuple[str, object]:
        with wiring.engine.session_factory() as session:
            row = session.get(ProcessInstance, instance.id)
            return row.state_json, runtime.definitions.load(session, row.definition_id)

    texts = [stored()]  # at the review, its deadline pending
    [task] = open_tasks(wiring)
    wiring.engine.officer.complete_task(task.id, {"decision": "complete", "note": "Құжаттар толық"},
                                        actor="officer", roles=["officer"])
    texts.append(stored())  # waiting for the payment
    return runtime.serializer, texts


def _stock(registry):
    return TaskConverter(serializer.Task, registry)  # SpiffWorkflow's own, on a registry of its own kind


def test_every_task_is_written_as_spiffworkflows_converter_writes_it(stages):
    state_serializer, texts = stages
    registry = state_serializer._registry
    stock = _stock(type(registry)())
    for text, definition in texts:
        workflow = state_serializer.load_state(text, definition.spec, definition.subprocess_specs)
        for task in workflow.tasks.values():
            assert serializer._task_to_dict(registry, task) == {**stock.to_dict(task), "typename": "Task"}


def test_every_task_is_restored_as_spiffworkflows_converter_restores_it(stages):
    state_serializer, texts = stages
    for text, definition in texts:
        ours = state_serializer.load_state(text, definition.spec, definition.subprocess_specs)
        theirs = state_serializer.load_state(text, definition.spec, definition.subprocess_specs)
        stock = _stock(type(state_serializer._registry)())
        theirs.tasks = {}
        for dct in json.loads(text)["tasks"].values():
            stock.from_dict({k: v for k, v in dct.items() if k != "typename"}, theirs)
        stored = [UUID(key) for key in json.loads(text)["tasks"]]
        for task_id in stored:
            mine, stocks = ours.tasks[task_id], theirs.tasks[task_id]
            assert (mine.id, mine._parent, mine.state, mine.task_spec, mine.triggered, mine.last_state_change) == \
                   (stocks.id, stocks._parent, stocks.state, stocks.task_spec, stocks.triggered,
                    stocks.last_state_change)
            assert [c for c in mine._children if c in stored] == [c for c in stocks._children if c in stored]
            assert (mine.data, mine.internal_data) == (stocks.data, stocks.internal_data)
        waiting = sorted(str(t.id) for t in ours.event_manager.tasks.values())
        assert waiting and waiting == sorted(str(t.id) for t in theirs.event_manager.tasks.values())


def test_data_that_looks_like_a_serialized_object_is_restored_as_the_data_it_is(tmp_path):
    wiring, _ = make_engine(f"sqlite:///{tmp_path / 'typename.db'}", T0, resident_workflows=0)
    lookalike = {"typename": "BpmnEvent", "payload": {"typename": "Task", "id": "not a task"}}
    instance = wiring.engine.officer.start_instance(
        "example_review", {"registered_at": "2025-03-20T19:00:00+05:00", "application_id": "app-1",
                           "note": lookalike}, actor="portal", business_key="app-1")
    [task] = open_tasks(wiring)  # the next step restores the state from the row
    wiring.engine.officer.complete_task(task.id, {"decision": "complete"}, actor="officer", roles=["officer"])
    assert wiring.engine.officer.instance_data(instance.id)["note"] == lookalike


def test_states_are_stored_as_spiffworkflows_own_workflow_and_restored_as_the_engines(stages):
    from engine.bpmn.tree import EngineWorkflow

    state_serializer, texts = stages
    for text, definition in texts:
        assert json.loads(text)["typename"] == "BpmnWorkflow"  # what SpiffWorkflow and earlier releases read
        workflow = state_serializer.load_state(text, definition.spec, definition.subprocess_specs)
        assert type(workflow) is EngineWorkflow
        assert json.loads(state_serializer.dump_state(workflow))["typename"] == "BpmnWorkflow"
