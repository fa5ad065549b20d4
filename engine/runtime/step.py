"""One engine step: everything that happens to one instance inside one database transaction.

A step runs SpiffWorkflow until it waits, then writes — in the same transaction — the serialized
state, the task rows officers query, the timer rows the scheduler reads, the audit events and the
outbound notices. If anything fails, nothing of it is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from engine import audit, legal_time
from engine.bpmn import tree
from engine.bpmn.elements import ElementInfo
from engine.bpmn.scripting import EngineScriptEngine
from engine.clock import Clock, for_step
from engine.errors import ProcessFailure
from engine.operations import OperationCall, OperationRegistry
from engine.runtime.definitions import LoadedDefinition
from engine.store import bulk
from engine.store.tables import Continuation, HumanTask, OutboxEvent, ProcessInstance, StaffNotification, Timer

log = logging.getLogger(__name__)
OUTBOX_TABLE = cast(Table, OutboxEvent.__table__)
NOTIFICATION_TABLE = cast(Table, StaffNotification.__table__)
TIMER_TABLE = cast(Table, Timer.__table__)
HUMAN_TASK_TABLE = cast(Table, HumanTask.__table__)
CONTINUATION_TABLE = cast(Table, Continuation.__table__)
# the changes a step makes to rows it does not read: queued and executed with the step's flush
_PENDING_TIMER = (TIMER_TABLE.c.instance_id == bindparam("b_instance"),
                  TIMER_TABLE.c.spiff_task_id == bindparam("b_task"),
                  TIMER_TABLE.c.fired_at.is_(None), TIMER_TABLE.c.cancelled_at.is_(None))
TIMER_FIRED = update(TIMER_TABLE).where(*_PENDING_TIMER).values(fired_at=bindparam("b_at"))
TIMER_CANCELLED = update(TIMER_TABLE).where(*_PENDING_TIMER).values(cancelled_at=bindparam("b_at"))
TASK_CANCELLED = (update(HUMAN_TASK_TABLE)
                  .where(HUMAN_TASK_TABLE.c.id == bindparam("b_id"), HUMAN_TASK_TABLE.c.status == "open")
                  .values(status="cancelled", completed_at=bindparam("b_at")))
CONTINUATION_DONE = delete(CONTINUATION_TABLE).where(CONTINUATION_TABLE.c.instance_id == bindparam("b_instance"),
                                                     CONTINUATION_TABLE.c.element == bindparam("b_element"))

CONTINUATIONS_ADDED = "continuations_added"  # session.info: this transaction left a service task to run
OPEN_TASKS = "open_task_rows"  # session.info: instance id -> its open task rows, loaded for a batch of steps
MAX_ROUNDS = 200
STAGE_TYPES = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "task",
    "userTask", "serviceTask", "scriptTask", "manualTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity", "subProcess",
}


@dataclass(frozen=True)
class FiredTimer:
    """A timer a step fired (what the scheduler reports and acts on)."""

    instance_id: str
    element: str
    clause: str
    due_at: datetime
    fired_at: datetime

    def as_dict(self) -> dict[str, str]:
        return {"instance_id": self.instance_id, "element": self.element, "clause": self.clause,
                "due_at": legal_time.iso(self.due_at)}


@dataclass
class Ports:
    """Adapters to the outside world that operations may use (gateway, signer, documents …)."""

    services: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.services[name]


class Step:
    """The context of one step on one instance; operations reach the world through it."""

    def __init__(
        self,
        session: Session,
        *,
        clock: Clock,
        actor: str,
        instance: ProcessInstance,
        definition: LoadedDefinition,
        operations: OperationRegistry,
        ports: Ports,
        now: datetime | None = None,
    ) -> None:
        self.session = session
        self.now = now or clock.now()
        self.clock = for_step(clock, self.now)
        self.actor = actor
        self.instance = instance
        self.definition = definition
        self.operations = operations
        self.ports = ports
        self.fired_timers: list[FiredTimer] = []

    # -- helpers for operations -------------------------------------------------------------------

    def element(self, element_id: str) -> ElementInfo | None:
        return self.definition.info.elements.get(element_id)

    def clause_of(self, element_id: str | None) -> str | None:
        info = self.element(element_id) if element_id else None
        return info.clause if info else None

    def audit(self, kind: str, *, element: str | None = None, clause: str | None = None,
              data: dict[str, Any] | None = None, actor: str | None = None) -> None:
        audit.append(self.session, at=self.now, actor=actor or self.actor, kind=kind,
                     instance_id=self.instance.id, element=element,
                     clause=clause if clause is not None else self.clause_of(element), data=data)

    def outbox(self, kind: str, *, element: str | None = None, clause: str | None = None,
               payload: dict[str, Any] | None = None, application_id: str | None = None) -> None:
        bulk.add(self.session, OUTBOX_TABLE, {
            "at": self.now, "instance_id": self.instance.id,
            "application_id": application_id or self.instance.business_key,
            "kind": kind, "element": element, "clause": clause, "payload": payload or {},
        })

    def notify_staff(self, recipient: str, kind: str, text: dict[str, str], *, task_id: str | None = None) -> None:
        bulk.add(self.session, NOTIFICATION_TABLE, {
            "at": self.now, "recipient": recipient, "kind": kind, "instance_id": self.instance.id,
            "task_id": task_id, "text": text, "read_at": None,
        })

    def open_task_rows(self, element: str) -> list[HumanTask]:
        """The open task rows of this instance at ``element``; from the batch's preload when there is one
        (:func:`preload_open_tasks`), else one query."""
        preloaded: dict[str, list[HumanTask]] | None = self.session.info.get(OPEN_TASKS)
        if preloaded is not None and self.instance.id in preloaded:
            return [row for row in preloaded[self.instance.id] if row.element == element and row.status == "open"]
        return list(self.session.scalars(select(HumanTask).where(
            HumanTask.instance_id == self.instance.id, HumanTask.element == element, HumanTask.status == "open")))

    def mark_task_overdue(self, element: str, *, timer_element: str) -> dict[str, Any]:
        rows = self.open_task_rows(element)
        marked = []
        for row in rows:
            row.overdue = True
            marked.append(row.id)
            due = legal_time.iso(row.due_at) if row.due_at else "—"
            text = {
                "en": f"Task '{row.name}' is overdue (term {row.clause}, due {due})",
                "ru": f"Просрочена задача «{row.name}» (срок по {row.clause}, до {due})",
                "kk": f"«{row.name}» тапсырмасының мерзімі өтті ({row.clause}, {due} дейін)",
            }
            self.notify_staff("role:head", "overdue", text, task_id=row.id)
            if row.claimed_by:
                self.notify_staff(row.claimed_by, "overdue", text, task_id=row.id)
            self.audit("task_overdue", element=element, clause=row.clause,
                       data={"task_id": row.id, "due_at": row.due_at, "claimed_by": row.claimed_by},
                       actor="system")
        self.outbox("task_overdue", element=element, clause=self.clause_of(element), payload={"tasks": marked})
        return {"element": element, "overdue_at": legal_time.iso(self.now), "tasks": marked}

    def record_term_breach(self, term: str, *, timer_element: str) -> dict[str, Any]:
        self.instance.term_breached = True
        text = {
            "en": f"The legal term {term} ran out with no decision",
            "ru": f"Истёк срок {term} без принятого решения",
            "kk": f"{term} мерзімі шешім қабылданбай өтті",
        }
        self.notify_staff("role:head", "term_breach", text)
        self.audit("term_breached", element=timer_element, clause=term, data={"term": term}, actor="system")
        self.outbox("term_breached", element=timer_element, clause=term, payload={"term": term})
        hook = self.ports.services.get("on_term_breach")
        if hook is not None:
            hook(self, term)
        return {"term": term, "breached_at": legal_time.iso(self.now)}

    # -- dispatch of service tasks --------------------------------------------------------------------

    def defers(self, task: Any) -> bool:
        """Does this service task run in a step of its own (an outside system, or slow work such as acts)?"""
        name = getattr(task.task_spec, "operation_name", None)
        operation = self.operations.get(name) if name else None
        return bool(operation is not None and operation.deferred)

    def dispatch(self, task: Any, operation_name: str, params: dict[str, Any]) -> dict[str, Any]:
        op = self.operations.get(operation_name)
        if op is None:
            raise ProcessFailure(f"operation '{operation_name}' is not registered")
        element = task.task_spec.bpmn_id
        return op.func(OperationCall(step=self, element=element, data=task.data, params=params))

    def script_engine(self) -> EngineScriptEngine:
        return EngineScriptEngine(dispatch=self.dispatch)


def preload_open_tasks(session: Session, instance_ids: list[str]) -> None:
    """Load the open task rows of a batch's instances with one query, for the steps of the batch (a fired
    deadline marks its task overdue); :func:`forget_open_tasks` when the batch is done or rolled back."""
    preloaded: dict[str, list[HumanTask]] = {instance_id: [] for instance_id in instance_ids}
    for row in session.scalars(select(HumanTask).where(HumanTask.instance_id.in_(instance_ids),
                                                       HumanTask.status == "open")):
        preloaded[row.instance_id].append(row)
    session.info[OPEN_TASKS] = preloaded


def forget_open_tasks(session: Session) -> None:
    session.info.pop(OPEN_TASKS, None)


def _never(task: Any) -> bool:
    return False


def advance(workflow: Any, defers: Callable[[Any], bool] = _never) -> None:
    """Run engine steps and due timers until the workflow waits on people, timers or messages.

    A task ``defers`` picks (a service task calling an outside system) is left READY: it runs in a
    step of its own (engine/runtime/incidents.py), so its failure cannot undo the work before it.
    """
    for _ in range(MAX_ROUNDS):
        try:
            while _engine_round(workflow, defers):
                pass
            workflow.refresh_timers()
        except SpiffWorkflowException as exc:
            raise ProcessFailure(_describe(exc)) from exc
        if not any(not t.task_spec.manual and not defers(t) for t in tree.tasks(workflow, TaskState.READY)):
            return
    raise ProcessFailure(f"the process did not come to rest after {MAX_ROUNDS} rounds (a loop?)")


def _engine_round(workflow: Any, defers: Callable[[Any], bool]) -> bool:
    """One round of SpiffWorkflow's ``do_engine_steps`` that leaves deferred tasks READY."""

    def run_ready(wf: Any) -> int:
        count = 0
        for task in tree.tasks(wf, TaskState.READY):
            if not task.task_spec.manual and not defers(task):
                task.run()
                count += 1
        return count

    active = workflow.get_active_subprocesses()
    for subprocess in sorted(active, key=lambda v: v.depth, reverse=True):
        while run_ready(subprocess) > 0:
            pass
        if subprocess.parent_task_id is not None:
            parent = workflow.get_task_from_id(subprocess.parent_task_id)
            parent.task_spec._update(parent)
    count = run_ready(workflow)
    return count > 0 or len(workflow.get_active_subprocesses()) > len(active)


