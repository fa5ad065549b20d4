"""Diagram expressions cannot import, open files or climb to Python internals."""

from __future__ import annotations

import pytest

from engine.bpmn import sandbox


@pytest.mark.parametrize("source", [
    "__import__('os')",
    "open('/etc/passwd').read()",
    "().__class__.__bases__[0].__subclasses__()",
    "getattr(x, 'y')",
    "eval('1')",
    "exec('x=1')",
    "globals()",
    "[c for c in ().__class__.__mro__]",
    "(lambda: 1).__globals__",
])
def test_unsafe_expressions_fail(source):
    with pytest.raises((sandbox.UnsafeExpression, NameError)):
        sandbox.evaluate(source, {"x": 1})


def test_imports_in_scripts_are_refused():
    with pytest.raises(sandbox.UnsafeExpression):
        sandbox.execute("import os\nos.system('id')", {})
    with pytest.raises(sandbox.UnsafeExpression):
        sandbox.execute("from pathlib import Path", {})


def test_ordinary_expressions_work():
    assert sandbox.evaluate("a['decision'] == 'complete' and len(b) == 2", {"a": {"decision": "complete"},
                                                                          "b": [1, 2]})
    assert sandbox.execute("total = sum(x)", {"x": [1, 2, 3]})["total"] == 6
