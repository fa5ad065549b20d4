"""A restricted evaluator for the Python expressions and scripts in analyst-edited diagrams.

Diagrams are edited in a browser by analysts, so their expressions are untrusted input: no imports,
no names or attributes starting with an underscore (which closes the ``().__class__.__mro__`` escape
routes), and only a short list of harmless builtins. There is no ``open``, ``eval``, ``exec``,
``getattr`` or ``__import__``.
"""

from __future__ import annotations

import ast
import functools
from types import CodeType
from typing import Any

SAFE_BUILTINS: dict[str, Any] = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)  # type: ignore[index]
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list",
        "max", "min", "range", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
        "ValueError", "KeyError", "TypeError", "Exception",
    )
}

_FORBIDDEN_NODES = (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.AsyncFunctionDef, ast.Await,
                    ast.Yield, ast.YieldFrom, ast.ClassDef)


class UnsafeExpression(ValueError):
    """The expression uses something the sandbox does not allow."""


def check(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        if isinstance(node, _FORBIDDEN_NODES):
            raise UnsafeExpression(f"'{type(node).__name__}' is not allowed in diagram expressions")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise UnsafeExpression(f"attribute '{node.attr}' is not allowed (names starting with '_')")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise UnsafeExpression(f"name '{node.id}' is not allowed (names starting with '_')")


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> CodeType:
    tree = ast.parse(source.strip(), mode="eval")
    check(tree)
    return compile(tree, "<expression>", "eval")


@functools.lru_cache(maxsize=1024)
def compile_script(source: str) -> CodeType:
    tree = ast.parse(source, mode="exec")
    check(tree)
    return compile(tree, "<script>", "exec")


def evaluate(source: str, names: dict[str, Any]) -> Any:
    scope = dict(names)
    scope["__builtins__"] = SAFE_BUILTINS
    return eval(compile_expression(source), scope)  # noqa: S307 - checked and restricted above


def execute(source: str, names: dict[str, Any]) -> dict[str, Any]:
    scope = dict(names)
    scope["__builtins__"] = SAFE_BUILTINS
    exec(compile_script(source), scope)  # noqa: S102 - checked and restricted above
    scope.pop("__builtins__", None)
    return scope
