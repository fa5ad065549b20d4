"""The project's own rules for a diagram, checked before anything is deployed.

Every flow node cites a clause; user tasks name an existing form and sit in a role's lane; service
tasks name a registered operation; every expression compiles in the sandbox and uses only names the
instance data can hold; every timer expression evaluates, on sample data, to a moment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from engine.bpmn import sandbox, spiff_clock
from engine.bpmn.elements import ElementInfo, ProcessInfo
from engine.bpmn.scripting import expression_functions
from engine.clock import SimulatedClock
from engine.errors import DefinitionProblem

CLAUSE_RE = re.compile(r"^(R\d+(-\d+)?(\.\d+)*|A\d+(\.\d+)*|LPN\.\d+(\.\d+)*|LDA\.\d+(\.\d+)*|APPC\.\d+(\.\d+)*)$")
ROLES = ("office", "officer", "signer", "head")
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


def _names(source: str) -> set[str]:
    tree = ast.parse(source.strip(), mode="eval")
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for comp in (n for n in ast.walk(tree) if isinstance(n, ast.comprehension)):
        bound |= {n.id for n in ast.walk(comp.target) if isinstance(n, ast.Name)}
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - bound - set(sandbox.SAFE_BUILTINS) - {"True", "False", "None"}


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
        return True

    for el in info.elements.values():
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
            try:
                sandbox.compile_script(el.script or "")
            except SyntaxError as exc:
                problem(el, f"script is not valid Python: {exc.msg}")
            except sandbox.UnsafeExpression as exc:
                problem(el, f"script is not allowed: {exc}")
    for flow in info.flows.values():
        if flow.condition:
            check_expression(flow, flow.condition, "condition")
    return problems


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
    names = {n: Sample() for n in _names(source) if n not in functions}
    try:
        with spiff_clock.using(SimulatedClock(datetime.fromisoformat(SAMPLE_MOMENT))):
            value = sandbox.evaluate(source, {**names, **functions})
        moment = datetime.fromisoformat(str(value))
    except Exception as exc:
        problem(el, f"timer expression {source!r} does not evaluate to a moment on sample data: {exc}")
        return
    if moment.tzinfo is None:
        problem(el, f"timer expression {source!r} gives a moment without a time zone offset")
