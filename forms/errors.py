"""What the forms package reports and raises.

Exceptions::

    KeyError
     └── UnknownForm      no form definition has this key (a programming or deployment error)

Invalid *data* never raises: it is reported as a list of :class:`FieldError`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with submitted data: ``field`` is a dotted path (``applicant.bin_iin``,
    ``data_centers.0.address``; ``""`` for the whole document)."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class UnknownForm(KeyError):
    """No form definition has this key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"no form definition '{self.key}' in forms/definitions"
