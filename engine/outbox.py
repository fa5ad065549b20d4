"""Delivering the outbox: monitoring events (R18) and cabinet notices to webhooks, staff notices by e-mail.

Channels and their sources:

* ``monitoring`` — every ``outbox_event`` (the R18 feed), POSTed as the monitoring feed shows it;
* ``cabinet`` — every ``cabinet_notice`` (what the applicant's personal cabinet shows), for the portal.

Each configured channel has a cursor (``delivery_cursor``): a pass first turns new source rows into
``outbox_delivery`` rows (pending), then POSTs the due ones. Delivery is at least once: a row is
``delivered`` only after a 2xx answer, so a crash between the answer and the commit sends it again —
with the same ``Idempotency-Key`` header (``<channel>:<source id>``), so the receiver can drop the
repeat. A failed attempt waits 30 s, 1 min, 2 min … (at most an hour, on the engine's clock); after
``max_attempts`` the delivery is ``dead`` until an administrator sends it again.

Staff e-mail (optional, off by default): overdue tasks, term breaches and incidents, from
``staff_notification``, through SMTP to a configured mailbox; a failed send is tried again next pass.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit, legal_time
from engine.clock import Clock
from engine.errors import Conflict, NotFound
from engine.store.licensing_tables import CabinetNotice
from engine.store.tables import DeliveryCursor, OutboxDelivery, OutboxEvent, ProcessInstance, StaffNotification
from engine.transactions import reading, transaction

log = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]
CHANNELS = ("monitoring", "cabinet")
EMAIL_CURSOR = "email"
EMAILED_KINDS = ("overdue", "term_breach", "incident")
RETRY_FIRST = timedelta(seconds=30)
RETRY_LONGEST = timedelta(hours=1)
BATCH = 100


@dataclass(frozen=True)
class Webhook:
    """Where one channel's items go."""

    channel: str
    url: str
    token: str | None = None
    timeout_seconds: float = 5.0


@dataclass(frozen=True)
class Mailbox:
    """SMTP settings for staff notifications."""

    host: str
    to: tuple[str, ...]
    sender: str
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None


@dataclass
class Courier:
    """One delivery pass: called by the scheduler (web/scheduler.py) after the timers."""

    session_factory: SessionFactory
    clock: Clock
    webhooks: list[Webhook] = field(default_factory=list)
    mailbox: Mailbox | None = None
    max_attempts: int = 10
    transport: httpx.BaseTransport | None = None
    send_mail: Callable[[Mailbox, EmailMessage], None] | None = None

    def run(self) -> dict[str, int]:
        counts = {"delivered": 0, "failed": 0, "dead": 0, "mailed": 0}
        for hook in self.webhooks:
            self._enqueue(hook.channel)
            for outcome in self._deliver_due(hook):
                counts[outcome] += 1
        if self.mailbox is not None:
            counts["mailed"] = self._mail(self.mailbox)
        return counts

    # -- webhooks ---------------------------------------------------------------------------------------------

    def _enqueue(self, channel: str) -> None:
        source = OutboxEvent if channel == "monitoring" else CabinetNotice
        with transaction(self.session_factory) as session:
            cursor = _cursor(session, channel)
            ids = list(session.scalars(select(source.id).where(source.id > cursor.last_id)
                                       .order_by(source.id).limit(BATCH * 10)))
            now = self.clock.now()
            for source_id in ids:
                session.add(OutboxDelivery(channel=channel, source_id=source_id, status="pending", attempts=0,
                                           idempotency_key=f"{channel}:{source_id}", created_at=now,
                                           next_attempt_at=now))
            if ids:
                cursor.last_id = ids[-1]

    def _deliver_due(self, hook: Webhook) -> list[str]:
        with reading(self.session_factory) as session:
            due = list(session.scalars(select(OutboxDelivery.id).where(
                OutboxDelivery.channel == hook.channel, OutboxDelivery.status == "pending",
                OutboxDelivery.next_attempt_at <= self.clock.now()).order_by(OutboxDelivery.id).limit(BATCH)))
        if not due:
            return []
        headers = {"Content-Type": "application/json", "X-Delivery-Channel": hook.channel}
        if hook.token:
            headers["Authorization"] = f"Bearer {hook.token}"
        outcomes = []
        with httpx.Client(timeout=hook.timeout_seconds, transport=self.transport, headers=headers) as http:
            for delivery_id in due:
                outcome = self._deliver_one(http, hook, delivery_id)
                if outcome:
                    outcomes.append(outcome)
        return outcomes

    def _deliver_one(self, http: httpx.Client, hook: Webhook, delivery_id: int) -> str | None:
        with transaction(self.session_factory) as session:
            query = select(OutboxDelivery).where(OutboxDelivery.id == delivery_id)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)  # another scheduler is sending it
            row = session.scalars(query).first()
            if row is None or row.status != "pending":
                return None
            body = _body(session, row)
            now = self.clock.now()
            row.attempts += 1
            row.last_attempt_at = now
            error = None
            if body is None:
                error = "the source row no longer exists"
            else:
                try:
                    answer = http.post(hook.url, json=body, headers={"Idempotency-Key": row.idempotency_key})
                    if not 200 <= answer.status_code < 300:
                        error = f"the receiver answered {answer.status_code}"
                except httpx.HTTPError as exc:
                    error = f"no answer: {type(exc).__name__}"
            if error is None:
                row.status, row.delivered_at, row.next_attempt_at, row.last_error = "delivered", now, None, None
                return "delivered"
            row.last_error = error
            if row.attempts >= self.max_attempts:
                row.status, row.next_attempt_at = "dead", None
                log.warning("delivery %s to %s is dead after %d attempts: %s", row.idempotency_key, hook.channel,
                            row.attempts, error)
                return "dead"
            row.next_attempt_at = now + min(RETRY_FIRST * 2 ** (row.attempts - 1), RETRY_LONGEST)
            return "failed"

    # -- e-mail -----------------------------------------------------------------------------------------------

    def _mail(self, mailbox: Mailbox) -> int:
        sent = 0
        with transaction(self.session_factory) as session:
            cursor = _cursor(session, EMAIL_CURSOR)
            rows = list(session.scalars(select(StaffNotification).where(StaffNotification.id > cursor.last_id)
                                        .order_by(StaffNotification.id).limit(BATCH)))
            for row in rows:
                if row.kind in EMAILED_KINDS:
                    try:
                        (self.send_mail or smtp_send)(mailbox, _message(mailbox, row))
                    except (OSError, smtplib.SMTPException) as exc:
                        log.warning("staff e-mail not sent (tried again next pass): %s", exc)
                        break
                    sent += 1
                cursor.last_id = row.id
        return sent


