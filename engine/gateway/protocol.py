"""The gateway port: what the licensing procedures ask the e-government gateway (A3.9, A3.10.4, A3.10.5)."""

from __future__ import annotations

from typing import Any, Protocol

from .records import Ban, Payment, RegistryRecord


class Gateway(Protocol):
    """Data the provider pulls from the e-government gateway, not from the applicant.

    Identity documents (A3.9, item 1) are part of the same gateway; no check of the procedures depends
    on them yet, so the port does not name them.
    """

    def business_registry(self, bin_iin: str) -> RegistryRecord | None:
        """Registration of the legal entity / entrepreneur; None = no answer beyond "as submitted"."""
        ...

    def payments(self, bin_iin: str) -> list[Payment]:
        """Payments of the licence (or reissue) fee to the budget, oldest first."""
        ...

    def court_bans(self, bin_iin: str) -> list[Ban]:
        """Court decisions suspending or banning the activity (A3.10.4), every one known."""
        ...

    def bailiff_bans(self, bin_iin: str) -> list[Ban]:
        """Temporary bans on licences to a debtor at a bailiff's request (A3.10.5), every one known."""
        ...


class SeedStore(Protocol):
    """Where the simulated gateway's answers are kept (the DB-backed store lives in engine.licensing)."""

    def get(self, registry: str, bin_iin: str) -> dict[str, Any] | None:
        """The seeded body of ``registry`` for ``bin_iin``, or None if nothing was seeded."""
        ...
