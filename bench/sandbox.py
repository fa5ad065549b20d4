"""What the diagram sandbox costs per evaluation: a typical timer expression and a gateway condition, each
through ``engine.bpmn.sandbox.evaluate`` (RestrictedPython, guards, budget) and through plain ``eval``.

``python -m bench.sandbox [--quick]`` prints the figures; ``python -m bench --only sandbox`` records them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import MORNING, median
from engine.bpmn import sandbox
from engine.bpmn.scripting import expression_functions

TIMER = "add_working_days(registered_at, 2)"
CONDITION = "completeness_check['decision'] == 'complete'"


def _data() -> dict[str, Any]:
    return {"registered_at": MORNING, "completeness_check": {"decision": "complete", "reason": ""},
            "application_id": "A-1", **expression_functions()}


def per_call_us(call: Callable[[], Any], count: int) -> float:
    call()  # warm caches: compiled code, the year's calendar
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1e6


def _plain(source: str, names: dict[str, Any]) -> Callable[[], Any]:
    code = compile(source, "<expression>", "eval")
    return lambda: eval(code, dict(names))  # noqa: S307 - the unrestricted baseline being measured


def _sandboxed(source: str, names: dict[str, Any]) -> Callable[[], Any]:
    return lambda: sandbox.evaluate(source, names)


def measure(count: int = 20_000, runs: int = 3) -> dict[str, float]:
    """Median µs per evaluation of each expression, sandboxed and plain."""
    names = _data()
    figures: dict[str, float] = {}
    for label, source in (("eval", TIMER), ("condition", CONDITION)):
        for kind, make in (("sandbox", _sandboxed), ("plain", _plain)):
            call = make(source, names)
            figures[f"{kind}_{label}_us"] = median([per_call_us(call, count) for _ in range(runs)])
    figures["sandbox_eval_overhead_us"] = figures["sandbox_eval_us"] - figures["plain_eval_us"]
    figures["sandbox_condition_overhead_us"] = figures["sandbox_condition_us"] - figures["plain_condition_us"]
    return figures


def report(figures: dict[str, float]) -> str:
    return "\n".join([
        f"timer expression  {TIMER}: sandbox {figures['sandbox_eval_us']:.1f} µs, "
        f"plain eval {figures['plain_eval_us']:.1f} µs",
        f"gateway condition {CONDITION}: sandbox {figures['sandbox_condition_us']:.1f} µs, "
        f"plain eval {figures['plain_condition_us']:.1f} µs",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the evaluations")
    args = parser.parse_args(argv)
    print(report(measure(count=2_000 if args.quick else 20_000)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
