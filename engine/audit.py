"""The append-only audit log: keyed hash chains, anchored by signed checkpoints kept outside the database.

Each instance has its own chain (events outside any instance go to the "system" chain), so steps on
different instances never contend for one head. An event's hash is an HMAC-SHA256, under a key that is not
in the database (``audit-hmac.key`` in the keys directory), of its content and the previous event's hash:
whoever can write the database but not read the key cannot rewrite an event and recompute the chain.
``audit_chain_head`` keeps each chain's last hash, so a deleted tail is caught too.

The database alone cannot prove that a whole chain, or a chain's tail together with its head row, was not
deleted. So the heads are also written, signed with the same key, to an append-only JSON-lines checkpoint
file that the operator ships elsewhere: at every commit that appended events, decisions included (the heads of
the chains it touched), and at intervals every chain's head — written by the scheduler's pass alone
(:func:`checkpoint_every_chain`), not by each web worker. :func:`verify` checks the database against it.
Nothing in the application updates or deletes an event.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.base import Executable

from engine.store import bulk, jsontext
from engine.store.tables import AuditEvent, ChainHead

log = logging.getLogger(__name__)
SYSTEM_CHAIN = "system"
GENESIS = "0" * 64
KEY_FILE = "audit-hmac.key"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"
# the key of engines built without one (embedded use, engine tests); the web app always uses its key file
DEVELOPMENT_KEY = b"development key: not secret, not for production"
AUDIT_TABLE = cast(Table, AuditEvent.__table__)
HEAD_TABLE = cast(Table, ChainHead.__table__)
_HASHED = ("chain", "seq", "at", "actor", "kind", "instance_id", "element", "clause", "data", "prev_hash")
DECISION_KINDS = frozenset({
    "application_submitted", "task_completed", "document_issued", "instance_completed", "instance_failed",
    "instance_cancelled", "term_breached", "process_deployed", "clock_set", "account_created",
})


@dataclass
class AuditSeal:
    """The HMAC key and where checkpoints go; bound to every session of the engine (``session.info``)."""

    key: bytes = DEVELOPMENT_KEY
    checkpoints: Path | None = None
    interval_seconds: float = 15 * 60
    _last_full: float = field(default_factory=time.monotonic, repr=False)  # the commits anchor what is new

    def mac(self, payload: bytes) -> str:
        return hmac.new(self.key, payload, hashlib.sha256).hexdigest()


def load_or_create_key(path: Path) -> bytes:
    """The audit key kept in ``path`` (mode 0600), made on first start; every worker reads the same one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    for _ in range(50):  # a worker that lost the race may read before the winner has written
        text = path.read_text().strip()
        if text:
            return bytes.fromhex(text)
        time.sleep(0.01)
    raise RuntimeError(f"the audit key file {path} is empty")


def seal_for(keys_dir: Path, *, checkpoints: Path | None = None, interval_seconds: float = 15 * 60) -> AuditSeal:
    return AuditSeal(key=load_or_create_key(keys_dir / KEY_FILE), checkpoints=checkpoints or keys_dir / CHECKPOINT_FILE,
                     interval_seconds=interval_seconds)


