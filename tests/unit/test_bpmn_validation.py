"""A diagram is validated before anything is deployed: safe XML, BPMN schema, executable, project rules."""

from __future__ import annotations

import time

import pytest

from engine.bootstrap import default_registry
from engine.bpmn.serializer import StateSerializer
from engine.errors import DefinitionInvalid
from engine.runtime.definitions import DefinitionStore
from tests.conftest import bpmn_fixture

GOOD = bpmn_fixture("example_review").decode()


@pytest.fixture(scope="module")
def store() -> DefinitionStore:
    return DefinitionStore(StateSerializer(), form_exists=lambda key: key == "completeness_check",
                           operations=default_registry())


def problems(store: DefinitionStore, text: str) -> list:
    with pytest.raises(DefinitionInvalid) as err:
        store.validate(text.encode(), "case.bpmn")
    return err.value.problems


def test_the_example_diagram_is_valid(store):
    validated = store.validate(GOOD.encode(), "example_review.bpmn")
    assert list(validated.processes) == ["example_review"]


def test_an_entity_bomb_is_refused_without_being_expanded(store):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10))
            + ']><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol9;</bpmn:definitions>')
    started = time.monotonic()
    [problem] = problems(store, bomb)
    assert "DOCTYPE" in problem.message
    assert time.monotonic() - started < 1.0


def test_an_external_entity_is_refused(store):
    xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&xxe;</bpmn:definitions>')
    [problem] = problems(store, xxe)
    assert "ENTITY" in problem.message or "DOCTYPE" in problem.message


def test_malformed_xml_reports_the_line(store):
    [problem] = problems(store, GOOD.replace("</bpmn:process>", "</bpmn:proces>"))
    assert problem.line is not None and "well-formed" in problem.message


def test_schema_violations_are_reported_with_lines(store):
    found = problems(store, GOOD.replace('<bpmn:startEvent id="start"', '<bpmn:startEvent id="start" bogus="1"'))
    assert found[0].line and "schema" in found[0].message


def test_a_missing_clause_is_named_with_its_element_and_line(store):
    text = GOOD.replace('<spiffworkflow:property name="clause" value="A3.9" />', "")
    [problem] = problems(store, text)
    assert problem.element == "precheck" and "clause" in problem.message and problem.line


def test_a_user_task_must_name_an_existing_form(store):
    found = problems(store, GOOD.replace('value="completeness_check"', 'value="no_such_form"'))
    assert any(p.element == "review" and "no_such_form" in p.message for p in found)


def test_a_service_task_must_name_a_registered_operation(store):
    [problem] = problems(store, GOOD.replace('serviceTaskOperator id="noop"', 'serviceTaskOperator id="rm_rf"'))
    assert problem.element == "precheck" and "rm_rf" in problem.message


def test_a_timer_expression_must_evaluate_on_sample_data(store):
    [problem] = problems(store, GOOD.replace("add_working_days(registered_at, 2)", "add_working_days(registered_at,"))
    assert problem.element == "review_deadline" and "not a valid expression" in problem.message


def test_a_timer_expression_with_an_unknown_name_is_refused(store):
    [problem] = problems(store, GOOD.replace("add_working_days(registered_at, 2)", "add_working_days(registerd_at, 2)"))
    assert "registerd_at" in problem.message


def test_a_timer_expression_that_is_not_a_moment_is_refused(store):
    [problem] = problems(store, GOOD.replace("add_working_days(registered_at, 2)", "'next tuesday'"))
    assert "moment" in problem.message


def test_expressions_that_try_to_import_or_reach_internals_are_refused(store):
    found = problems(store, GOOD.replace("completeness_check['decision'] == 'complete'",
                                         "completeness_check.__class__.__mro__"))
    assert "not allowed" in found[0].message
    found = problems(store, GOOD.replace("completeness_check['decision'] == 'complete'",
                                         "__import__('os').system('id')"))
    assert "not allowed" in found[0].message


def test_user_tasks_must_sit_in_a_role_lane(store):
    [problem] = problems(store, GOOD.replace('name="officer"', 'name="clerks"'))
    assert problem.element == "review" and "lane" in problem.message


def test_a_runaway_timer_expression_makes_the_diagram_invalid_within_a_couple_of_seconds(store):
    started = time.monotonic()
    found = problems(store, GOOD.replace("add_working_days(registered_at, 2)",
                                         "add_working_days(registered_at, len([i for i in range(10**5) "
                                         "for j in range(10**5)]))"))
    assert time.monotonic() - started < 3.0
    [problem] = found
    assert problem.element == "review_deadline" and problem.line
    assert "runs away" in problem.message and "time budget" in problem.message


def test_a_size_bomb_in_a_condition_makes_the_diagram_invalid(store):
    [problem] = problems(store, GOOD.replace("completeness_check['decision'] == 'complete'",
                                             "completeness_check['decision'] == 'a' * 10**10"))
    assert problem.element == "f_ok" and "size budget" in problem.message


def test_a_format_string_walk_in_a_condition_is_refused(store):
    [problem] = problems(store, GOOD.replace("completeness_check['decision'] == 'complete'",
                                             "'{0.__globals__}'.format(now) == 'x'"))
    assert problem.element == "f_ok" and "not allowed" in problem.message and "format" in problem.message


def with_script(script: str) -> str:
    task = ('<bpmn:scriptTask id="compute" name="Compute"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="clause" value="R7" /></spiffworkflow:properties></bpmn:extensionElements>'
            f'<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f2b</bpmn:outgoing><bpmn:script>{script}</bpmn:script>'
            '</bpmn:scriptTask><bpmn:sequenceFlow id="f2b" sourceRef="compute" targetRef="review" />')
    return GOOD.replace('<bpmn:sequenceFlow id="f2" sourceRef="precheck" targetRef="review" />',
                        '<bpmn:sequenceFlow id="f2" sourceRef="precheck" targetRef="compute" />' + task)


def test_a_script_that_loops_for_ever_makes_the_diagram_invalid(store):
    started = time.monotonic()
    [problem] = problems(store, with_script("n = 0\nwhile True:\n    n = n + 1"))
    assert time.monotonic() - started < 3.0
    assert problem.element == "compute" and problem.line and "time budget" in problem.message


def test_a_script_that_is_refused_names_its_line(store):
    [problem] = problems(store, with_script("x = 1\nclass A:\n    pass"))
    assert problem.element == "compute" and "not allowed" in problem.message and "Line 2" in problem.message


def test_an_ordinary_script_on_unknown_data_is_valid(store):
    validated = store.validate(with_script("total = sum(x['amount'] for x in payments)\nok = total &gt; 0").encode(),
                               "case.bpmn")
    assert list(validated.processes) == ["example_review"]
