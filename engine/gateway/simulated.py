"""The simulated e-government gateway: answers what an administrator seeded (CONTRACT: admin/gateway)."""

from __future__ import annotations

from .protocol import SeedStore
from .records import Ban, Payment, RegistryRecord, bans_from, payments_from, registry_record_from


class SimulatedGateway:
    """Gateway over a SeedStore; unseeded registries give the contract's defaults.

    * business_registry: None — "registered, as submitted"; the registry check decides what that means.
    * payments, court_bans, bailiff_bans: none.
    """

    def __init__(self, seed_store: SeedStore) -> None:
        self.seed_store = seed_store

    def business_registry(self, bin_iin: str) -> RegistryRecord | None:
        body = self.seed_store.get("business_registry", bin_iin)
        return registry_record_from(body) if body is not None else None

    def payments(self, bin_iin: str) -> list[Payment]:
        body = self.seed_store.get("payments", bin_iin)
        return payments_from(body) if body is not None else []

    def court_bans(self, bin_iin: str) -> list[Ban]:
        body = self.seed_store.get("court_bans", bin_iin)
        return bans_from(body) if body is not None else []

    def bailiff_bans(self, bin_iin: str) -> list[Ban]:
        body = self.seed_store.get("bailiff_bans", bin_iin)
        return bans_from(body) if body is not None else []
