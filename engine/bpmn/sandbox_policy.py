"""The compile-time half of the diagram sandbox: RestrictedPython's policy, tightened for diagrams.

On top of RestrictedPython (no names or attributes starting with ``_``, guarded attribute,
item and iteration access), this policy refuses imports, classes, generators, ``global``, ``with``, bare
``except`` and ``print``, allows only constant f-string format specs of a sane width, and routes the
operations that can grow without limit through the guards of ``sandbox_guards``: ``+ * ** << % |`` go
through ``_binop_``, unpacking through ``_spread_``; what C code walks (comparison operands, f-string
values, dict keys, set items) is weighed first; every ``while`` loop, function call and lambda call ticks
the budget.
"""

from __future__ import annotations

import ast
import re
from typing import Any, cast

from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

FORMAT_NUMBER_LIMIT = 1000
_GUARDED_OPERATORS = {ast.Add: "add", ast.Mult: "mult", ast.Pow: "pow", ast.LShift: "lshift", ast.Mod: "mod",
                      ast.BitOr: "bitor"}
_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
                ast.In: "in", ast.NotIn: "not in"}
_REFUSED = {
    ast.Import: "imports",
    ast.ImportFrom: "imports",
    ast.ClassDef: "class definitions",
    ast.Global: "'global'",
    ast.Yield: "generators ('yield')",
    ast.YieldFrom: "generators ('yield from')",
    ast.AsyncFunctionDef: "async functions",
    ast.Await: "'await'",
    ast.AsyncFor: "'async for'",
    ast.AsyncWith: "'async with'",
    ast.With: "'with' statements",
}

_REFUSED_ATTRIBUTES = frozenset({"format", "format_map"})  # str.format walks attributes: '{0.__globals__}'


def _call(guard: str, *args: ast.expr, like: ast.expr | ast.stmt) -> ast.Call:
    node = ast.Call(func=ast.Name(guard, ast.Load()), args=list(args), keywords=[])
    copy_locations(node, like)
    return node


def _tick(like: ast.stmt) -> ast.Expr:
    node = ast.Expr(_call("_tick_", like=like))
    copy_locations(node, like)
    return node


class DiagramPolicy(RestrictingNodeTransformer):
    """RestrictedPython's transformer with the diagram sandbox's extra refusals and budget guards."""

    def visit(self, node: ast.AST) -> Any:
        refused = _REFUSED.get(type(node))
        if refused is not None:
            self.error(node, f"diagram code may not use {refused}")
            return node
        return super().visit(node)

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in ("print", "printed"):
            self.error(node, f"'{node.id}' is not allowed in diagram code")
            return node
        return super().visit_Name(node)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if node.attr in _REFUSED_ATTRIBUTES:
            self.error(node, f"'.{node.attr}' is not allowed in diagram code (it can reach Python internals)")
            return node
        return super().visit_Attribute(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> Any:
        if node.type is None:
            self.error(node, "a bare 'except:' is not allowed; name the exception")
        return super().visit_ExceptHandler(node)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = cast(ast.BinOp, super().visit_BinOp(node))
        name = _GUARDED_OPERATORS.get(type(node.op))
        if name is None:
            return node
        constant = ast.Constant(name)
        copy_locations(constant, node)
        return _call("_binop_", constant, node.left, node.right, like=node)

    def visit_Compare(self, node: ast.Compare) -> Any:
        node = cast(ast.Compare, super().visit_Compare(node))
        if all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            return node
        if len(node.ops) == 1:
            op = ast.Constant(_COMPARISONS[type(node.ops[0])])
            copy_locations(op, node)
            return _call("_compare_", op, node.left, node.comparators[0], like=node)
        node.left = self._weighed(node.left)
        node.comparators = [self._weighed(c) for c in node.comparators]
        return node

    def _weighed(self, operand: ast.expr) -> ast.expr:
        return operand if isinstance(operand, ast.Constant) else _call("_weighed_", operand, like=operand)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            if not all(isinstance(p, ast.Constant) for p in parts):
                self.error(node, "an f-string format spec must be a constant")
                return node
            text = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
            if any(int(n) > FORMAT_NUMBER_LIMIT for n in re.findall(r"\d+", text)):
                self.error(node, f"an f-string format spec may not ask for more than {FORMAT_NUMBER_LIMIT} characters")
                return node
        node = cast(ast.FormattedValue, super().visit_FormattedValue(node))
        node.value = self._weighed(node.value)
        return node

    def visit_Starred(self, node: ast.Starred) -> Any:
        node = cast(ast.Starred, super().visit_Starred(node))
        if isinstance(node.ctx, ast.Load):
            node.value = _call("_spread_", node.value, like=node.value)
        return node

    def visit_Dict(self, node: ast.Dict) -> Any:
        node = cast(ast.Dict, super().visit_Dict(node))
        node.values = [_call("_spread_", value, like=value) if key is None else value
                       for key, value in zip(node.keys, node.values, strict=True)]
        node.keys = [None if key is None else self._weighed(key) for key in node.keys]
        return node

    def visit_Set(self, node: ast.Set) -> Any:
        node = cast(ast.Set, super().visit_Set(node))
        node.elts = [self._weighed(e) for e in node.elts]
        return node

    def visit_SetComp(self, node: ast.SetComp) -> Any:
        node = cast(ast.SetComp, super().visit_SetComp(node))
        node.elt = self._weighed(node.elt)
        return node

    def visit_DictComp(self, node: ast.DictComp) -> Any:
        node = cast(ast.DictComp, super().visit_DictComp(node))
        node.key = self._weighed(node.key)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        visited = super().visit_Subscript(node)
        if isinstance(visited, ast.Subscript) and not isinstance(visited.ctx, ast.Load) and \
                not any(isinstance(n, ast.Slice) for n in ast.walk(visited.slice)):
            visited.slice = self._weighed(visited.slice)
        return visited

    def visit_Lambda(self, node: ast.Lambda) -> Any:
        node = cast(ast.Lambda, super().visit_Lambda(node))
        body = ast.BoolOp(op=ast.Or(), values=[_call("_tick_", like=node.body), node.body])
        copy_locations(body, node.body)
        node.body = body
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        node = cast(ast.FunctionDef, super().visit_FunctionDef(node))
        node.body.insert(0, _tick(node.body[0]))
        return node

    def visit_While(self, node: ast.While) -> Any:
        node = cast(ast.While, super().visit_While(node))
        node.body.insert(0, _tick(node.body[0]))
        return node
