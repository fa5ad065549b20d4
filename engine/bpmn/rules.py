"""The project's own rules for a diagram, checked before anything is deployed.

Every flow node cites a clause; user tasks name an existing form and sit in a role's lane; service
tasks name a registered operation; every expression compiles in the sandbox and uses only names the
instance data can hold; every timer expression evaluates, on sample data, to a moment; and every
expression and script runs on sample data in the same sandbox, within its time and size budget.
"""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from engine import legal_time
from engine.bpmn import sandbox, spiff_clock
from engine.bpmn.elements import ElementInfo, ProcessInfo
from engine.bpmn.scripting import expression_functions
from engine.clock import SimulatedClock
from engine.errors import DefinitionProblem

CLAUSE_RE = re.compile(r"^(R\d+(-\d+)?(\.\d+)*|A\d+(\.\d+)*|LPN\.\d+(\.\d+)*|LDA\.\d+(\.\d+)*|APPC\.\d+(\.\d+)*)$")
ROLES = ("office", "officer", "signer", "head", "quality_authority")
SAMPLE_MOMENT = "2025-03-20T10:00:00+05:00"
ALWAYS_KNOWN = ("completed_at",)


class Sample(str):
    """A stand-in for any instance-data value: a moment string that can also be indexed."""

    def __new__(cls) -> Sample:
        return super().__new__(cls, SAMPLE_MOMENT)

    def __getitem__(self, key: Any) -> Sample:  # type: ignore[override]
        return Sample()

    def get(self, key: Any, default: Any = None) -> Sample:
        return Sample()


sandbox.allow_methods(Sample, {"get"})


def _names(source: str, mode: str = "eval") -> set[str]:
    tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for comp in (n for n in ast.walk(tree) if isinstance(n, ast.comprehension)):
        bound |= {n.id for n in ast.walk(comp.target) if isinstance(n, ast.Name)}
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - bound - set(sandbox.SAFE_BUILTINS) - {"True", "False", "None"}


def _sample_names(source: str, functions: dict[str, Any], mode: str = "eval") -> dict[str, Any]:
    return {**{n: Sample() for n in _names(source, mode) if n not in functions}, **functions}


class SampleRuns:
    """Runs a diagram's code on sample data, within one time budget for the whole diagram.

    Only a runaway counts against the code: other failures on sample data say nothing about it, since
    sample data is not real instance data. Once one piece of code ran away, or the diagram's code used
    up ``TOTAL_S`` seconds, the rest is not run (the diagram is refused either way)."""

    TOTAL_S = 3.0

    def __init__(self) -> None:
        self.spent = 0.0
        self.stopped = False

    def runaway(self, run: Callable[[], Any]) -> str | None:
        if self.stopped:
            return None
        started = time.monotonic()
        try:
            with spiff_clock.using(SimulatedClock(datetime.fromisoformat(SAMPLE_MOMENT))):
                run()
        except sandbox.BudgetExceeded as exc:
            self.stopped = True
            return str(exc)
        except Exception:  # noqa: S110 - see the class docstring
            pass
        finally:
            self.spent += time.monotonic() - started
        if self.spent > self.TOTAL_S:
            self.stopped = True
            return f"the diagram's code together ran longer than {self.TOTAL_S:g} s on sample data"
        return None


