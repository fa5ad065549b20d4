"""The sandbox every expression and script of an analyst-edited diagram runs in.

Diagrams are edited in a browser by analysts, so their code is untrusted input. It is compiled with
RestrictedPython under ``sandbox_policy.DiagramPolicy`` and runs with an explicit allow-list of builtins
and guarded access to plain data only (``sandbox_guards``): no imports, no ``getattr``/``type``/
``vars``/``eval``/``open``, no frames, code objects or ``str.format`` walks. Each evaluation is bounded
in time (about a second) and in size; one that runs away fails with ``BudgetExceeded``, a
``ProcessFailure`` naming the expression, and the caller's thread is free again.
"""

from __future__ import annotations

import ast
import functools
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec

from engine.bpmn import sandbox_guards as guards
from engine.bpmn.sandbox_guards import UnsafeExpression, allow_methods, trusted
from engine.bpmn.sandbox_policy import DiagramPolicy
from engine.errors import ProcessFailure

__all__ = ["SAFE_BUILTINS", "BudgetExceeded", "UnsafeExpression", "allow_methods", "compile_expression",
           "compile_script", "evaluate", "execute", "trusted"]

SAFE_BUILTINS: dict[str, Any] = guards.BUILTINS
_SHOWN_SOURCE = 120


class BudgetExceeded(ProcessFailure):
    """An expression or script ran over its time or size budget and was stopped."""


_ABSENT = object()


def _checked(result: Any) -> CodeType:
    if result.errors or result.code is None:
        raise UnsafeExpression("; ".join(result.errors))
    code: CodeType = result.code
    return code


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> CodeType:
    """Compile an expression; SyntaxError if it is not Python, UnsafeExpression if the sandbox refuses it."""
    tree = ast.parse(source.strip(), mode="eval")
    return _checked(compile_restricted_eval(tree, "<expression>", policy=DiagramPolicy))


@functools.lru_cache(maxsize=1024)
def compile_script(source: str) -> CodeType:
    """Compile a script task's code; SyntaxError if it is not Python, UnsafeExpression if refused."""
    tree = ast.parse(source, mode="exec")
    return _checked(compile_restricted_exec(tree, "<script>", policy=DiagramPolicy))


def _shown(source: str) -> str:
    text = " ".join(source.split())
    return text if len(text) <= _SHOWN_SOURCE else text[:_SHOWN_SOURCE] + "…"


def _budget_failure(exc: BaseException, source: str, what: str) -> BudgetExceeded:
    kind, detail = (exc.kind, exc.detail) if isinstance(exc, guards.Exhausted) else ("time", "recursion too deep")
    return BudgetExceeded(f"{what} {_shown(source)!r} exceeded its {kind} budget ({detail}) and was stopped")


def evaluate(source: str, names: dict[str, Any]) -> Any:
    """The value of an expression over ``names`` (task data and functions), within the budget."""
    code = compile_expression(source)
    scope = {**names, **guards.GUARDS}
    token = guards.start()
    try:
        result = eval(code, scope)  # noqa: S307 - restricted, guarded and budgeted above
        guards.weight(result)
    except (guards.Exhausted, RecursionError) as exc:
        raise _budget_failure(exc, source, "expression") from None
    finally:
        guards.stop(token)
    return result


def execute(source: str, names: dict[str, Any]) -> dict[str, Any]:
    """Run a script over ``names``; returns the names it leaves (what it assigned included)."""
    code = compile_script(source)
    scope = {**names, **guards.GUARDS}
    token = guards.start()
    try:
        exec(code, scope)  # noqa: S102 - restricted, guarded and budgeted above
        for name, value in scope.items():
            if not name.startswith("_") and not callable(value) and value is not names.get(name, _ABSENT):
                guards.check_data(value, f"variable '{name}'")
    except (guards.Exhausted, RecursionError) as exc:
        raise _budget_failure(exc, source, "script") from None
    finally:
        guards.stop(token)
    return {name: value for name, value in scope.items() if name not in guards.GUARDS}
