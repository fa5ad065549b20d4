"""Python operations that BPMN service tasks call by name.

An operation receives an :class:`OperationCall` (the step it runs in, the element, the instance data
and its evaluated parameters) and returns a JSON-serializable dict, stored under the service task's
``resultVariable``. Operations register themselves in an :class:`OperationRegistry`; the registry the
engine uses is built by :func:`engine.bootstrap.default_registry`, which wires the domain's operations in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.runtime.step import Step


@dataclass
class OperationCall:
    step: Step
    element: str
    data: dict[str, Any]
    params: dict[str, Any]


OperationFunc = Callable[[OperationCall], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    name: str
    func: OperationFunc
    description: str
    params: tuple[str, ...] = ()
    clause: str = ""
    external: bool = False  # calls an outside system: runs in a step of its own, a failure is an incident
    own_step: bool = False  # slow local work (rendering and signing acts): a step of its own, out of the caller's

    @property
    def deferred(self) -> bool:
        """Run after the step that reaches it commits, in a transaction of its own; a failure is an incident."""
        return self.external or self.own_step


@dataclass
class OperationRegistry:
    operations: dict[str, Operation] = field(default_factory=dict)

    def register(self, name: str, *, description: str, params: tuple[str, ...] = (), clause: str = "",
                 external: bool = False, own_step: bool = False) -> Callable[[OperationFunc], OperationFunc]:
        def decorator(func: OperationFunc) -> OperationFunc:
            self.operations[name] = Operation(name, func, description, params, clause, external, own_step)
            return func

        return decorator

    def __contains__(self, name: object) -> bool:
        return name in self.operations

    def __iter__(self) -> Iterator[str]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def get(self, name: str) -> Operation | None:
        return self.operations.get(name)

    def describe(self) -> list[dict[str, Any]]:
        return [
            {"name": op.name, "description": op.description, "params": list(op.params), "clause": op.clause}
            for op in sorted(self.operations.values(), key=lambda o: o.name)
        ]

