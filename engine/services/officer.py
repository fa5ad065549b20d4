"""The officers' use cases (officer, head of unit, signer, quality authority): start and follow instances,
their task lists, claiming, drafts and completing tasks, and their own notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import Conflict, Forbidden, NotFound
from engine.queries import TaskFilter, instance_view, list_tasks, task_view
from engine.runtime import incidents, lanes, participants
from engine.services.parts import EngineParts
from engine.store.licensing_tables import Account
from engine.store.tables import HumanTask, ProcessDefinition, StaffNotification
from engine.transactions import reading, transaction
from engine.views import InstanceView, TaskView


class OfficerService:
    def __init__(self, parts: EngineParts) -> None:
        self._parts = parts
        self._sf = parts.session_factory

    def start_instance(self, key: str, data: dict[str, Any], *, actor: str,
                       business_key: str | None = None) -> InstanceView:
        with transaction(self._sf) as session:
            row = self._parts.runtime.start(session, key, data, actor=actor, business_key=business_key)
            view = instance_view(session, row)
            waiting = incidents.any_pending(session)
        return self._parts.continue_after(view, actor=actor, pending=waiting)

    def get_instance(self, instance_id: str, *, detail: bool = True) -> InstanceView:
        return self._parts.instance(instance_id, detail=detail)

    def instance_data(self, instance_id: str) -> dict[str, Any]:
        with reading(self._sf) as session:
            return self._parts.runtime.instance_data(session, instance_id)

    def element_names(self, key: str, version: int) -> dict[str, dict[str, str]]:
        """Each named element of a deployed version by its names in en, kk and ru (the diagram's name_kk and
        name_ru; the English name where a translation is missing): how officers and auditors read a case's steps."""
        with reading(self._sf) as session:
            definition_id = session.scalar(select(ProcessDefinition.id).where(
                ProcessDefinition.key == key, ProcessDefinition.version == version))
            if definition_id is None:
                return {}
            info = self._parts.definitions.load(session, definition_id).info
        return {el.id: {"en": el.name, "kk": el.properties.get("name_kk") or el.name,
                        "ru": el.properties.get("name_ru") or el.name}
                for el in info.elements.values() if el.name}

    def cancel_instance(self, instance_id: str, *, actor: str, reason: str) -> InstanceView:
        with transaction(self._sf) as session:
            return instance_view(session, self._parts.runtime.cancel(session, instance_id, actor=actor, reason=reason))

    def deliver_message(self, instance_id: str, name: str, payload: dict[str, Any], *, actor: str) -> InstanceView:
        with transaction(self._sf) as session:
            row = self._parts.runtime.deliver_message(session, instance_id, name, payload, actor=actor)
            view = instance_view(session, row)
            waiting = incidents.any_pending(session)
        return self._parts.continue_after(view, actor=actor, pending=waiting)

    def list_tasks(self, f: TaskFilter, *, offset: int = 0, limit: int = 50) -> tuple[list[TaskView], int]:
        with reading(self._sf) as session:
            return list_tasks(session, f, now=self._parts.clock.now(), offset=offset, limit=limit)

    def get_task(self, task_id: str, *, roles: Iterable[str]) -> TaskView:
        """One task, for a caller whose roles may read its lane (403 otherwise)."""
        with reading(self._sf) as session:
            row = session.get(HumanTask, task_id)
            if row is None:
                raise NotFound(f"task {task_id} does not exist")
            lanes.require_reader(set(roles), row.role, row.name)
            return task_view(row, now=self._parts.clock.now(), with_data=True)

    def complete_task(self, task_id: str, data: dict[str, Any], *, actor: str, roles: Iterable[str]) -> InstanceView:
        with transaction(self._sf) as session:
            row = self._parts.runtime.complete_task(session, task_id, data, actor=actor, roles=set(roles))
            view = instance_view(session, row)
            waiting = incidents.any_pending(session)
        return self._parts.continue_after(view, actor=actor, pending=waiting)

    def claim_task(self, task_id: str, *, actor: str, roles: Iterable[str], assignee: str | None = None,
                   release: bool = False) -> TaskView:
        """Claim (or, with ``release``, unclaim) a task; a head of unit may assign it to ``assignee``.

        The caller must act in the task's lane, and so must the assignee (422 on ``assignee`` otherwise).
        """
        roles = set(roles)
        now = self._parts.clock.now()
        with transaction(self._sf) as session:
            # locked as a completion locks it: a release never runs beside a completion by the same officer
            # whose task row it cannot see yet (and so never takes away their part in the instance)
            instance, row = self._parts.runtime.lock_task(session, task_id)
            if row.status != "open":
                raise Conflict(f"task {task_id} is no longer open")
            lanes.require_actor(roles, row.role, row.name)
            is_head = "head" in roles
            if assignee is not None and not is_head:
                raise Forbidden("only the head of the unit assigns tasks to colleagues")
            if assignee is not None:
                lanes.require_assignee(assignee, _active_roles(session, assignee), row.role)
            previous_owner = row.claimed_by  # kept: the update below sets the loaded row's too
            if release:
                if previous_owner not in (None, actor) and not is_head:
                    raise Conflict(f"task is claimed by {previous_owner}")
                new_owner = None
            else:
                new_owner = assignee or actor
                if previous_owner not in (None, new_owner) and not is_head:
                    raise Conflict(f"task is already claimed by {previous_owner}")
            result = session.execute(
                update(HumanTask).where(HumanTask.id == task_id, HumanTask.claimed_by.is_(None)
                                        if previous_owner is None else HumanTask.claimed_by == previous_owner)
                .values(claimed_by=new_owner))
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict("the task was claimed by someone else at the same moment")
            if new_owner is not None:
                participants.took_part(session, new_owner, instance.id, instance.started_at)
            if previous_owner is not None and previous_owner != new_owner:
                participants.may_have_left(session, previous_owner, instance.id)
            kind = "task_released" if release else ("task_assigned" if assignee else "task_claimed")
            audit.append(session, at=now, actor=actor, kind=kind, instance_id=row.instance_id,
                         element=row.element, clause=row.clause, data={"task_id": task_id, "to": new_owner})
            if assignee and assignee != actor:
                session.add(StaffNotification(at=now, recipient=assignee, kind="task_assigned",
                                              instance_id=row.instance_id, task_id=task_id,
                                              text={"en": f"Task assigned to you: {row.name}",
                                                    "ru": f"Вам назначена задача: {row.name}",
                                                    "kk": f"Сізге тапсырма берілді: {row.name}"}))
            session.flush()
            session.refresh(row)
            return task_view(row, now=now, with_data=True)

    def save_draft(self, task_id: str, data: dict[str, Any], *, actor: str, roles: Iterable[str]) -> None:
        with transaction(self._sf) as session:
            row = session.get(HumanTask, task_id)
            if row is None:
                raise NotFound(f"task {task_id} does not exist")
            lanes.require_actor(set(roles), row.role, row.name)
            if row.status != "open":
                raise Conflict("task is no longer open")
            if row.claimed_by not in (None, actor):
                raise Conflict(f"task is claimed by {row.claimed_by}")
            row.draft = data

    def notifications(self, username: str, roles: Iterable[str], *, limit: int = 100) -> list[dict[str, Any]]:
        """The user's own notifications and those addressed to its roles, newest first."""
        recipients = [username] + [f"role:{r}" for r in roles]
        with reading(self._sf) as session:
            rows = session.scalars(select(StaffNotification).where(
                or_(*[StaffNotification.recipient == r for r in recipients]))
                .order_by(StaffNotification.id.desc()).limit(limit))
            return [{"id": r.id, "at": r.at, "recipient": r.recipient, "kind": r.kind, "instance_id": r.instance_id,
                     "task_id": r.task_id, "text": r.text} for r in rows]


def _active_roles(session: Session, username: str) -> list[str] | None:
    """The roles of an active account, or None when there is no such account."""
    account = session.scalars(select(Account).where(Account.username == username)).first()
    return list(account.roles) if account is not None and account.active else None
