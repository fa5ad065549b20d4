"""Operations of the licensing procedures (filled in by the licensing package)."""

from __future__ import annotations

from engine.operations import OperationRegistry


def register(registry: OperationRegistry) -> None:
    from engine.licensing import operations

    operations.register_operations(registry)
