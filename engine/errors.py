"""Errors the engine raises to its callers.

* EngineError
  + NotFound            — no such instance, task, definition, application, document …
  + Conflict            — the state changed under the caller (task no longer open, stale version,
                          idempotency key reused with another body, clock moved backwards …)
  + Forbidden           — the caller's role does not own this task or object
  + Unauthorized        — the caller could not be identified (unknown user name or wrong password)
  + TooManyAttempts     — too many failed sign-ins from this address; carries the seconds to wait
  + InvalidInput        — input failed validation; carries field errors
  + DefinitionInvalid   — a BPMN file failed validation; carries file/line/message errors
  + ProcessFailure      — a diagram failed while running (bad expression, unknown operation …)
  + IntegrationFailure  — an outside system (the e-government gateway) gave no usable answer; the
                          service task waits as an incident instead of deciding on missing data
  + Unavailable         — the database cannot be reached; try again later
  + NotConfigured       — a production start lacks a setting it cannot do without (no default is made up)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with the input, named by its dotted field path."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class DefinitionProblem:
    """One thing wrong with a BPMN file."""

    file: str
    line: int | None
    message: str
    element: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "message": self.message, "element": self.element}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        suffix = f" [{self.element}]" if self.element else ""
        return f"{where}: {self.message}{suffix}"


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class NotFound(EngineError):
    pass


class Conflict(EngineError):
    pass


class Forbidden(EngineError):
    pass


class Unauthorized(EngineError):
    def __init__(self, message: str, field: str = "") -> None:
        self.field = field
        super().__init__(message)


class TooManyAttempts(EngineError):
    def __init__(self, message: str, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message)


class InvalidInput(EngineError):
    def __init__(self, problems: list[FieldProblem] | FieldProblem | str, field: str = "") -> None:
        if isinstance(problems, str):
            problems = [FieldProblem(field, problems)]
        elif isinstance(problems, FieldProblem):
            problems = [problems]
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


class DefinitionInvalid(EngineError):
    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ProcessFailure(EngineError):
    pass


class Unavailable(EngineError):
    pass


class IntegrationFailure(EngineError):
    """An outside system failed a call: ``transient`` causes (no answer, 5xx, breaker open) are retried
    automatically; the others (malformed answer, unexpected status) wait for a person."""

    def __init__(self, message: str, *, transient: bool, exchanges: list[dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.exchanges = exchanges or []  # the calls made before the failure, for the audit log


class NotConfigured(EngineError):
    """A production start lacks a setting (certificates, trust roots …): refuse, never invent a default."""
