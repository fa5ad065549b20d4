"""The orchestration core's public API: what the web layer, the command line and outside callers may use.

``build_engine`` wires the core (``engine.bootstrap``); ``build_licensing`` the licensing domain's portal use
cases and ports. The facade :class:`ProcessEngine` groups the use cases by caller (``analyst``, ``officer``,
``auditor``, ``operator``, ``admin``). Views and errors are plain values. The working-day calendar,
``engine.legal_time``, is a public subpackage of its own. Everything else under ``engine`` is internal.
"""

from __future__ import annotations

from engine.accounts import ROLES, Accounts, User
from engine.api import ProcessEngine
from engine.audit import AuditSeal, VerifyResult, seal_for
from engine.bootstrap import Wiring, build_engine, default_registry, make_db_engine
from engine.clock import Clock, SystemClock
from engine.clock_ledger import LedgerClock
from engine.errors import (
    Conflict,
    DefinitionInvalid,
    DefinitionProblem,
    EngineError,
    FieldProblem,
    Forbidden,
    IntegrationFailure,
    InvalidInput,
    NotConfigured,
    NotFound,
    ProcessFailure,
    TooManyAttempts,
    Unauthorized,
    Unavailable,
)
from engine.gateway import GatewaySettings, HttpGatewayClient
from engine.inspection import SORTS as INSTANCE_SORTS
from engine.inspection import InstanceFilter, events_csv, term_outcome, to_csv
from engine.licensing.coverage import coverage_report
from engine.licensing.documents import SIGNING_FIELDS, browser_signing, signing_in_browser
from engine.licensing.service import LicensingService, build_licensing
from engine.outbox import Courier, Mailbox, Webhook
from engine.queries import COUNT_CAP, TaskFilter, TimelineEntry, case_timeline, pending_return
from engine.runtime.lanes import listed_lanes, sees_every_claim
from engine.signing.keystore import Keystore
from engine.signing.ncalayer_standin import NcaLayerStandIn
from engine.store import licensing_tables as _licensing_tables  # noqa: F401 - its tables join the metadata
from engine.store.tables import metadata
from engine.views import DefinitionView, EventView, InstanceView, TaskView, TimerView

__all__ = [
    "Accounts",
    "AuditSeal",
    "browser_signing",
    "build_engine",
    "build_licensing",
    "case_timeline",
    "Clock",
    "Conflict",
    "COUNT_CAP",
    "Courier",
    "coverage_report",
    "default_registry",
    "DefinitionInvalid",
    "DefinitionProblem",
    "DefinitionView",
    "EngineError",
    "events_csv",
    "EventView",
    "FieldProblem",
    "Forbidden",
    "GatewaySettings",
    "HttpGatewayClient",
    "INSTANCE_SORTS",
    "InstanceFilter",
    "InstanceView",
    "IntegrationFailure",
    "InvalidInput",
    "Keystore",
    "LedgerClock",
    "LicensingService",
    "listed_lanes",
    "Mailbox",
    "make_db_engine",
    "metadata",
    "NcaLayerStandIn",
    "NotConfigured",
    "NotFound",
    "pending_return",
    "ProcessEngine",
    "ProcessFailure",
    "ROLES",
    "seal_for",
    "sees_every_claim",
    "SIGNING_FIELDS",
    "signing_in_browser",
    "SystemClock",
    "TaskFilter",
    "TaskView",
    "term_outcome",
    "TimelineEntry",
    "TimerView",
    "to_csv",
    "TooManyAttempts",
    "Unauthorized",
    "Unavailable",
    "User",
    "VerifyResult",
    "Webhook",
    "Wiring",
]
