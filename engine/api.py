"""The engine's facade: its use cases grouped by who calls them (engine/services/). Each use case is one unit of
work and returns views or plain data."""

from __future__ import annotations

from engine.clock import Clock
from engine.runtime.definitions import DefinitionStore
from engine.runtime.instances import Runtime
from engine.services.admin import AdminService
from engine.services.analyst import AnalystService
from engine.services.auditor import AuditorService
from engine.services.officer import OfficerService
from engine.services.operator import OperatorService
from engine.services.parts import EngineParts
from engine.transactions import SessionFactory


class ProcessEngine:
    """``analyst``, ``officer``, ``auditor``, ``operator`` and ``admin``: the use cases of each caller."""

    def __init__(self, *, session_factory: SessionFactory, clock: Clock, definitions: DefinitionStore,
                 runtime: Runtime) -> None:
        parts = EngineParts(session_factory=session_factory, clock=clock, definitions=definitions, runtime=runtime)
        self.session_factory = session_factory
        self.clock = clock
        self.definitions = definitions
        self.runtime = runtime
        self.analyst = AnalystService(parts)
        self.officer = OfficerService(parts)
        self.auditor = AuditorService(parts)
        self.operator = OperatorService(parts)
        self.admin = AdminService(parts)
