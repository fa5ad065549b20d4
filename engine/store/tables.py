"""Relational state of the orchestration core.

The serialized SpiffWorkflow state lives in ``process_instance.state_json`` and is never scanned:
everything officers, auditors and the scheduler query is kept in columns of its own, written in the
same transaction as the state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from engine.store.types import JsonType, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class Base(DeclarativeBase):
    metadata = metadata


def trigram_index(name: str, column: str) -> Index:
    """A GIN trigram index on PostgreSQL, which ``LIKE '%fragment%'`` uses. SQLite has no such index: there
    the same name is a plain index (the migrated schema and the models stay equal on both)."""
    return Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})


# the trigram indexes need pg_trgm: a schema made by create_all (tests, tools) gets it too
sa_event.listen(metadata, "before_create", DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(
    dialect="postgresql"))


class ProcessDefinition(Base):
    """One immutable deployed version of a BPMN process."""

    __tablename__ = "process_definition"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deployed_by: Mapped[str] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(String(300))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    spec_json: Mapped[str] = mapped_column(Text)


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    __table_args__ = (Index("ix_instance_status_started", "status", "started_at"),
                      Index("ix_instance_outcome_ended", "outcome", "ended_at"),  # also serves the outcome alone
                      trigram_index("ix_instance_applicant_trgm", "applicant_key"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    process_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # running | completed | cancelled | failed
    business_key: Mapped[str | None] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    started_by: Mapped[str] = mapped_column(String(100))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(40))
    term_breached: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(20))
    state_json: Mapped[str] = mapped_column(Text)
    completed_path: Mapped[list[str]] = mapped_column(JsonType, default=list)
    active_elements: Mapped[list[str]] = mapped_column(JsonType, default=list)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # the casefolded name of the applicant the instance serves, as its starter gave it: the auditors' search by a
    # fragment of it is answered from this row's own trigram index
    applicant_key: Mapped[str | None] = mapped_column(String(300))

    __mapper_args__ = {"version_id_col": version_id}


class HumanTask(Base):
    """A user task waiting for (or done by) a person; the rows officers' lists are built from."""

    __tablename__ = "human_task"
    __table_args__ = (
        # an officer's list: open tasks of their lanes by due moment, those nobody holds or they hold; with who
        # holds each (and its subtype) in the index, the list's count reads the index alone (PostgreSQL)
        Index("ix_task_open_role_due", "status", "role", "due_at", postgresql_include=["claimed_by", "subtype"]),
        Index("ix_task_instance_status", "instance_id", "status"),
        trigram_index("ix_task_applicant_trgm", "applicant_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the SpiffWorkflow task id
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instance.id"))
    process_key: Mapped[str] = mapped_column(String(100))
    element: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    names: Mapped[dict | None] = mapped_column(JsonType)  # {"kk","ru","en"} from the element's name_kk/name_ru
    clause: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    form: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # open | completed | cancelled
    claimed_by: Mapped[str | None] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict | None] = mapped_column(JsonType)
    draft: Mapped[dict | None] = mapped_column(JsonType)
    # denormalised for the task list filters
    application_id: Mapped[str | None] = mapped_column(String(36), index=True)
    applicant_name: Mapped[str | None] = mapped_column(String(300))
    applicant_key: Mapped[str | None] = mapped_column(String(300))  # casefolded name, for search
    bin_iin: Mapped[str | None] = mapped_column(String(12), index=True)
    subtype: Mapped[str | None] = mapped_column(String(4))


class InstanceOfficer(Base):
    """An officer who took part in an instance: completed one of its tasks, or holds one (claimed, assigned).

    The auditors' search by officer reads it. Their page is the officer's instances newest first, and a busy
    officer's tasks are mostly in old instances: asked of each instance in start order, the question "did this
    officer do a task here?" walked every newer instance first (0.5 s for an officer of 47 000 tasks among
    100 000 instances). This row holds the instance's start moment (which never changes), so the officer's
    instances are read from one index in the page's order. One row per officer and instance, kept by the
    engine in the transaction that completes, claims, assigns or releases a task (engine/runtime/participants.py).
    """

    __tablename__ = "instance_officer"
    __table_args__ = (Index("ix_instance_officer_started", "officer", "started_at", "instance_id"),)

    officer: Mapped[str] = mapped_column(String(100), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instance.id"), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())


PENDING_TIMER = text("fired_at IS NULL AND cancelled_at IS NULL")


class Timer(Base):
    """Every waiting timer of every instance; the scheduler's source of truth."""

    __tablename__ = "timer"
    __table_args__ = (
        UniqueConstraint("instance_id", "spiff_task_id"),
        # the counts of the gauges: pending, late, fired
        Index("ix_timer_pending_due", "fired_at", "cancelled_at", "due_at"),
        # the scheduler's question "which timers are due, earliest first?" (its claim, its next wake-up): the
        # pending timers alone, in due order; the index above cannot give that order (a column compared with
        # IS NULL is no equality to the planner), so every claim sorted all the due ones
        Index("ix_timer_due", "due_at", postgresql_where=PENDING_TIMER, sqlite_where=PENDING_TIMER),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # an instance's timers are found by the unique (instance_id, spiff_task_id) index: no index of its own
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instance.id"))
    spiff_task_id: Mapped[str] = mapped_column(String(36))
    element: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    clause: Mapped[str] = mapped_column(String(100))
    attached_to: Mapped[str | None] = mapped_column(String(100))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """Append-only audit log; each event's hash covers the previous event of its chain.

    Read by chain (the unique (chain, seq) index), by id, and whole (verification, exports). The instance an
    event belongs to is its chain ("system" for none) and the previous event's hash is that event's ``hash``:
    both are in what each hash covers (engine/audit.py) without being stored twice."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    chain: Mapped[str] = mapped_column(String(40))  # instance id, or "system"
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(60))
    element: Mapped[str | None] = mapped_column(String(100))
    clause: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict] = mapped_column(JsonType)
    hash: Mapped[str] = mapped_column(String(64))


class ChainHead(Base):
    """The last hash of each audit chain, so a deleted tail is detected too."""

    __tablename__ = "audit_chain_head"

    chain: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """Outbound monitoring feed (R18): written with the step, read by cursor."""

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    application_id: Mapped[str | None] = mapped_column(String(36))  # carried to the feed's readers, not searched
    kind: Mapped[str] = mapped_column(String(60))
    element: Mapped[str | None] = mapped_column(String(100))
    clause: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JsonType)


class StaffNotification(Base):
    """In-workspace notifications for staff (task assigned, deadline tomorrow, overdue)."""

    __tablename__ = "staff_notification"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recipient: Mapped[str] = mapped_column(String(100), index=True)  # user name or "role:<role>"
    kind: Mapped[str] = mapped_column(String(40))
    instance_id: Mapped[str | None] = mapped_column(String(36))
    task_id: Mapped[str | None] = mapped_column(String(36))
    text: Mapped[dict] = mapped_column(JsonType)  # {"kk","ru","en"}
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GatewaySeed(Base):
    """Seeded answers of the simulated e-government gateway."""

    __tablename__ = "gateway_seed"

    registry_name: Mapped[str] = mapped_column("registry", String(40), primary_key=True)
    bin_iin: Mapped[str] = mapped_column(String(12), primary_key=True)
    body: Mapped[dict] = mapped_column(JsonType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoredFile(Base):
    __tablename__ = "stored_file"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AnalystDraft(Base):
    """A diagram an analyst is editing; nothing runs on it until it is deployed."""

    __tablename__ = "analyst_draft"

    owner: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    base_version: Mapped[int] = mapped_column(Integer)
    bpmn_xml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ClockLedger(Base):
    """The simulated clock's moment, shared by every worker and kept across restarts (one row, id 1)."""

    __tablename__ = "clock_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    now: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())  # wall-clock moment of the last change
    updated_by: Mapped[str] = mapped_column(String(100))


class Incident(Base):
    """A service task that failed (gateway down, malformed answer, operation error): the instance waits at
    ``element`` until a retry succeeds or a person resolves it (engine/runtime/incidents.py)."""

    __tablename__ = "incident"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instance.id"), index=True)
    element: Mapped[str] = mapped_column(String(100))
    clause: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str] = mapped_column(Text)
    transient: Mapped[bool] = mapped_column(Boolean)  # retried automatically with backoff when true
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | resolved
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)


class Continuation(Base):
    """A service task ready to run in a step of its own (it calls an outside system, or renders acts), so its
    failure leaves the steps before it committed; the row goes when the task has run. ``actor``: the person
    whose step reached it — the task runs on their behalf whoever retries it."""

    __tablename__ = "continuation"

    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instance.id"), primary_key=True)
    element: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str | None] = mapped_column(String(100))


class OutboxDelivery(Base):
    """One outbound item sent to one channel's webhook (engine/outbox.py): at least once, retried with backoff,
    then dead. ``source_id`` is an outbox_event id (channel "monitoring") or a cabinet_notice id ("cabinet")."""

    __tablename__ = "outbox_delivery"
    __table_args__ = (UniqueConstraint("channel", "source_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeliveryCursor(Base):
    """How far a channel has taken its source rows (outbox events, staff notifications for e-mail)."""

    __tablename__ = "delivery_cursor"

    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