def _describe(exc: SpiffWorkflowException) -> str:
    task = getattr(exc, "task_spec", None) or getattr(getattr(exc, "task", None), "task_spec", None)
    where = f" at '{getattr(task, 'bpmn_id', None) or getattr(task, 'name', '')}'" if task else ""
    return f"the process failed{where}: {exc}"


def _is_timer(task: Any) -> bool:
    return isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)


@dataclass(frozen=True)
class Mirror:
    """What an instance's rows mirror of its workflow at one moment, read in one pass over the task tree.

    Taken when a step restores the workflow and again when it has run: the difference is exactly what the
    step changed in the timer, task and continuation rows, so the reconciliation reads none of them back."""

    completed: dict[UUID, Any]  # completed tasks by id
    timers: dict[str, tuple[Any, datetime]]  # waiting timer task id -> (element, due moment)
    tasks: dict[str, Any]  # READY user (manual) task id -> task
    deferred: frozenset[str]  # elements of READY service tasks that run in a step of their own
    active: list[str]  # elements READY or WAITING


EMPTY = Mirror({}, {}, {}, frozenset(), [])


def mirror(step: Step, workflow: Any) -> Mirror:
    info = step.definition.info
    completed: dict[UUID, Any] = {}
    timers: dict[str, tuple[Any, datetime]] = {}
    tasks: dict[str, Any] = {}
    deferred: set[str] = set()
    active: list[str] = []
    for task in tree.tasks(workflow, TaskState.COMPLETED | TaskState.READY | TaskState.WAITING):
        state = task.state
        if state == TaskState.COMPLETED:
            completed[task.id] = task
            continue
        spec = task.task_spec
        if spec.bpmn_id in info.elements:
            active.append(spec.bpmn_id)
        if state == TaskState.WAITING:
            if _is_timer(task):
                element = info.elements.get(spec.bpmn_id)
                value = task._get_internal_data("event_value")
                due = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None
                if element is not None and due is not None:
                    timers[str(task.id)] = (element, due)
        elif spec.manual:
            tasks[str(task.id)] = task
        elif step.defers(task):
            deferred.add(spec.bpmn_id)
    return Mirror(completed, timers, tasks, frozenset(deferred), active)


