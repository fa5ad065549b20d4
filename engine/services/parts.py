"""What every group of use cases shares: the session factory, the clock, the definitions and the runtime."""

from __future__ import annotations

from dataclasses import dataclass

from engine.clock import Clock
from engine.errors import NotFound
from engine.queries import instance_view
from engine.runtime import incidents
from engine.runtime.definitions import DefinitionStore
from engine.runtime.instances import Runtime
from engine.store.tables import ProcessInstance
from engine.transactions import SessionFactory, reading
from engine.views import InstanceView


@dataclass
class EngineParts:
    session_factory: SessionFactory
    clock: Clock
    definitions: DefinitionStore
    runtime: Runtime

    def instance(self, instance_id: str, *, detail: bool = True) -> InstanceView:
        with reading(self.session_factory) as session:
            row = session.get(ProcessInstance, instance_id)
            if row is None:
                raise NotFound(f"process instance {instance_id} does not exist")
            return instance_view(session, row, detail=detail)

    def continue_after(self, view: InstanceView, *, actor: str, pending: bool = True) -> InstanceView:
        """After a committed step: run the service tasks it left for steps of their own (gateway calls).

        Every pending one, not only this instance's: a step may start another instance (an application
        re-opened by a complaint), and its gateway steps must not wait for the scheduler's next pass.
        ``pending``: what :func:`incidents.any_pending` answered in the step's transaction (False: nothing
        to run, no need to look again).
        """
        if not pending:
            return view
        outcomes = incidents.run_pending(self.session_factory, self.runtime, actor=actor)
        return self.instance(view.id) if outcomes else view