def bind(session_factory: sessionmaker[Session], seal: AuditSeal) -> None:
    """Make every session of ``session_factory`` chain with ``seal`` and write its checkpoints."""
    session_factory.kw.setdefault("info", {})["audit_seal"] = seal
    if seal.checkpoints is None:
        return

    @sa_event.listens_for(session_factory, "after_commit")
    def _checkpoint(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint released: nothing is committed until the outer transaction is
        touched: dict[str, tuple[int, str]] = session.info.pop("audit_touched", {})
        decided = session.info.pop("audit_decided", False)
        if not touched:
            return
        try:
            write_checkpoint(seal, touched, reason="decision" if decided else "commit")
        except OSError:  # the commit stands; the scheduler's next interval checkpoint anchors these heads
            log.exception("audit checkpoint not written to %s", seal.checkpoints)

    @sa_event.listens_for(session_factory, "after_rollback")
    def _forget(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint rolled back: audit.savepoint() restores what the outer transaction had
        session.info.pop("audit_touched", None)
        session.info.pop("audit_decided", None)


def _seal(session: Session) -> AuditSeal:
    seal = session.info.get("audit_seal")
    return seal if isinstance(seal, AuditSeal) else AuditSeal()


def _canonical(values: dict[str, Any]) -> bytes:
    body = {name: values[name] for name in _HASHED}
    body["at"] = values["at"].isoformat(timespec="microseconds")
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent | dict[str, Any], seal: AuditSeal, *, prev_hash: str | None = None) -> str:
    """The keyed hash of an event: of its content, the instance it belongs to (its chain) and the hash of the
    event before it in its chain (``prev_hash``; a dict being appended carries its own)."""
    if isinstance(event, dict):
        return seal.mac(_canonical(event))
    values = {name: getattr(event, name) for name in _HASHED if name not in ("instance_id", "prev_hash")}
    values["instance_id"] = None if event.chain == SYSTEM_CHAIN else event.chain
    values["prev_hash"] = prev_hash
    return seal.mac(_canonical(values))


@dataclass
class _Head:
    """A chain's head as this transaction has moved it (``audit_chain_head`` gets it with the next flush)."""

    seq: int
    hash: str


def _upsert(insert: Any) -> Executable:
    """``INSERT … ON CONFLICT (chain) DO UPDATE``: a head row written whether or not its chain had one."""
    return insert.on_conflict_do_update(index_elements=[HEAD_TABLE.c.chain],
                                        set_={"seq": insert.excluded.seq, "hash": insert.excluded.hash})


# by dialect: the statement is the same, its spelling is each database's
_HEAD_UPSERTS = {"postgresql": _upsert(postgresql.insert(HEAD_TABLE)), "sqlite": _upsert(sqlite.insert(HEAD_TABLE))}


def _heads(session: Session) -> dict[str, _Head]:
    heads: dict[str, _Head] = session.info.setdefault("audit_heads", {})
    return heads


def _read_heads(session: Session, chains: list[str]) -> None:
    """Read (and on PostgreSQL lock until the transaction ends) the heads of ``chains`` with one query."""
    query = select(HEAD_TABLE.c.chain, HEAD_TABLE.c.seq, HEAD_TABLE.c.hash).where(HEAD_TABLE.c.chain.in_(chains))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    heads = _heads(session)
    with session.no_autoflush:
        for chain, seq, digest in session.execute(query):
            heads[chain] = _Head(seq, digest)
    for chain in chains:
        heads.setdefault(chain, _Head(0, GENESIS))


def begin_chain(session: Session, chain: str) -> None:
    """A chain that cannot have events yet (a process instance made in this transaction): its head is not read."""
    _heads(session).setdefault(chain, _Head(0, GENESIS))


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    kind: str,
    instance_id: str | None = None,
    element: str | None = None,
    clause: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Append one event to its chain (the caller's transaction commits it).

    The event is chained and hashed now and inserted with the other events of the flush in one statement, and
    the chain's head row written once per flush with its latest values (engine/store/bulk.py). The head is read
    once per chain and transaction (and locked, on PostgreSQL)."""
    chain = instance_id or SYSTEM_CHAIN
    head = _heads(session).get(chain)
    if head is None:
        _read_heads(session, [chain])
        head = _heads(session)[chain]
    row: dict[str, Any] = {
        "chain": chain,
        "seq": head.seq + 1,
        "at": at,
        "actor": actor,
        "kind": kind,
        "instance_id": instance_id,
        "element": element,
        "clause": clause,
        "data": jsontext.normalized(data) if data else {},
        "prev_hash": head.hash,
    }
    row["hash"] = event_hash(row, _seal(session))
    head.seq, head.hash = row["seq"], row["hash"]
    del row["instance_id"], row["prev_hash"]  # hashed, not stored: the chain and the previous event say them
    bulk.add(session, AUDIT_TABLE, row)
    bulk.keyed(session, _HEAD_UPSERTS[session.get_bind().dialect.name], chain,
               {"chain": chain, "seq": head.seq, "hash": head.hash})
    session.info.setdefault("audit_touched", {})[chain] = (row["seq"], row["hash"])
    if kind in DECISION_KINDS:
        session.info["audit_decided"] = True


def lock_heads(session: Session, chains: list[str]) -> None:
    """Read (and on PostgreSQL lock) the heads of several chains with one query, for a batch of steps."""
    wanted = [chain for chain in chains if chain not in _heads(session)]
    if wanted:
        _read_heads(session, wanted)


@contextlib.contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A savepoint whose rollback also forgets what it did to the chains: the cached heads and the heads
    the commit's checkpoint will sign, so a rolled-back event is neither chained to nor checkpointed (its
    queued rows are dropped by the rollback, engine/store/bulk.py)."""
    touched = dict(session.info.get("audit_touched", {}))
    heads = {chain: _Head(head.seq, head.hash) for chain, head in _heads(session).items()}
    decided = session.info.get("audit_decided", False)
    bulk.write(session)  # rows queued before the savepoint belong to the outer transaction: never lose them
    try:
        with session.begin_nested():
            yield
    except BaseException:
        session.info["audit_touched"], session.info["audit_heads"] = touched, heads
        if not decided:
            session.info.pop("audit_decided", None)
        raise


# -- checkpoints ----------------------------------------------------------------------------------------------


def _checkpoint_body(at: str, reason: str, heads: dict[str, tuple[int, str]]) -> bytes:
    body = {"at": at, "reason": reason, "heads": {c: [s, h] for c, (s, h) in sorted(heads.items())}}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def write_checkpoint(seal: AuditSeal, heads: dict[str, tuple[int, str]], *, reason: str) -> None:
    """Append one signed line ``{"at","reason","heads":{chain:[seq,hash]},"mac"}`` (O_APPEND: one write)."""
    if seal.checkpoints is None:
        return
    at = datetime.now(UTC).isoformat(timespec="seconds")
    body = _checkpoint_body(at, reason, heads)
    line = json.dumps({**json.loads(body), "mac": seal.mac(body)}, sort_keys=True, separators=(",", ":"))
    seal.checkpoints.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(seal.checkpoints, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def checkpoint_every_chain(session: Session) -> bool:
    """Sign every chain's head into the checkpoint file once the seal's interval has passed since the last
    time; True when written. The scheduler's pass calls it: one process writes it, not
    each web worker (with 100 000 chains the line is 10 MB). The heads are read as plain rows."""
    seal = _seal(session)
    now = time.monotonic()
    if seal.checkpoints is None or now - seal._last_full < seal.interval_seconds:
        return False
    seal._last_full = now
    rows = session.execute(select(ChainHead.chain, ChainHead.seq, ChainHead.hash))
    heads = {chain: (seq, digest) for chain, seq, digest in rows}
    if heads:
        write_checkpoint(seal, heads, reason="interval")
    return True


def read_checkpoints(seal: AuditSeal, path: Path | None = None) -> tuple[dict[str, tuple[int, str]],
                                                                         list[dict[str, Any]]]:
    """The highest signed head of each chain in the checkpoint file, and the lines that are not genuine."""
    path = path or seal.checkpoints
    latest: dict[str, tuple[int, str]] = {}
    failures: list[dict[str, Any]] = []
    if path is None or not path.exists():
        return latest, failures
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                body = _checkpoint_body(record["at"], record["reason"],
                                        {c: (int(s), str(h)) for c, (s, h) in record["heads"].items()})
                genuine = hmac.compare_digest(seal.mac(body), str(record["mac"]))
            except (ValueError, KeyError, TypeError, AttributeError):
                genuine = False
            if not genuine:
                failures.append({"chain": None, "event_id": None, "seq": None, "kind": None,
                                 "reason": f"checkpoint line {number} is not signed with the audit key"})
                continue
            for chain, (seq, digest) in record["heads"].items():
                if chain not in latest or int(seq) > latest[chain][0]:
                    latest[chain] = (int(seq), str(digest))
    return latest, failures


# -- verification -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    events: int
    chains: int
    failures: list[dict[str, Any]]
    checkpoints: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "events": self.events, "chains": self.chains, "failures": self.failures,
                "checkpointed_chains": self.checkpoints}


def verify(session: Session, *, chain: str | None = None, batch: int = 5000,
           checkpoints: Path | None = None) -> VerifyResult:
    """Recompute every keyed hash of one chain (or all), name each event that does not match, and check the
    chains against the signed checkpoints: a chain or a tail that was checkpointed must still be there."""
    seal = _seal(session)
    heads = {h.chain: h for h in session.scalars(select(ChainHead))}
    query = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)
    if chain is not None:
        query = query.where(AuditEvent.chain == chain)
    anchored, failures = read_checkpoints(seal, checkpoints)
    if chain is not None:
        anchored = {c: v for c, v in anchored.items() if c == chain}
    count = 0
    current: str | None = None
    prev = GENESIS
    expected_seq = 1
    seen: dict[str, int] = {}
    hashes_at_anchor: dict[str, str] = {}

    def fail(event: AuditEvent | None, chain_name: str, reason: str) -> None:
        failures.append({"chain": chain_name, "event_id": event.id if event else None,
                         "seq": event.seq if event else None, "kind": event.kind if event else None,
                         "reason": reason})

    def close(chain_name: str, last_seq: int, last_hash: str) -> None:
        seen[chain_name] = last_seq
        head = heads.get(chain_name)
        if head is None or head.seq != last_seq or head.hash != last_hash:
            fail(None, chain_name, f"chain ends at event {last_seq} but its recorded head is "
                                   f"{head.seq if head else 'missing'}: events were removed or added")

    for event in session.execute(query.execution_options(yield_per=batch)).scalars():
        count += 1
        if event.chain != current:
            if current is not None:
                close(current, expected_seq - 1, prev)
            current, prev, expected_seq = event.chain, GENESIS, 1
        if event.seq != expected_seq:
            # the event before this one is gone, and with it the hash this one's covers: the gap names it
            fail(event, event.chain, f"sequence gap: expected event {expected_seq}, found {event.seq}")
        elif not hmac.compare_digest(event_hash(event, seal, prev_hash=prev), event.hash):
            fail(event, event.chain, "content was altered, or it does not follow the event before it: "
                                     "its keyed hash does not match")
        if event.chain in anchored and event.seq == anchored[event.chain][0]:
            hashes_at_anchor[event.chain] = event.hash
        prev, expected_seq = event.hash, event.seq + 1
    if current is not None:
        close(current, expected_seq - 1, prev)
    for name, head in heads.items():
        if name not in seen and (chain is None or chain == name) and head.seq > 0:
            fail(None, name, "every event of this chain is missing")
    for name, (seq, digest) in sorted(anchored.items()):
        if name not in seen:
            if name not in heads or heads[name].seq == 0:
                fail(None, name, f"the chain was deleted: a checkpoint recorded it at event {seq}")
        elif seen[name] < seq:
            fail(None, name, f"the chain's tail is missing: it ends at event {seen[name]}, a checkpoint "
                             f"recorded event {seq}")
        elif hashes_at_anchor.get(name) != digest:
            fail(None, name, f"event {seq} is not the one a checkpoint recorded: the chain was rewritten")
    return VerifyResult(valid=not failures, events=count, chains=len(seen), failures=failures,
                        checkpoints=len(anchored))
