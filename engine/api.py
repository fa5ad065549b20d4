"""The engine's public use cases. Each method is one transaction and returns views."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine import audit as audit_log
from engine import outbox
from engine.clock import Clock, SettableClock
from engine.clock_ledger import check_moment
from engine.errors import Conflict, DefinitionInvalid, DefinitionProblem, Forbidden, NotFound
from engine.queries import TaskFilter, instance_view, list_tasks, task_view
from engine.runtime import incidents, lanes
from engine.runtime.definitions import DefinitionStore
from engine.runtime.instances import Runtime
from engine.runtime.timers import FiredTimer, fire_due, next_due
from engine.store.licensing_tables import Account
from engine.store.tables import HumanTask, OutboxEvent, ProcessDefinition, ProcessInstance, StaffNotification
from engine.transactions import SessionFactory, reading, transaction
from engine.views import DefinitionView, InstanceView, TaskView

log = logging.getLogger(__name__)


class ProcessEngine:
    """Facade over definitions, instances, tasks, timers and the audit log."""

    def __init__(self, *, session_factory: SessionFactory, clock: Clock, definitions: DefinitionStore,
                 runtime: Runtime) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.definitions = definitions
        self.runtime = runtime

    # -- definitions --------------------------------------------------------------------------------------

    def validate(self, data: bytes | str, name: str, *, actor: str) -> list[DefinitionProblem]:
        """Every problem of a BPMN file (empty when valid); the attempt is audited with the analyst's name."""
        try:
            self.definitions.validate(data, name)
            problems: list[DefinitionProblem] = []
        except DefinitionInvalid as exc:
            problems = exc.problems
        self._audit_definition(data, name, actor=actor, kind="process_validated", problems=problems)
        return problems

    def _audit_definition(self, data: bytes | str, name: str, *, actor: str, kind: str,
                          problems: list[DefinitionProblem]) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with transaction(self.session_factory) as session:
            audit_log.append(session, at=self.clock.now(), actor=actor, kind=kind,
                             data={"source": name, "sha256": hashlib.sha256(raw).hexdigest(),
                                   "valid": not problems, "problems": len(problems)})

    def deploy(self, data: bytes | str, name: str, *, actor: str) -> list[DefinitionView]:
        """Validate and deploy; a refused deploy is audited too (its transaction deployed nothing)."""
        try:
            with transaction(self.session_factory) as session:
                rows = self.definitions.deploy(session, data, name, actor=actor, now=self.clock.now())
                for row, created in rows:
                    if created:
                        audit_log.append(session, at=self.clock.now(), actor=actor, kind="process_deployed",
                                         data={"key": row.key, "version": row.version, "sha256": row.sha256,
                                               "source": name})
                return [_definition_view(row, created) for row, created in rows]
        except DefinitionInvalid as exc:
            self._audit_definition(data, name, actor=actor, kind="process_deploy_refused", problems=exc.problems)
            raise

    def list_definitions(self) -> list[DefinitionView]:
        with reading(self.session_factory) as session:
            counts = dict(session.execute(
                select(ProcessInstance.definition_id, func.count()).group_by(ProcessInstance.definition_id)).all())
            return [_definition_view(r, True, counts.get(r.id, 0)) for r in self.definitions.versions(session)]

    def definition_xml(self, key: str, version: int) -> str:
        if not 1 <= version <= 2**31 - 1:
            raise NotFound(f"process '{key}' has no version {version}")
        with reading(self.session_factory) as session:
            row = session.scalars(select(ProcessDefinition).where(
                ProcessDefinition.key == key, ProcessDefinition.version == version)).first()
            if row is None:
                raise NotFound(f"process '{key}' has no version {version}")
            return row.bpmn_xml

    def diff(self, key: str, old_version: int, new_version: int) -> dict[str, Any]:
        from engine.bpmn.diff import diff

        return diff(self.definition_xml(key, old_version), self.definition_xml(key, new_version), key)

    def save_draft_diagram(self, key: str, xml: str, *, owner: str, base_version: int) -> None:
        from engine.store.tables import AnalystDraft

        with transaction(self.session_factory) as session:
            row = session.get(AnalystDraft, (owner, key))
            if row is None:
                session.add(AnalystDraft(owner=owner, key=key, base_version=base_version, bpmn_xml=xml,
                                         updated_at=self.clock.now()))
            else:
                row.bpmn_xml, row.base_version, row.updated_at = xml, base_version, self.clock.now()

    def draft_diagram(self, key: str, *, owner: str) -> str | None:
        from engine.store.tables import AnalystDraft

        with reading(self.session_factory) as session:
            row = session.get(AnalystDraft, (owner, key))
            return row.bpmn_xml if row else None

    def discard_draft_diagram(self, key: str, *, owner: str) -> None:
        from engine.store.tables import AnalystDraft

        with transaction(self.session_factory) as session:
            row = session.get(AnalystDraft, (owner, key))
            if row is not None:
                session.delete(row)

    # -- instances ----------------------------------------------------------------------------------------

    def start_instance(self, key: str, data: dict[str, Any], *, actor: str,
                       business_key: str | None = None) -> InstanceView:
        with transaction(self.session_factory) as session:
            row = self.runtime.start(session, key, data, actor=actor, business_key=business_key)
            view = instance_view(session, row)
        return self._continue(view, actor=actor)

    def get_instance(self, instance_id: str, *, detail: bool = True) -> InstanceView:
        with reading(self.session_factory) as session:
            row = session.get(ProcessInstance, instance_id)
            if row is None:
                raise NotFound(f"process instance {instance_id} does not exist")
            return instance_view(session, row, detail=detail)

    def instance_data(self, instance_id: str) -> dict[str, Any]:
        with reading(self.session_factory) as session:
            return self.runtime.instance_data(session, instance_id)

    def cancel_instance(self, instance_id: str, *, actor: str, reason: str) -> InstanceView:
        with transaction(self.session_factory) as session:
            return instance_view(session, self.runtime.cancel(session, instance_id, actor=actor, reason=reason))

    def deliver_message(self, instance_id: str, name: str, payload: dict[str, Any], *, actor: str) -> InstanceView:
        with transaction(self.session_factory) as session:
            row = self.runtime.deliver_message(session, instance_id, name, payload, actor=actor)
            view = instance_view(session, row)
        return self._continue(view, actor=actor)

    # -- tasks --------------------------------------------------------------------------------------------

    def list_tasks(self, f: TaskFilter, *, offset: int = 0, limit: int = 50) -> tuple[list[TaskView], int]:
        with reading(self.session_factory) as session:
            return list_tasks(session, f, now=self.clock.now(), offset=offset, limit=limit)

    def get_task(self, task_id: str, *, roles: Iterable[str]) -> TaskView:
        """One task, for a caller whose roles may read its lane (403 otherwise)."""
        with reading(self.session_factory) as session:
            row = session.get(HumanTask, task_id)
            if row is None:
                raise NotFound(f"task {task_id} does not exist")
            lanes.require_reader(set(roles), row.role, row.name)
            return task_view(row, now=self.clock.now(), with_data=True)

    def complete_task(self, task_id: str, data: dict[str, Any], *, actor: str,
                      roles: Iterable[str]) -> InstanceView:
        with transaction(self.session_factory) as session:
            row = self.runtime.complete_task(session, task_id, data, actor=actor, roles=set(roles))
            view = instance_view(session, row)
        return self._continue(view, actor=actor)

    def claim_task(self, task_id: str, *, actor: str, roles: Iterable[str], assignee: str | None = None,
                   release: bool = False) -> TaskView:
        """Claim (or, with ``release``, unclaim) a task; a head of unit may assign it to ``assignee``.

        The caller must act in the task's lane, and so must the assignee (422 on ``assignee`` otherwise).
        """
        roles = set(roles)
        with transaction(self.session_factory) as session:
            row = session.get(HumanTask, task_id)
            if row is None:
                raise NotFound(f"task {task_id} does not exist")
            if row.status != "open":
                raise Conflict(f"task {task_id} is no longer open")
            lanes.require_actor(roles, row.role, row.name)
            is_head = "head" in roles
            if assignee is not None and not is_head:
                raise Forbidden("only the head of the unit assigns tasks to colleagues")
            if assignee is not None:
                lanes.require_assignee(assignee, _active_roles(session, assignee), row.role)
            if release:
                if row.claimed_by not in (None, actor) and not is_head:
                    raise Conflict(f"task is claimed by {row.claimed_by}")
                new_owner = None
            else:
                new_owner = assignee or actor
                if row.claimed_by not in (None, new_owner) and not is_head:
                    raise Conflict(f"task is already claimed by {row.claimed_by}")
            result = session.execute(
                update(HumanTask).where(HumanTask.id == task_id, HumanTask.claimed_by.is_(row.claimed_by)
                                        if row.claimed_by is None else HumanTask.claimed_by == row.claimed_by)
                .values(claimed_by=new_owner))
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict("the task was claimed by someone else at the same moment")
            kind = "task_released" if release else ("task_assigned" if assignee else "task_claimed")
            audit_log.append(session, at=self.clock.now(), actor=actor, kind=kind, instance_id=row.instance_id,
                             element=row.element, clause=row.clause, data={"task_id": task_id, "to": new_owner})
            if assignee and assignee != actor:
                session.add(StaffNotification(at=self.clock.now(), recipient=assignee, kind="task_assigned",
                                              instance_id=row.instance_id, task_id=task_id,
                                              text={"en": f"Task assigned to you: {row.name}",
                                                    "ru": f"Вам назначена задача: {row.name}",
                                                    "kk": f"Сізге тапсырма берілді: {row.name}"}))
            session.flush()
            session.refresh(row)
            return task_view(row, now=self.clock.now(), with_data=True)

    def save_draft(self, task_id: str, data: dict[str, Any], *, actor: str, roles: Iterable[str]) -> None:
        with transaction(self.session_factory) as session:
            row = session.get(HumanTask, task_id)
            if row is None:
                raise NotFound(f"task {task_id} does not exist")
            lanes.require_actor(set(roles), row.role, row.name)
            if row.status != "open":
                raise Conflict("task is no longer open")
            if row.claimed_by not in (None, actor):
                raise Conflict(f"task is claimed by {row.claimed_by}")
            row.draft = data

    # -- timers and the clock -------------------------------------------------------------------------------

    def fire_due_timers(self) -> list[FiredTimer]:
        fired = fire_due(self.session_factory, self.runtime)
        for instance_id in dict.fromkeys(f.instance_id for f in fired):
            incidents.run_pending(self.session_factory, self.runtime, instance_id=instance_id, actor="scheduler")
        return fired

    def next_timer_due(self) -> datetime | None:
        with reading(self.session_factory) as session:
            return next_due(session)

    def set_clock(self, target: datetime, *, actor: str = "system") -> list[FiredTimer]:
        """Move the simulated clock, firing every timer due on the way, in due order.

        Any moment from 2023 to 2100 while no process instance exists; after that only forward.
        """
        clock = self.clock
        if not clock.simulated or not isinstance(clock, SettableClock):
            raise NotFound("the clock is not simulated")
        target = check_moment(target)
        with reading(self.session_factory) as session:
            has_instances = session.scalar(select(ProcessInstance.id).limit(1)) is not None
        if target < clock.now() and has_instances:
            raise Conflict("the simulated clock only moves forward once process instances exist")
        if not has_instances:
            clock.set(target, actor=actor)
        fired: list[FiredTimer] = []
        while True:
            due = self.next_timer_due()
            if due is None or due >= target:
                break
            step_to = min(due + timedelta(seconds=1), target)
            if step_to > clock.now():
                clock.set(step_to, actor=actor, forward_only=True)
            batch = self.fire_due_timers()
            fired += batch
            if not batch and step_to >= target:
                break
            if not batch and due < clock.now():
                # a due timer that could not fire (failed instance) must not stall the clock
                self._skip_stuck(due)
        clock.set(target, actor=actor, forward_only=has_instances)
        fired += self.fire_due_timers()
        audit_log_event = {"now": target.isoformat(), "fired": len(fired)}
        with transaction(self.session_factory) as session:
            audit_log.append(session, at=target, actor=actor, kind="clock_set", data=audit_log_event)
        return fired

    def _skip_stuck(self, due: datetime) -> None:
        log.warning("a timer due at %s did not fire; its instance was parked", due)
        with transaction(self.session_factory) as session:
            from engine.store.tables import Timer

            for row in session.scalars(select(Timer).where(Timer.due_at == due, Timer.fired_at.is_(None),
                                                           Timer.cancelled_at.is_(None))):
                row.cancelled_at = self.clock.now()

    # -- audit and feeds ------------------------------------------------------------------------------------

    def verify_audit(self, *, instance_id: str | None = None) -> audit_log.VerifyResult:
        with reading(self.session_factory) as session:
            return audit_log.verify(session, chain=instance_id)

    def monitoring_feed(self, *, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        from engine import legal_time

        with reading(self.session_factory) as session:
            rows = session.scalars(select(OutboxEvent).where(OutboxEvent.id > after)
                                   .order_by(OutboxEvent.id).limit(limit))
            return [{"id": r.id, "at": legal_time.iso(r.at), "instance_id": r.instance_id,
                     "application_id": r.application_id, "kind": r.kind, "element": r.element,
                     "clause": r.clause, "payload": r.payload} for r in rows]


    # -- service tasks in steps of their own, and their incidents (engine/runtime/incidents.py) -------------

    def _continue(self, view: InstanceView, *, actor: str) -> InstanceView:
        """After a committed step: run the service tasks it left for steps of their own (gateway calls).

        Every pending one, not only this instance's: a step may start another instance (an application
        re-opened by a complaint), and its gateway steps must not wait for the scheduler's next pass.
        """
        outcomes = incidents.run_pending(self.session_factory, self.runtime, actor=actor)
        return self.get_instance(view.id) if outcomes else view

    def run_continuations(self, *, instance_id: str | None = None, actor: str = "system") -> list[Any]:
        return incidents.run_pending(self.session_factory, self.runtime, instance_id=instance_id, actor=actor)

    def retry_due_incidents(self) -> list[Any]:
        """The scheduler's pass: transient incidents whose backoff ran out, and continuations not yet run."""
        return incidents.retry_due(self.session_factory, self.runtime)

    def list_incidents(self, *, status: str | None = "open", instance_id: str | None = None) -> list[dict[str, Any]]:
        with reading(self.session_factory) as session:
            return incidents.listing(session, status=status, instance_id=instance_id)

    def held_by_incidents(self) -> list[dict[str, Any]]:
        """Open incidents with the legal terms that keep running on their instances (officers' view)."""
        with reading(self.session_factory) as session:
            return incidents.held(session)

    def get_incident(self, incident_id: str) -> dict[str, Any]:
        return incidents.get(self.session_factory, incident_id)

    def retry_incident(self, incident_id: str, *, actor: str) -> dict[str, Any]:
        return incidents.retry(self.session_factory, self.runtime, incident_id, actor=actor)

    def resolve_incident(self, incident_id: str, *, actor: str, resolution: Any) -> dict[str, Any]:
        return incidents.resolve(self.session_factory, self.runtime, incident_id, actor=actor,
                                 resolution=resolution)

    # -- outbox deliveries (engine/outbox.py) ------------------------------------------------------------------

    def delivery_states(self, instance_id: str) -> dict[str, dict[int, dict[str, Any]]]:
        with reading(self.session_factory) as session:
            return outbox.delivery_states(session, instance_id)

    def list_deliveries(self, *, status: str | None = "dead") -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Deliveries in ``status`` (newest first) and how many there are in each state."""
        with reading(self.session_factory) as session:
            return outbox.deliveries(session, status=status), outbox.counts(session)

    def requeue_delivery(self, delivery_id: int, *, actor: str) -> dict[str, Any]:
        with transaction(self.session_factory) as session:
            return outbox.requeue(session, delivery_id, actor=actor, now=self.clock.now())


def _active_roles(session: Session, username: str) -> list[str] | None:
    """The roles of an active account, or None when there is no such account."""
    account = session.scalars(select(Account).where(Account.username == username)).first()
    return list(account.roles) if account is not None and account.active else None


def _definition_view(row: ProcessDefinition, created: bool, instances: int = 0) -> DefinitionView:
    return DefinitionView(row.key, row.version, row.deployed_at, row.deployed_by, row.sha256, row.source_name,
                          created, instances)
