"""Use cases on one process instance, each inside the caller's transaction."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from engine import audit, legal_time
from engine.bpmn import spiff_clock, tree
from engine.bpmn.scripting import EngineScriptEngine
from engine.bpmn.serializer import SERIALIZER_VERSION, StateSerializer
from engine.clock import Clock
from engine.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from engine.operations import OperationRegistry
from engine.runtime import lanes, participants
from engine.runtime.definitions import DefinitionStore, LoadedDefinition
from engine.runtime.resident import ResidentWorkflows
from engine.runtime.step import EMPTY, FiredTimer, Mirror, Ports, Step, advance, mirror, sync
from engine.store import bulk
from engine.store.tables import Continuation, HumanTask, ProcessInstance, Timer

FormValidator = Callable[[str, dict[str, Any]], list[FieldProblem]]
INSTANCE_TABLE = cast(Table, ProcessInstance.__table__)
# what a step may change on its instance's row; a batch of steps writes them with one executemany (below)
STEP_WRITTEN = ("status", "ended_at", "outcome", "term_breached", "last_error", "serializer_version", "state_json",
                "completed_path", "active_elements")
INSTANCE_WRITTEN = bulk.guarded(
    update(INSTANCE_TABLE)
    .where(INSTANCE_TABLE.c.id == bindparam("b_id"), INSTANCE_TABLE.c.version_id == bindparam("b_version"))
    .values({INSTANCE_TABLE.c[name]: bindparam(f"b_{name}", type_=INSTANCE_TABLE.c[name].type)
             for name in STEP_WRITTEN} | {INSTANCE_TABLE.c.version_id: bindparam("b_next")}))
DETACHED = EngineScriptEngine()  # the script engine of a kept workflow between steps: it dispatches nothing
_INSTANCE_OF_TASK = select(ProcessInstance).where(ProcessInstance.id == select(HumanTask.instance_id).where(
    HumanTask.id == bindparam("task_id")).scalar_subquery())
_INSTANCE_OF_TASK_LOCKED = _INSTANCE_OF_TASK.with_for_update()


class Runtime:
    """Starts instances, completes tasks, fires timers, delivers messages, cancels."""

    def __init__(
        self,
        *,
        definitions: DefinitionStore,
        serializer: StateSerializer,
        operations: OperationRegistry,
        ports: Ports,
        clock: Clock,
        validate_form: FormValidator,
        resident: ResidentWorkflows | None = None,
    ) -> None:
        self.definitions = definitions
        self.serializer = serializer
        self.operations = operations
        self.ports = ports
        self.clock = clock
        self.validate_form = validate_form
        self.resident = resident if resident is not None else ResidentWorkflows()
        # called with (kind, seconds) after each step; the web app feeds it to its metrics
        self.step_observer: Callable[[str, float], None] | None = None

    def _observe(self, kind: str, started: float) -> None:
        if self.step_observer is not None:
            self.step_observer(kind, time.perf_counter() - started)

    # -- loading and saving ---------------------------------------------------------------------------

    def _lock_instance(self, session: Session, instance_id: str) -> ProcessInstance:
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = session.scalars(query).first()
        if row is None:
            raise NotFound(f"process instance {instance_id} does not exist")
        return row

    def _open(self, session: Session, instance: ProcessInstance, actor: str,
              now: datetime | None = None) -> tuple[Step, Any]:
        definition = self.definitions.load(session, instance.definition_id)
        step = Step(session, clock=self.clock, actor=actor, instance=instance, definition=definition,
                    operations=self.operations, ports=self.ports, now=now)
        workflow = self.resident.take(instance.id, instance.state_json, definition.spec)
        if workflow is None:
            workflow = self.serializer.load_state(instance.state_json, definition.spec, definition.subprocess_specs)
        workflow.script_engine = step.script_engine()
        return step, workflow

    def _save(self, step: Step, workflow: Any, before: Mirror, *, flush: bool = True, keep: bool = True) -> None:
        """Write the step; ``keep``: keep the workflow for this process's next step on the instance."""
        sync(step, workflow, before)
        state = step.instance.state_json = self.serializer.dump_state(workflow)
        step.instance.serializer_version = SERIALIZER_VERSION
        if keep and not workflow.completed:
            workflow.script_engine = DETACHED  # the step's engine holds its session: not kept with the workflow
            self.resident.keep(step.instance.id, state, step.definition.spec, workflow)
        _queue_instance_write(step.session, step.instance)
        if flush:
            step.session.flush()
            bulk.write(step.session)  # a flush with no ORM object changed skips its hook: never leave any

    # -- use cases ---------------------------------------------------------------------------------------

    def start(
        self,
        session: Session,
        key: str,
        data: dict[str, Any],
        *,
        actor: str,
        business_key: str | None = None,
        definition: LoadedDefinition | None = None,
        applicant_key: str | None = None,
    ) -> ProcessInstance:
        definition = definition or self.definitions.latest(session, key)
        missing = [name for name in definition.info.inputs if name not in data]
        if missing:
            raise InvalidInput([FieldProblem(name, "is required to start this process") for name in missing])
        now = self.clock.now()
        instance = ProcessInstance(
            id=str(uuid.uuid4()), definition_id=definition.id, process_key=definition.key,
            process_version=definition.version, status="running", business_key=business_key,
            started_at=now, started_by=actor, serializer_version=SERIALIZER_VERSION, state_json="{}",
            completed_path=[], active_elements=[], term_breached=False, applicant_key=applicant_key,
        )
        session.add(instance)
        session.flush()
        audit.begin_chain(session, instance.id)  # a new instance's chain has no head to read
        step = Step(session, clock=self.clock, actor=actor, instance=instance, definition=definition,
                    operations=self.operations, ports=self.ports, now=now)
        workflow = tree.EngineWorkflow(definition.spec, definition.subprocess_specs, script_engine=step.script_engine())
        for task in tree.tasks(workflow, TaskState.READY):
            task.data.update(copy.deepcopy(data))
        step.audit("instance_started", data={"process": definition.key, "version": definition.version,
                                             "business_key": business_key})
        started = time.perf_counter()
        with spiff_clock.using(step.clock):
            advance(workflow, step.defers)
            self._save(step, workflow, EMPTY)
        self._observe("start", started)
        return instance

    def complete_task(
        self,
        session: Session,
        task_id: str,
        data: dict[str, Any],
        *,
        actor: str,
        roles: Collection[str],
    ) -> ProcessInstance:
        instance, row = self.lock_task(session, task_id)
        if row.status != "open":
            raise Conflict(f"task {task_id} is no longer open (it is {row.status})")
        lanes.require_actor(roles, row.role, row.name)
        if row.claimed_by and row.claimed_by != actor:
            raise Forbidden(f"task '{row.name}' is claimed by {row.claimed_by}")
        if not isinstance(data, dict):
            raise InvalidInput("must be an object", field="data")
        problems = self.validate_form(row.form, data)
        if problems:
            raise InvalidInput(problems)
        if instance.status != "running":
            raise Conflict(f"the process instance is {instance.status}")
        step, workflow = self._open(session, instance, actor)
        task = workflow.get_task_from_id(UUID(task_id))
        if task is None or task.state != TaskState.READY:
            raise Conflict(f"task {task_id} is no longer open")
        rules = self.ports.services.get("task_rules")
        problems = rules(row.form, data, task.data) if rules is not None else []
        if problems:
            raise InvalidInput(problems)
        before = mirror(step, workflow)
        task.data[row.form] = copy.deepcopy(data)
        stamps = dict(task.data.get("completed_at") or {})
        stamps[row.element] = legal_time.iso(step.now)
        task.data["completed_at"] = stamps
        row.status, row.completed_at, row.completed_by, row.data, row.draft = "completed", step.now, actor, data, None
        if row.claimed_by != actor:  # a task they hold wrote their row when it became theirs
            participants.took_part(session, actor, instance.id, instance.started_at)
        step.audit("task_completed", element=row.element, clause=row.clause,
                   data={"task_id": task_id, "form": row.form, "submitted": data,
                         "due_at": legal_time.iso(row.due_at) if row.due_at else None,
                         "on_time": row.due_at is None or step.now <= row.due_at})
        started = time.perf_counter()
        with spiff_clock.using(step.clock):
            task.run()
            advance(workflow, step.defers)
            self._save(step, workflow, before)
        self._observe("complete_task", started)
        return instance

    def fire_timers(self, session: Session, instance_id: str, *, actor: str = "scheduler",
                    now: datetime | None = None, flush: bool = True,
                    locked: ProcessInstance | None = None) -> list[FiredTimer]:
        """Fire every timer of one instance that is due by the clock (or at ``now``, a moment the caller read
        from it); returns the rows that fired. With ``flush=False`` the step's rows stay in the session for
        the caller's flush (a batch of instances written together); ``locked``: the instance's row, which
        the caller has loaded and locked in this transaction."""
        instance = locked if locked is not None else self._lock_instance(session, instance_id)
        if instance.status != "running":
            for row in session.scalars(select(Timer).where(
                    Timer.instance_id == instance_id, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))):
                row.cancelled_at = now or self.clock.now()
            return []
        step, workflow = self._open(session, instance, actor, now=now)
        before = mirror(step, workflow)
        started = time.perf_counter()
        with spiff_clock.using(step.clock):
            workflow.refresh_timers()
            advance(workflow, step.defers)
            # the next step of an instance whose deadline fired is a person's, days later: nothing is kept
            self._save(step, workflow, before, flush=flush, keep=False)
        self._observe("fire_timers", started)
        return step.fired_timers

    def run_continuation(self, session: Session, instance_id: str, element: str, *, actor: str) -> bool:
        """Run the deferred service task waiting at ``element`` (engine/runtime/incidents.py calls this);
        False when there is nothing to run any more (already run, or the instance ended)."""
        instance = self._lock_instance(session, instance_id)
        if instance.status != "running":
            for row in session.scalars(select(Continuation).where(Continuation.instance_id == instance_id)):
                session.delete(row)
            return False
        step, workflow = self._open(session, instance, actor)
        ready = [t for t in tree.tasks(workflow, TaskState.READY)
                 if t.task_spec.bpmn_id == element and step.defers(t)]
        before = mirror(step, workflow)
        started = time.perf_counter()
        with spiff_clock.using(step.clock):
            if ready:
                ready[0].run()
                advance(workflow, step.defers)
            self._save(step, workflow, before)
        self._observe("continuation", started)
        return bool(ready)

    def deliver_message(
        self, session: Session, instance_id: str, name: str, payload: dict[str, Any], *, actor: str
    ) -> ProcessInstance:
        instance = self._lock_instance(session, instance_id)
        if instance.status != "running":
            raise Conflict(f"the process instance is {instance.status}")
        step, workflow = self._open(session, instance, actor)
        found = [(t, d) for t in tree.tasks(workflow, TaskState.WAITING)
                 for d in _message_definitions(t) if d.name == name]
        if not found:
            raise Conflict(f"the process is not waiting for the message '{name}'")
        task, definition = found[0]
        before = mirror(step, workflow)
        step.audit("message_received", element=task.task_spec.bpmn_id, data={"message": name, "payload": payload})
        with spiff_clock.using(step.clock):
            workflow.catch(BpmnEvent(definition, payload))
            advance(workflow, step.defers)
            self._save(step, workflow, before)
        return instance

    def cancel(self, session: Session, instance_id: str, *, actor: str, reason: str) -> ProcessInstance:
        instance = self._lock_instance(session, instance_id)
        if instance.status != "running":
            raise Conflict(f"the process instance is {instance.status}")
        step, workflow = self._open(session, instance, actor)
        workflow.cancel()
        now = step.now
        for row in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                           HumanTask.status == "open")):
            row.status, row.completed_at = "cancelled", now
        for timer in session.scalars(select(Timer).where(Timer.instance_id == instance_id,
                                                         Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))):
            timer.cancelled_at = now
        instance.status, instance.ended_at = "cancelled", now
        instance.active_elements = []
        instance.state_json = self.serializer.dump_state(workflow)
        step.audit("instance_cancelled", data={"reason": reason})
        step.outbox("instance_cancelled", payload={"reason": reason})
        return instance

    def lock_task(self, session: Session, task_id: str) -> tuple[ProcessInstance, HumanTask]:
        """A task's instance, locked (on PostgreSQL) before the task row is read: the row is then as the
        last step on the instance left it — a completion committed meanwhile is seen, not overwritten. Completing
        and claiming a task both take it, so neither runs beside a step on the same instance."""
        try:
            UUID(task_id)
        except ValueError:
            raise NotFound(f"task {task_id} does not exist") from None
        query = _INSTANCE_OF_TASK_LOCKED if session.get_bind().dialect.name == "postgresql" else _INSTANCE_OF_TASK
        instance = session.scalars(query, {"task_id": task_id}).first()
        row = session.get(HumanTask, task_id) if instance is not None else None
        if instance is None or row is None:
            raise NotFound(f"task {task_id} does not exist")
        return instance, row

    def instance_data(self, session: Session, instance_id: str) -> dict[str, Any]:
        """The instance's current data (of its latest task), for read-only views."""
        instance = session.get(ProcessInstance, instance_id)
        if instance is None:
            raise NotFound(f"process instance {instance_id} does not exist")
        final = self.serializer.final_data(instance.state_json)
        if final is not None:
            return final
        definition = self.definitions.load(session, instance.definition_id)
        workflow = self.serializer.load_state(instance.state_json, definition.spec, definition.subprocess_specs)
        tasks = tree.tasks(workflow, TaskState.READY | TaskState.WAITING) or [workflow.last_task]
        merged: dict[str, Any] = {}
        for task in tasks:
            if task is not None:
                merged.update(task.data)
        return merged


