"""The e-government gateway over HTTP (CONTRACT.md §3): ``GET {url}/{registry}/{bin_iin}``.

200 carries the same JSON body as the simulation's seeds, 404 means "no record" (the registry's
default). Anything else — no answer in time, a refused connection, a 5xx, another status, a body that
is not the contract's shape — raises :class:`engine.errors.IntegrationFailure`: a check never turns a
failed call into a finding ("not paid", "no ban").

The reads are idempotent, so transient failures (no answer, connection errors, 5xx, 429) are retried
with exponential backoff. A circuit breaker shared by every call stops asking a gateway that keeps
failing: it opens after ``breaker_failures`` consecutive failed attempts and lets one trial call
through after ``breaker_cooldown_seconds``; that call's success closes it again.

Each attempt is reported to a recorder (registry, BIN/IIN, status, duration) — the audit log keeps
these, and nothing else of the answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from json import JSONDecodeError
from typing import Any

import httpx

from engine.errors import IntegrationFailure

from .records import (
    Ban,
    GatewayDataError,
    Payment,
    RegistryRecord,
    bans_from,
    payments_from,
    registry_record_from,
)
from .seeds import REGISTRIES, validate_seed

Exchange = dict[str, Any]
Recorder = Callable[[Exchange], None]
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class GatewaySettings:
    """How to reach the gateway (web/config.py names each setting)."""

    url: str
    timeout_seconds: float = 5.0
    attempts: int = 3  # tries per read, the first included
    backoff_seconds: float = 0.2  # wait before the 2nd try; doubled before each further one
    breaker_failures: int = 5
    breaker_cooldown_seconds: float = 30.0
    bearer_token: str | None = None
    client_cert: str | None = None  # PEM file of the provider's TLS client certificate
    client_key: str | None = None  # its private key (PEM), when not in the certificate file
    ca_bundle: str | None = None  # trust roots of the gateway's server certificate (default: the system's)


class CircuitBreaker:
    """Closed → open after N consecutive failures → half-open after the cool-down → closed on a success."""

    def __init__(self, failures: int, cooldown_seconds: float,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.threshold = max(1, failures)
        self.cooldown = cooldown_seconds
        self.monotonic = monotonic
        self.failures = 0
        self.opened_at: float | None = None
        self.trial_running = False
        self.lock = threading.Lock()

    @property
    def state(self) -> str:
        with self.lock:
            return self._state()

    def _state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.monotonic() - self.opened_at >= self.cooldown else "open"

    def allow(self) -> bool:
        """May a call go out now? In half-open state only one trial call at a time."""
        with self.lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self.trial_running:
                self.trial_running = True
                return True
            return False

    def succeeded(self) -> None:
        with self.lock:
            self.failures, self.opened_at, self.trial_running = 0, None, False

    def failed(self) -> None:
        with self.lock:
            self.failures += 1
            if self.trial_running or self.failures >= self.threshold:
                self.opened_at = self.monotonic()
            self.trial_running = False


class HttpGatewayClient:
    """One per process: the HTTP connection pool, the retry policy and the circuit breaker."""

    def __init__(self, settings: GatewaySettings, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.sleep = sleep
        self.monotonic = monotonic
        self.breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_seconds, monotonic)
        headers = {"Accept": "application/json"}
        if settings.bearer_token:
            headers["Authorization"] = f"Bearer {settings.bearer_token}"
        cert: tuple[str, str] | str | None = None
        if settings.client_cert:
            cert = (settings.client_cert, settings.client_key) if settings.client_key else settings.client_cert
        self.http = httpx.Client(base_url=settings.url.rstrip("/"), headers=headers, cert=cert,
                                 verify=settings.ca_bundle or True, transport=transport,
                                 timeout=httpx.Timeout(settings.timeout_seconds), follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def fetch(self, registry: str, bin_iin: str, record: Recorder) -> dict[str, Any] | None:
        """The registry's body for ``bin_iin``; None for 404 (no record); IntegrationFailure otherwise."""
        if registry not in REGISTRIES:
            raise ValueError(f"unknown registry {registry!r}")
        if not (len(bin_iin) == 12 and bin_iin.isdigit()):
            raise ValueError("a BIN/IIN has 12 digits")
        attempts = max(1, self.settings.attempts)
        for attempt in range(1, attempts + 1):
            if not self.breaker.allow():
                record(_exchange(registry, bin_iin, attempt, "breaker_open", None, 0.0))
                raise IntegrationFailure(f"the gateway is not asked for a while after repeated failures "
                                         f"(circuit breaker open; {registry})", transient=True)
            started = self.monotonic()
            outcome, failure = self._attempt(registry, bin_iin)
            status, body = outcome
            record(_exchange(registry, bin_iin, attempt, failure.outcome if failure else "ok", status,
                             self.monotonic() - started))
            if failure is None:
                self.breaker.succeeded()
                return body
            if failure.transient:
                self.breaker.failed()
            else:
                # the gateway answered; its answer is wrong, not its availability
                self.breaker.succeeded()
            if not failure.transient or attempt == attempts:
                raise IntegrationFailure(f"{registry}: {failure.message}", transient=failure.transient)
            self.sleep(self.settings.backoff_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _attempt(self, registry: str, bin_iin: str) -> tuple[tuple[int | None, dict[str, Any] | None],
                                                              _Failure | None]:
        try:
            response = self.http.get(f"/{registry}/{bin_iin}")
        except httpx.TimeoutException:
            return (None, None), _Failure("timeout", "no answer in time", transient=True)
        except httpx.TransportError as exc:
            return (None, None), _Failure("unreachable", f"the gateway cannot be reached ({type(exc).__name__})",
                                          transient=True)
        status = response.status_code
        if status == 404:
            return (status, None), None
        if status in RETRIED_STATUSES:
            return (status, None), _Failure("error_status", f"the gateway answered {status}", transient=True)
        if status != 200:
            return (status, None), _Failure("unexpected_status", f"unexpected answer {status}", transient=False)
        try:
            body = response.json()
        except (JSONDecodeError, UnicodeDecodeError):
            return (status, None), _Failure("malformed", "the answer is not JSON", transient=False)
        problems = [(field, message) for field, message in validate_seed(registry, body)
                    if not message.startswith("unknown field")]  # newer fields of the gateway are ignored
        if problems:
            where = "; ".join(f"{field or 'body'}: {message}" for field, message in problems[:3])
            return (status, None), _Failure("malformed", f"the answer does not have the contract's shape ({where})",
                                            transient=False)
        return (status, body), None


@dataclass(frozen=True)
class _Failure:
    outcome: str
    message: str
    transient: bool


def _exchange(registry: str, bin_iin: str, attempt: int, outcome: str, status: int | None,
              seconds: float) -> Exchange:
    return {"registry": registry, "bin_iin": bin_iin, "attempt": attempt, "outcome": outcome, "status": status,
            "duration_ms": round(seconds * 1000)}


class HttpGateway:
    """The Gateway port over :class:`HttpGatewayClient`, for one engine step.

    ``record`` keeps each successful exchange (the step writes it to the audit log); on a failure every
    exchange of the step so far travels on the IntegrationFailure, since the step's own writes roll back.
    """

    def __init__(self, client: HttpGatewayClient, record: Recorder | None = None) -> None:
        self.client = client
        self.record = record
        self.exchanges: list[Exchange] = []

    def _fetch(self, registry: str, bin_iin: str) -> dict[str, Any] | None:
        made: list[Exchange] = []
        try:
            body = self.client.fetch(registry, bin_iin, made.append)
        except IntegrationFailure as exc:
            self.exchanges += made
            raise IntegrationFailure(str(exc), transient=exc.transient, exchanges=list(self.exchanges)) from exc
        self.exchanges += made
        if self.record is not None:
            for exchange in made:
                self.record(exchange)
        return body

    def _parse(self, registry: str, parse: Callable[[dict[str, Any]], Any], body: dict[str, Any]) -> Any:
        try:
            return parse(body)
        except GatewayDataError as exc:
            raise IntegrationFailure(f"{registry}: the answer does not have the contract's shape ({exc})",
                                     transient=False, exchanges=list(self.exchanges)) from exc

    def business_registry(self, bin_iin: str) -> RegistryRecord | None:
        body = self._fetch("business_registry", bin_iin)
        return None if body is None else self._parse("business_registry", registry_record_from, body)  # type: ignore[no-any-return]

    def payments(self, bin_iin: str) -> list[Payment]:
        body = self._fetch("payments", bin_iin)
        return [] if body is None else self._parse("payments", payments_from, body)  # type: ignore[no-any-return]

    def court_bans(self, bin_iin: str) -> list[Ban]:
        body = self._fetch("court_bans", bin_iin)
        return [] if body is None else self._parse("court_bans", bans_from, body)  # type: ignore[no-any-return]

    def bailiff_bans(self, bin_iin: str) -> list[Ban]:
        body = self._fetch("bailiff_bans", bin_iin)
        return [] if body is None else self._parse("bailiff_bans", bans_from, body)  # type: ignore[no-any-return]


class UnconfiguredGateway:
    """Stands in when no gateway URL is set outside simulation: every read fails, loudly, as an incident."""

    MESSAGE = "no e-government gateway is configured (set LICENSING_GATEWAY_URL)"

    def _fail(self, bin_iin: str) -> Any:
        raise IntegrationFailure(self.MESSAGE, transient=False)

    business_registry = payments = court_bans = bailiff_bans = _fail