def check_process(
    name: str,
    info: ProcessInfo,
    *,
    form_exists: Callable[[str], bool],
    operations: Collection[str],
) -> list[DefinitionProblem]:
    problems: list[DefinitionProblem] = []

    def problem(el: ElementInfo, message: str) -> None:
        problems.append(DefinitionProblem(name, el.line, message, el.id))

    functions = expression_functions()
    samples = SampleRuns()
    known = set(info.inputs) | set(ALWAYS_KNOWN) | set(functions)
    for el in info.elements.values():
        if el.result_variable:
            known.add(el.result_variable)
        if el.form:
            known.add(el.form)

    def check_expression(el: ElementInfo, source: str, what: str) -> bool:
        try:
            sandbox.compile_expression(source)
            unknown = sorted(_names(source) - known)
        except SyntaxError as exc:
            problem(el, f"{what} is not a valid expression: {exc.msg} in {source!r}")
            return False
        except sandbox.UnsafeExpression as exc:
            problem(el, f"{what} is not allowed: {exc}")
            return False
        if unknown:
            problem(el, f"{what} uses unknown name(s) {', '.join(unknown)} in {source!r}; "
                        f"known: process inputs, service results, form keys, completed_at")
            return False
        runaway = samples.runaway(lambda: sandbox.evaluate(source, _sample_names(source, functions)))
        if runaway:
            problem(el, f"{what} runs away on sample data: {runaway}")
            return False
        return True

    for el in info.elements.values():
        for repeated in el.repeated_properties:  # a second name_ru would silently hide the first
            problem(el, f"extension property '{repeated}' is given more than once")
        if not el.clause:
            problem(el, f"{el.type} '{el.name}' has no clause reference (extension property 'clause')")
        else:
            bad = [c.strip() for c in el.clause.split(",") if not CLAUSE_RE.match(c.strip())]
            if bad:
                problem(el, f"clause reference {', '.join(bad)!r} is not of the form R7, R10.2, A3.10.2, LPN.45")
        if el.type == "userTask":
            if not el.form:
                problem(el, f"user task '{el.name}' names no form (extension property 'form')")
            elif not form_exists(el.form):
                problem(el, f"user task '{el.name}' names form '{el.form}', which is not in forms/")
            if el.lane not in ROLES:
                problem(el, f"user task '{el.name}' is not in a lane named after a role ({', '.join(ROLES)})")
        if el.type == "serviceTask":
            if not el.operator:
                problem(el, f"service task '{el.name}' names no operation (spiffworkflow:serviceTaskOperator)")
            elif el.operator not in operations:
                problem(el, f"service task '{el.name}' names operation '{el.operator}', which is not registered")
            for param, source in el.params.items():
                check_expression(el, source, f"parameter '{param}'")
        if el.timer_kind:
            _check_timer(el, check_expression, functions, problem)
        if el.type == "scriptTask":
            _check_script(el, el.script or "", functions, samples, problem)
    for flow in info.flows.values():
        if flow.condition:
            check_expression(flow, flow.condition, "condition")
    return problems


def _check_script(
    el: ElementInfo,
    source: str,
    functions: dict[str, Any],
    samples: SampleRuns,
    problem: Callable[[ElementInfo, str], None],
) -> None:
    try:
        sandbox.compile_script(source)
    except SyntaxError as exc:
        problem(el, f"script is not valid Python: {exc.msg} (script line {exc.lineno})")
        return
    except sandbox.UnsafeExpression as exc:
        problem(el, f"script is not allowed: {exc}")
        return
    runaway = samples.runaway(lambda: sandbox.execute(source, _sample_names(source, functions, "exec")))
    if runaway:
        problem(el, f"script runs away on sample data: {runaway}")


def _check_timer(
    el: ElementInfo,
    check_expression: Callable[[ElementInfo, str, str], bool],
    functions: dict[str, Any],
    problem: Callable[[ElementInfo, str], None],
) -> None:
    source = el.timer_expression or ""
    if not source:
        problem(el, f"timer '{el.name}' has an empty {el.timer_kind} expression")
        return
    if el.timer_kind != "timeDate":
        problem(el, f"timer '{el.name}' uses {el.timer_kind}; legal terms are timeDate expressions in working days")
        return
    if not check_expression(el, source, "timer expression"):
        return
    try:
        with spiff_clock.using(SimulatedClock(datetime.fromisoformat(SAMPLE_MOMENT))):
            value = sandbox.evaluate(source, _sample_names(source, functions))
        moment = datetime.fromisoformat(str(value))
    except Exception as exc:
        problem(el, f"timer expression {source!r} does not evaluate to a moment on sample data: {exc}")
        return
    if moment.tzinfo is None:
        problem(el, f"timer expression {source!r} gives a moment without a time zone offset")
    disagreement = legal_time.timer_disagreement(el.clause, source)  # the terms table binds counts to clauses
    if disagreement:
        problem(el, disagreement)
    labels = (el.name, el.properties.get("name_kk", ""), el.properties.get("name_ru", ""))
    label_wrong = legal_time.label_disagreement(el.clause, labels)  # so does the label a user reads
    if label_wrong:
        problem(el, label_wrong)
