"""The audit log cannot be cut or rewritten unnoticed: keyed hashes and signed checkpoints outside the database."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from engine.audit import AuditSeal, seal_for
from engine.bootstrap import Wiring, build_engine, make_db_engine
from engine.clock import SimulatedClock
from tests.conftest import bpmn_fixture
from tests.support import start_review

T0 = datetime(2025, 3, 20, 14, 0, tzinfo=UTC)


def engine_with_seal(db_url: str, keys: Path) -> tuple[Wiring, AuditSeal]:
    seal = seal_for(keys, interval_seconds=3600)
    wiring = build_engine(make_db_engine(db_url), clock=SimulatedClock(T0), create_schema=True, audit_seal=seal)
    wiring.engine.analyst.deploy(bpmn_fixture("example_review"), "example_review.bpmn", actor="test")
    return wiring, seal


def plain_hash(row: dict) -> str:
    """What an attacker without the key can compute: the unkeyed SHA-256 of the event's content."""
    body = {k: row[k] for k in ("chain", "seq", "actor", "kind", "element", "clause", "prev_hash")}
    body["instance_id"] = row["chain"]
    body["at"], body["data"] = str(row["at"]), row["data"]
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                                     default=str).encode()).hexdigest()


def test_the_key_is_made_on_first_start_outside_the_database_and_private(db_url, tmp_path):
    wiring, seal = engine_with_seal(db_url, tmp_path / "keys")
    key_file = tmp_path / "keys" / "audit-hmac.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(seal.key) == 32
    start_review(wiring)
    assert wiring.engine.auditor.verify_audit().valid
    assert seal.checkpoints is not None and seal.checkpoints.read_text().count("\n") >= 1
    wiring.db.dispose()


def test_a_rewritten_event_is_caught_even_with_a_recomputed_plain_hash_chain(db_url, tmp_path):
    wiring, _ = engine_with_seal(db_url, tmp_path / "keys")
    instance = start_review(wiring)
    with wiring.db.begin() as conn:
        rows = [dict(r) for r in conn.execute(text(
            "SELECT * FROM audit_event WHERE chain = :c ORDER BY seq"), {"c": instance.id}).mappings()]
        prev = "0" * 64
        for row in rows:  # rewrite the first event's actor and re-chain everything after it, head included
            row["actor"] = "mallory" if row["seq"] == 1 else row["actor"]
            row["prev_hash"] = prev
            row["hash"] = prev = plain_hash(row)
            conn.execute(text("UPDATE audit_event SET actor = :actor, hash = :hash WHERE id = :id"), row)
        conn.execute(text("UPDATE audit_chain_head SET hash = :h WHERE chain = :c"), {"h": prev, "c": instance.id})
    result = wiring.engine.auditor.verify_audit()
    assert not result.valid
    assert {f["seq"] for f in result.failures if f["chain"] == instance.id} >= {1}
    assert all("altered" in f["reason"] for f in result.failures if f["event_id"] is not None)
    wiring.db.dispose()


def test_a_cut_tail_is_caught_even_when_the_head_row_is_moved_back(db_url, tmp_path):
    wiring, _ = engine_with_seal(db_url, tmp_path / "keys")
    instance = start_review(wiring)
    with wiring.db.begin() as conn:
        last = conn.execute(text("SELECT seq FROM audit_event WHERE chain = :c ORDER BY seq DESC LIMIT 1"),
                            {"c": instance.id}).scalar_one()
        previous = conn.execute(text("SELECT hash FROM audit_event WHERE chain = :c AND seq = :s"),
                                {"c": instance.id, "s": last - 1}).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE chain = :c AND seq = :s"), {"c": instance.id, "s": last})
        conn.execute(text("UPDATE audit_chain_head SET seq = :s, hash = :h WHERE chain = :c"),
                     {"s": last - 1, "h": previous, "c": instance.id})
    result = wiring.engine.auditor.verify_audit(instance_id=instance.id)
    assert not result.valid
    assert ["tail is missing" in f["reason"] for f in result.failures] == [True]
    wiring.db.dispose()


def test_a_deleted_chain_is_caught_against_the_checkpoints(db_url, tmp_path):
    wiring, _ = engine_with_seal(db_url, tmp_path / "keys")
    kept, deleted = start_review(wiring), start_review(wiring)
    with wiring.db.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE chain = :c"), {"c": deleted.id})
        conn.execute(text("DELETE FROM audit_chain_head WHERE chain = :c"), {"c": deleted.id})
    result = wiring.engine.auditor.verify_audit()
    assert not result.valid
    assert [(f["chain"], "deleted" in f["reason"]) for f in result.failures] == [(deleted.id, True)]
    assert wiring.engine.auditor.verify_audit(instance_id=kept.id).valid
    wiring.db.dispose()


def test_a_forged_checkpoint_line_is_reported(db_url, tmp_path):
    wiring, seal = engine_with_seal(db_url, tmp_path / "keys")
    start_review(wiring)
    assert seal.checkpoints is not None
    with seal.checkpoints.open("a") as handle:
        handle.write(json.dumps({"at": "2025-01-01T00:00:00+00:00", "reason": "decision",
                                 "heads": {"ghost": [1, "0" * 64]}, "mac": "0" * 64}) + "\n")
    result = wiring.engine.auditor.verify_audit()
    assert not result.valid and "not signed with the audit key" in result.failures[0]["reason"]
    wiring.db.dispose()


def test_commits_sign_the_chains_they_touched_and_only_the_scheduler_signs_every_chain(db_url, tmp_path):
    seal = seal_for(tmp_path / "keys", interval_seconds=0)  # an interval checkpoint would be due at every commit
    wiring = build_engine(make_db_engine(db_url), clock=SimulatedClock(T0), create_schema=True, audit_seal=seal)
    wiring.engine.analyst.deploy(bpmn_fixture("example_review"), "example_review.bpmn", actor="test")
    first, second = start_review(wiring), start_review(wiring)
    assert seal.checkpoints is not None
    lines = [json.loads(line) for line in seal.checkpoints.read_text().splitlines()]
    assert [(line["reason"], set(line["heads"])) for line in lines] == [
        ("decision", {"system"}), ("commit", {first.id}), ("commit", {second.id})]  # a deployment, two starts
    assert wiring.engine.operator.checkpoint_audit() is True  # the scheduler's pass
    last = json.loads(seal.checkpoints.read_text().splitlines()[-1])
    assert last["reason"] == "interval" and set(last["heads"]) == {"system", first.id, second.id}
    assert wiring.engine.auditor.verify_audit().valid
    wiring.db.dispose()


def test_an_event_holding_an_integer_beyond_64_bits_still_verifies(db_url, tmp_path):
    """jsonb hands the number back as text; read as a float it would no longer hash as it was written."""
    from engine import audit

    wiring, _ = engine_with_seal(db_url, tmp_path / "keys")
    instance = start_review(wiring)
    amount = 2**70 + 1
    with wiring.engine.session_factory() as session:
        audit.append(session, at=T0, actor="portal", kind="note", instance_id=instance.id,
                     data={"amount_kzt": amount})
        session.commit()
    with wiring.engine.session_factory() as session:
        stored = session.execute(text("SELECT data FROM audit_event WHERE kind = 'note'")).scalar_one()
    assert (stored if isinstance(stored, dict) else json.loads(stored)) == {"amount_kzt": amount}
    assert wiring.engine.auditor.verify_audit().valid
