"""Diagram code runs in a sandbox: it cannot climb to Python internals, and a runaway stops within a second.

Every escape below worked against the earlier evaluator (which only refused names starting with '_'),
or would have hung the worker. The time bound asserted around each runaway is a safety bound, not a
benchmark.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.bpmn import sandbox
from engine.bpmn.scripting import EngineScriptEngine, expression_functions
from engine.errors import ProcessFailure
from engine.runtime.step import advance
from tests.conftest import ROOT
from web.cli import main as cli_main

SAFETY_BOUND_S = 2.0
MOMENT = "2025-03-20T10:00:00+05:00"


def names(**data: object) -> dict[str, object]:
    return {**data, **expression_functions()}


def refused(source: str, *, script: bool = False, **data: object) -> Exception:
    """The sandbox refuses ``source``: at compile time, or at run time before it reaches anything."""
    run = sandbox.execute if script else sandbox.evaluate
    with pytest.raises((sandbox.UnsafeExpression, NameError)) as err:
        run(source, names(**data))
    return err.value


def runs_away(source: str, *, script: bool = False) -> str:
    """``source`` is stopped with a budget error naming it, well within the safety bound."""
    run = sandbox.execute if script else sandbox.evaluate
    started = time.monotonic()
    with pytest.raises(ProcessFailure) as err:
        run(source, names(registered_at=MOMENT))
    elapsed = time.monotonic() - started
    assert elapsed < SAFETY_BOUND_S, f"{source!r} took {elapsed:.2f} s"
    message = str(err.value)
    assert "budget" in message
    return message


# -- escapes ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    "(x for x in [1]).gi_frame",
    "(x for x in [1]).gi_frame.f_back.f_globals",
    "[(x for x in [1])][0].gi_code",
    "(lambda: 1).__globals__",
    "now.__globals__['__builtins__']",
    "add_working_days.__code__",
    "now.__closure__",
    "().__class__.__bases__[0].__subclasses__()",
    "[c for c in ().__class__.__mro__]",
])
def test_frames_code_objects_and_dunder_walks_are_refused(source):
    error = refused(source)
    assert isinstance(error, sandbox.UnsafeExpression)


def test_a_generator_frame_walk_in_a_script_is_refused():
    script = "g = (x for x in [1])\nframe = g.gi_frame\nb = frame.f_back.f_globals['__builtins__']"
    assert isinstance(refused(script, script=True), sandbox.UnsafeExpression)


@pytest.mark.parametrize("source", [
    "'{0.__globals__}'.format(now)",
    "'{0.__globals__[SECRET_KEY]}'.format(add_working_days)",
    "'{x.__class__}'.format_map({'x': 1})",
    "x.format_map({})",
])
def test_format_string_attribute_walks_are_refused(source):
    error = refused(source, x="{0}")
    assert "format" in str(error)


@pytest.mark.parametrize("source", [
    "f'{now:{spec}}'",
    "f'{1:>{10**9}}'",
    "f'{1:>1000000000}'",
    "f'{1.5:.999999999f}'",
])
def test_f_string_format_specs_must_be_small_constants(source):
    error = refused(source, spec=">10")
    assert "format spec" in str(error)


@pytest.mark.parametrize("source", [
    "getattr(now, 'x')", "type(1)", "vars()", "dir()", "globals()", "locals()", "eval('1')", "exec('x=1')",
    "compile('1', 'f', 'eval')", "open('/etc/passwd')", "__import__('os')", "__builtins__",
    "isinstance(1, now)", "'%s' % 'a'",
])
def test_dangerous_builtins_are_absent_or_refused(source):
    refused(source)


@pytest.mark.parametrize("script", [
    "import os", "from pathlib import Path", "class A:\n    pass", "def g():\n    yield 1",
    "global x\nx = 1", "with open('x') as f:\n    pass", "print('hi')",
    "try:\n    x = 1\nexcept:\n    x = 2",
])
def test_scripts_cannot_import_define_classes_or_swallow_the_budget(script):
    assert isinstance(refused(script, script=True), sandbox.UnsafeExpression)


def test_methods_outside_the_allow_list_are_refused_even_on_data():
    assert "not allowed" in str(refused("x.encode()", x="abc"))
    assert "not allowed" in str(refused("now.x", script=False))
    assert "not allowed" in str(refused("d = {}\nd.fromkeys([1])", script=True))


def test_a_script_cannot_leave_a_generator_or_function_in_task_data():
    assert "not data" in str(refused("g = (x for x in [1, 2])", script=True))


# -- runaways ------------------------------------------------------------------------------------------------

def test_a_huge_range_is_refused_at_once():
    message = runs_away("sum(range(10**12))")
    assert "size budget" in message and "sum(range(10**12))" in message


@pytest.mark.parametrize("source", ["9**9**9", "'a'*10**10", "[0]*10**9", "10**10**6", "1 << 10**9",
                                    "'ab'.replace('', 'x'*1000)*1000", "'a'.ljust(10**9)",
                                    "','.join(['a'*1000]*2000)", "[[0]*1000]*1000"])
def test_size_bombs_fail_fast_on_the_size_budget(source):
    assert "size budget" in runs_away(source)


def test_exponential_recursion_through_lambdas_fails_on_the_time_budget():
    source = "(lambda f: f(f, 60))(lambda f, n: 1 if n == 0 else f(f, n - 1) + f(f, n - 1))"
    assert "time budget" in runs_away(source)


def test_nested_loops_in_an_expression_fail_on_the_time_budget():
    assert "time budget" in runs_away("len([i for i in range(10**5) for j in range(10**5)])")


def test_string_doubling_in_a_script_fails_on_the_size_budget():
    assert "size budget" in runs_away("a = 'a'\nfor i in range(100):\n    a = a + a", script=True)
    assert "size budget" in runs_away("a = [0]\nfor i in range(100):\n    a.extend(a)", script=True)
    assert "size budget" in runs_away("a = 'ab'\nfor i in range(100):\n    a += a", script=True)


def test_an_endless_while_loop_fails_on_the_time_budget():
    assert "time budget" in runs_away("while True:\n    pass", script=True)


def test_catching_exceptions_does_not_escape_the_budget():
    script = "while True:\n    try:\n        while True:\n            pass\n    except Exception:\n        pass"
    assert "time budget" in runs_away(script, script=True)


def test_recursive_functions_in_a_script_fail_on_the_time_budget():
    script = "def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nresult = f(60)"
    assert "time budget" in runs_away(script, script=True)


SHARED = "t = tuple([0] * 1000)\nt2 = tuple(t for i in range(1000))\nt3 = tuple(t2 for i in range(1000))\n"


@pytest.mark.parametrize("use", ["d = {t3: 1}", "d = {}\nd[t3] = 1", "s = set([t3])", "s = {t3}",
                                 "same = t3 == tuple(t2 for i in range(1000))", "text = f'{t3}'",
                                 "text = str(t3)", "top = max([t3, tuple(t2 for i in range(1000))])",
                                 "xs = [t3, tuple(t2 for i in range(1000))]\nxs.sort()",
                                 "n = [t3].count(tuple(t2 for i in range(1000)))"])
def test_structures_that_share_parts_cannot_be_hashed_compared_or_printed_for_ever(use):
    """Built cheaply from shared parts, walked in C item by item: weighed before any walk.

    Usually the size budget stops it; on a loaded machine the time budget may come first. Either way it
    is stopped within the safety bound (``runs_away``).
    """
    runs_away(SHARED.replace("t3 = tuple(t2 for i in range(1000))\n", "") +
              use.replace("t3", "tuple(t2 for i in range(1000))"), script=True)


def test_membership_in_a_large_dict_stays_cheap():
    scope = sandbox.execute("d = {i: i for i in range(10000)}\nn = len([k for k in range(10000) if k in d])",
                            names())
    assert scope["n"] == 10000


def test_legal_time_functions_refuse_terms_that_would_run_for_ever():
    with pytest.raises(ValueError, match="longer than 1000"):
        sandbox.evaluate("add_working_days(registered_at, 10**9)", names(registered_at=MOMENT))
    with pytest.raises(ValueError, match="outside the calendar"):
        sandbox.evaluate("working_days_between('0001-01-01T00:00:00+05:00', registered_at)",
                         names(registered_at=MOMENT))


def test_calling_engine_functions_in_a_loop_does_not_stretch_the_budget():
    assert "time budget" in runs_away("while True:\n    due = add_working_days(registered_at, 1000)", script=True)


def test_after_a_runaway_the_next_evaluation_has_a_fresh_budget():
    runs_away("while True:\n    pass", script=True)
    assert sandbox.evaluate("sum(range(100))", names()) == 4950


SCRIPT_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="looping" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="spin" name="Spin"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>n = 0
while True:
    n = n + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="spin" />
    <bpmn:sequenceFlow id="f2" sourceRef="spin" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""


def test_a_runaway_script_task_fails_its_step_with_a_clear_error():
    parser = SpiffBpmnParser()
    parser.add_bpmn_xml(etree.fromstring(SCRIPT_DIAGRAM.encode()), filename="looping.bpmn")
    workflow = BpmnWorkflow(parser.get_spec("looping"), script_engine=EngineScriptEngine())
    started = time.monotonic()
    with pytest.raises(ProcessFailure) as err:
        advance(workflow)
    assert time.monotonic() - started < SAFETY_BOUND_S
    assert "spin" in str(err.value) and "time budget" in str(err.value)


# -- legitimate diagram code ------------------------------------------------------------------------------

def test_gateway_conditions_and_timer_expressions_still_work():
    data = names(completeness_check={"decision": "complete"}, registration={"registered_at": MOMENT},
                 items=[3, 1, 2])
    assert sandbox.evaluate("completeness_check['decision'] == 'complete'", data) is True
    assert sandbox.evaluate("add_working_days(registration['registered_at'], 2)", data) == \
        "2025-03-27T18:30:00+05:00"  # 21-23 March are days off (Nauryz), so the 2nd working day is the 27th
    assert sandbox.evaluate("sorted(items)[0] == 1 and len(items) == 3 and max(items) == 3", data) is True
    assert sandbox.evaluate("completeness_check.get('reason', 'none').upper()", data) == "NONE"
    assert sandbox.evaluate("isinstance(items, (list, tuple)) and not isinstance(items, str)", data) is True
    assert sandbox.evaluate("f\"{completeness_check['decision']!r:>12}\"", data) == "  'complete'"
    assert sandbox.evaluate("', '.join(str(i) for i in items)", data) == "3, 1, 2"
    assert sandbox.evaluate("{**completeness_check, 'n': sum(i * 2 for i in items)}", data) == \
        {"decision": "complete", "n": 12}


def test_scripts_assign_variables_back_into_task_data():
    scope = sandbox.execute(
        "total = 0\nfor i, x in enumerate(xs):\n    total += i * x\n"
        "labels = [f'#{x}' for x in xs]\nsummary = {'total': total}\nsummary['count'] = len(xs)\n"
        "def double(v):\n    return v * 2\ndoubled = [double(x) for x in xs]",
        names(xs=[1, 2, 3]))
    assert scope["total"] == 8
    assert scope["labels"] == ["#1", "#2", "#3"]
    assert scope["summary"] == {"total": 8, "count": 3}
    assert scope["doubled"] == [2, 4, 6]


def test_a_script_task_writes_its_variables_into_the_task_data():
    diagram = SCRIPT_DIAGRAM.replace("n = 0\nwhile True:\n    n = n + 1", "n = 0\nwhile n &lt; 5:\n    n = n + 1")
    parser = SpiffBpmnParser()
    parser.add_bpmn_xml(etree.fromstring(diagram.encode()), filename="counting.bpmn")
    workflow = BpmnWorkflow(parser.get_spec("looping"), script_engine=EngineScriptEngine())
    advance(workflow)
    assert workflow.is_completed() and workflow.data["n"] == 5


def test_the_shipped_diagrams_all_validate():
    files = sorted(str(p) for p in Path(ROOT / "processes").glob("*/*.bpmn"))
    assert len(files) >= 4
    result = CliRunner().invoke(cli_main, ["processes", "validate", *files])
    assert result.exit_code == 0, result.output
    assert f"{len(files)} file(s) valid" in result.output
