"""Service-task operations of the licensing diagrams."""

from __future__ import annotations

from engine.operations import OperationRegistry


def register(registry: OperationRegistry) -> None:
    pass
