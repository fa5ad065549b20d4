"""The e-government gateway adapter (A3.9: identity documents, business registration, payment of the
licence fee; plus court bans A3.10.4 and bailiff bans A3.10.5).

The procedures depend on the ``Gateway`` protocol only. ``SimulatedGateway`` answers from seeds an
administrator puts through the admin API in simulation mode (CONTRACT: admin/gateway). The real adapter
implements the same four methods against the e-government gateway (SOAP/REST through the Government's
integration bus, with the provider's certificates); it is not reachable from here and is not part of this
code base. Identity documents (A3.9, item 1) come through the same gateway; no check depends on them yet.
"""

from __future__ import annotations

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
    "Payment",
    "RegistryRecord",
    "SeedStore",
    "SimulatedGateway",
    "validate_seed",
]