def task_labels(data: dict[str, Any]) -> dict[str, Any]:
    application: dict[str, Any] = data["application"] if isinstance(data.get("application"), dict) else {}
    applicant: dict[str, Any] = application["applicant"] if isinstance(application.get("applicant"), dict) else {}
    return {
        "application_id": data.get("application_id"),
        "applicant_name": (applicant.get("name") or data.get("applicant_name") or None),
        "bin_iin": applicant.get("bin_iin") or data.get("bin_iin"),
        "subtype": data.get("subtype") or application.get("subtype"),
    }


def sync(step: Step, workflow: Any, before: Mirror) -> None:
    """Write what the step changed into the relational rows, in the step's transaction."""
    instance, now, info = step.instance, step.now, step.definition.info
    after = mirror(step, workflow)
    newly = sorted(
        (t for task_id, t in after.completed.items() if task_id not in before.completed and t.task_spec.bpmn_id),
        key=lambda t: t.last_state_change,
    )
    path = list(instance.completed_path or [])
    for task in newly:
        element = info.elements.get(task.task_spec.bpmn_id)
        if element is None:
            continue
        path.append(element.id)
        if element.type != "userTask":  # a user task is audited as task_completed, with its form data
            kind = "timer_fired" if element.timer_kind else "element_completed"
            data: dict[str, Any] = {"type": element.type, "name": element.name}
            if element.result_variable and element.result_variable in task.data:
                data["result"] = task.data[element.result_variable]
            step.audit(kind, element=element.id, clause=element.clause, data=data, actor="system")
        if element.type in STAGE_TYPES:
            step.outbox("stage", element=element.id, clause=element.clause,
                        payload={"name": element.name, "type": element.type})
    _sync_timers(step, workflow, before, after)
    _sync_human_tasks(step, workflow, before, after, path)
    _sync_continuations(step, before, after)
    instance.completed_path = path
    instance.active_elements = after.active
    if workflow.is_completed() and instance.status == "running":
        instance.status = "completed"
        instance.ended_at = now
        step.audit("instance_completed", data={"outcome": instance.outcome, "path_length": len(path)},
                   actor="system")
        step.outbox("instance_completed", payload={"outcome": instance.outcome})