def _queue_instance_write(session: Session, instance: ProcessInstance) -> None:
    """Queue the step's changes to its instance's row for the next flush, which writes the rows of all the
    instances it has (a batch of timers) with one executemany: the ORM writes a versioned row with an UPDATE of
    its own, and with more bookkeeping. The version is checked and moved on as the ORM does it (a row another
    transaction changed meanwhile fails the whole write); the ORM object is told its values are stored, so its
    own flush leaves the row alone."""
    version = instance.version_id
    params: dict[str, Any] = {"b_id": instance.id, "b_version": version, "b_next": version + 1}
    for name in STEP_WRITTEN:
        params[f"b_{name}"] = getattr(instance, name)
    bulk.later(session, INSTANCE_WRITTEN, params)
    for name in STEP_WRITTEN:
        set_committed_value(instance, name, params[f"b_{name}"])
    set_committed_value(instance, "version_id", version + 1)


def _message_definitions(task: Any) -> list[Any]:
    """The message definitions a waiting task catches (one, or several of a multiple event)."""
    definition = getattr(task.task_spec, "event_definition", None)
    if definition is None:
        return []
    inner = getattr(definition, "event_definitions", None)
    candidates = list(inner) if inner else [definition]
    return [d for d in candidates if type(d).__name__.endswith("MessageEventDefinition")]