def _cursor(session: Session, channel: str) -> DeliveryCursor:
    query = select(DeliveryCursor).where(DeliveryCursor.channel == channel)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    cursor = session.scalars(query).first()
    if cursor is None:
        cursor = DeliveryCursor(channel=channel, last_id=0)
        session.add(cursor)
        session.flush()
    return cursor


def _body(session: Session, row: OutboxDelivery) -> dict[str, Any] | None:
    if row.channel == "monitoring":
        event = session.get(OutboxEvent, row.source_id)
        return None if event is None else {
            "id": event.id, "at": legal_time.iso(event.at), "instance_id": event.instance_id,
            "application_id": event.application_id, "kind": event.kind, "element": event.element,
            "clause": event.clause, "payload": event.payload}
    notice = session.get(CabinetNotice, row.source_id)
    return None if notice is None else {
        "id": notice.id, "at": legal_time.iso(notice.at), "application_id": notice.application_id,
        "licence_number": notice.licence_number, "bin_iin": notice.bin_iin, "kind": notice.kind,
        "text_kk": notice.text_kk, "text_ru": notice.text_ru, "text_en": notice.text_en}


def _message(mailbox: Mailbox, row: StaffNotification) -> EmailMessage:
    text = row.text or {}
    message = EmailMessage()
    message["From"] = mailbox.sender
    message["To"] = ", ".join(mailbox.to)
    message["Subject"] = str(text.get("ru") or text.get("en") or row.kind)[:200]
    lines = [str(text.get(lang, "")) for lang in ("kk", "ru", "en") if text.get(lang)]
    lines += ["", f"{row.kind} · {row.recipient} · {legal_time.iso(row.at)}"]
    if row.instance_id:
        lines.append(f"instance {row.instance_id}")
    message.set_content("\n".join(lines))
    return message


def smtp_send(mailbox: Mailbox, message: EmailMessage) -> None:
    with smtplib.SMTP(mailbox.host, mailbox.port, timeout=10) as smtp:
        if mailbox.starttls:
            smtp.starttls()
        if mailbox.username:
            smtp.login(mailbox.username, mailbox.password or "")
        smtp.send_message(message)


# -- what the workspaces show ----------------------------------------------------------------------------------


def view(row: OutboxDelivery) -> dict[str, Any]:
    def moment(value: datetime | None) -> str | None:
        return legal_time.iso(value) if value is not None else None

    return {"id": row.id, "channel": row.channel, "source_id": row.source_id, "status": row.status,
            "attempts": row.attempts, "idempotency_key": row.idempotency_key, "last_error": row.last_error,
            "created_at": moment(row.created_at), "last_attempt_at": moment(row.last_attempt_at),
            "next_attempt_at": moment(row.next_attempt_at), "delivered_at": moment(row.delivered_at)}


def delivery_states(session: Session, instance_id: str) -> dict[str, dict[int, dict[str, Any]]]:
    """Per channel, source id → delivery, for an instance's feed events and its application's notices."""
    instance = session.get(ProcessInstance, instance_id)
    events = list(session.scalars(select(OutboxEvent.id).where(OutboxEvent.instance_id == instance_id)))
    notices = list(session.scalars(select(CabinetNotice.id).where(
        CabinetNotice.application_id == instance.business_key))) if instance and instance.business_key else []
    states: dict[str, dict[int, dict[str, Any]]] = {channel: {} for channel in CHANNELS}
    for channel, ids in (("monitoring", events), ("cabinet", notices)):
        if ids:
            for row in session.scalars(select(OutboxDelivery).where(OutboxDelivery.channel == channel,
                                                                   OutboxDelivery.source_id.in_(ids))):
                states[channel][row.source_id] = view(row)
    return states


def deliveries(session: Session, *, status: str | None = "dead", limit: int = 200) -> list[dict[str, Any]]:
    query = select(OutboxDelivery)
    if status is not None:
        query = query.where(OutboxDelivery.status == status)
    return [view(r) for r in session.scalars(query.order_by(OutboxDelivery.id.desc()).limit(limit))]


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(OutboxDelivery.status, func.count()).group_by(OutboxDelivery.status)).all()
    return {status: int(n) for status, n in rows}


def requeue(session: Session, delivery_id: int, *, actor: str, now: datetime) -> dict[str, Any]:
    """A dead delivery goes back to pending, to be sent at the next pass (the same idempotency key)."""
    row = session.get(OutboxDelivery, delivery_id)
    if row is None:
        raise NotFound(f"delivery {delivery_id} does not exist")
    if row.status != "dead":
        raise Conflict(f"delivery {delivery_id} is {row.status}, not dead")
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
    audit.append(session, at=now, actor=actor, kind="delivery_requeued",
                 data={"delivery_id": row.id, "channel": row.channel, "source_id": row.source_id})
    return view(row)
