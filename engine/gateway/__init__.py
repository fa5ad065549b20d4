"""The e-government gateway adapter (A3.9: identity documents, business registration, payment of the
licence fee; plus court bans A3.10.4 and bailiff bans A3.10.5).

The procedures depend on the ``Gateway`` protocol only. ``SimulatedGateway`` answers from seeds an
administrator puts through the admin API in simulation mode (CONTRACT: admin/gateway). ``HttpGateway``
asks the gateway over HTTP (CONTRACT.md §3) — in production an integration bridge in front of the
national gateway (ШЭП) — with timeouts, retries and a circuit breaker; a failed call raises
``engine.errors.IntegrationFailure`` and never becomes a finding. ``UnconfiguredGateway`` fails every
call when neither is configured. Identity documents (A3.9, item 1) come through the same gateway; no
check depends on them yet.
"""

from __future__ import annotations

from .http import GatewaySettings, HttpGateway, HttpGatewayClient, UnconfiguredGateway
from .protocol import Gateway, SeedStore
from .records import (
    APPLICANT_KINDS,
    PAYMENT_PURPOSES,
    Ban,
    GatewayDataError,
    Payment,
    RegistryRecord,
)
from .seeds import REGISTRIES, validate_seed
from .simulated import SimulatedGateway

__all__ = [
    "APPLICANT_KINDS",
    "PAYMENT_PURPOSES",
    "REGISTRIES",
    "Ban",
    "Gateway",
    "GatewayDataError",
    "GatewaySettings",
    "HttpGateway",
    "HttpGatewayClient",
    "Payment",
    "RegistryRecord",
    "SeedStore",
    "SimulatedGateway",
    "UnconfiguredGateway",
    "validate_seed",
]