def _sync_timers(step: Step, workflow: Any, before: Mirror, after: Mirror) -> None:
    """A row for each timer the step started waiting on; fired or cancelled for each it stopped waiting on."""
    session, instance, now = step.session, step.instance, step.now
    for task_id, (element, due) in after.timers.items():
        if task_id in before.timers:
            continue
        bulk.add(session, TIMER_TABLE, {
            "instance_id": instance.id, "spiff_task_id": task_id, "element": element.id, "name": element.name,
            "clause": element.clause, "attached_to": element.attached_to, "due_at": due, "created_at": now,
            "fired_at": None, "cancelled_at": None})
        step.audit("timer_scheduled", element=element.id, clause=element.clause,
                   data={"due_at": legal_time.iso(due), "attached_to": element.attached_to}, actor="system")
    fired, cancelled = [], []
    for task_id, (element, due) in before.timers.items():
        if task_id in after.timers:
            continue
        task = workflow.get_task_from_id(UUID(task_id))
        if task is not None and task.state == TaskState.COMPLETED:
            fired.append(task_id)
            step.fired_timers.append(FiredTimer(instance.id, element.id, element.clause, due, now))
        else:
            cancelled.append(task_id)
            step.audit("timer_cancelled", element=element.id, clause=element.clause,
                       data={"due_at": legal_time.iso(due), "term_kept": True}, actor="system")
    for task_id in fired:
        bulk.later(session, TIMER_FIRED, {"b_instance": instance.id, "b_task": task_id, "b_at": now})
    for task_id in cancelled:
        bulk.later(session, TIMER_CANCELLED, {"b_instance": instance.id, "b_task": task_id, "b_at": now})


def _sync_human_tasks(step: Step, workflow: Any, before: Mirror, after: Mirror, path: list[str]) -> None:
    session, instance, now, info = step.session, step.instance, step.now, step.definition.info
    for task_id, task in after.tasks.items():
        if task_id in before.tasks:
            continue
        element = info.elements.get(task.task_spec.bpmn_id)
        if element is None:
            continue
        dues = [due for timer, due in after.timers.values() if timer.attached_to == element.id]
        due_at = min(dues) if dues else None
        labels = task_labels(task.data)
        role = element.lane or "officer"
        # a task that comes back (a signer's return) is theirs who did it last; only a done element can
        claimed_by = _prepared_by(session, instance.id, element.id) if element.id in path else None
        bulk.add(session, HUMAN_TASK_TABLE, {
            "id": task_id, "instance_id": instance.id, "process_key": step.definition.key, "element": element.id,
            "name": element.name, "clause": element.clause, "role": role, "form": element.form or "",
            "names": {"en": element.name, "kk": element.properties.get("name_kk") or element.name,
                      "ru": element.properties.get("name_ru") or element.name},
            "status": "open", "claimed_by": claimed_by, "created_at": now, "due_at": due_at, "overdue": False,
            "completed_at": None, "completed_by": None,  # data, draft: SQL NULL (a JSON None would be 'null')
            "application_id": labels["application_id"], "applicant_name": labels["applicant_name"],
            "applicant_key": labels["applicant_name"].casefold() if labels["applicant_name"] else None,
            "bin_iin": labels["bin_iin"], "subtype": labels["subtype"],
        })
        step.audit("task_created", element=element.id, clause=element.clause,
                   data={"task_id": task_id, "role": role, "form": element.form or "", "claimed_by": claimed_by,
                         "due_at": legal_time.iso(due_at) if due_at else None}, actor="system")
        if claimed_by:  # who completed this element before: that completion wrote their part in the instance
            step.notify_staff(claimed_by, "task_returned",
                              {"en": f"Returned to you: {element.name}", "ru": f"Возвращено вам: {element.name}",
                               "kk": f"Сізге қайтарылды: {element.name}"}, task_id=task_id)
        else:
            step.notify_staff(f"role:{role}", "task_new",
                              {"en": f"New task: {element.name}", "ru": f"Новая задача: {element.name}",
                               "kk": f"Жаңа тапсырма: {element.name}"}, task_id=task_id)
        step.outbox("task_created", element=element.id, clause=element.clause,
                    payload={"name": element.name, "role": role,
                             "due_at": legal_time.iso(due_at) if due_at else None})
    cancelled = []
    for task_id, task in before.tasks.items():
        if task_id in after.tasks or task.state == TaskState.COMPLETED:
            continue  # still open, or completed by this step's complete_task (which wrote its row)
        element = info.elements.get(task.task_spec.bpmn_id)
        cancelled.append(task_id)
        step.audit("task_cancelled", element=task.task_spec.bpmn_id, clause=element.clause if element else None,
                   data={"task_id": task_id}, actor="system")
    for task_id in cancelled:  # rows of tasks this step did not complete: none of them is in the session
        bulk.later(session, TASK_CANCELLED, {"b_id": task_id, "b_at": now})


def _prepared_by(session: Any, instance_id: str, element: str) -> str | None:
    """Who last completed this task of the instance: a task that comes back (a signer's return) is theirs."""
    return session.scalars(select(HumanTask.completed_by).where(
        HumanTask.instance_id == instance_id, HumanTask.element == element, HumanTask.status == "completed")
        .order_by(HumanTask.completed_at.desc()).limit(1)).first()


def _sync_continuations(step: Step, before: Mirror, after: Mirror) -> None:
    """One row per deferred service task that is READY: the scheduler's list of steps still to run."""
    session, instance = step.session, step.instance
    for element in after.deferred - before.deferred:
        bulk.add(session, CONTINUATION_TABLE, {"instance_id": instance.id, "element": element,
                                                "created_at": step.now, "actor": step.actor})
        session.info[CONTINUATIONS_ADDED] = True
    for element in before.deferred - after.deferred:
        bulk.later(session, CONTINUATION_DONE, {"b_instance": instance.id, "b_element": element})
