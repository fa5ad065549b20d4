"""Rows queued for one bulk insert are written even when nothing else in the session changed, and a rollback
forgets them: a step's feed events are never lost and never written for a step that failed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, create_engine, func, select
from sqlalchemy.orm import Session

from engine.store import bulk
from engine.store.tables import Base, OutboxEvent

FEED = cast(Table, OutboxEvent.__table__)


def _row(kind: str) -> dict:
    return {"at": datetime(2025, 6, 5, 5, 0, tzinfo=UTC), "instance_id": None, "application_id": None,
            "kind": kind, "element": None, "clause": None, "payload": {}}


def _kinds(engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.id)))


def test_a_queued_row_is_written_at_commit_though_no_orm_object_changed():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        bulk.add(session, FEED, _row("first"))
        bulk.add(session, FEED, _row("second"))
    assert _kinds(engine) == ["first", "second"]


def test_a_rolled_back_transaction_or_savepoint_forgets_its_queued_rows():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        with session.begin():
            bulk.add(session, FEED, _row("kept"))
        session.begin()
        bulk.add(session, FEED, _row("lost"))
        session.rollback()
    assert _kinds(engine) == ["kept"]
    with Session(engine) as session, session.begin():
        nested = session.begin_nested()
        bulk.add(session, FEED, _row("in a savepoint"))
        nested.rollback()
        bulk.add(session, FEED, _row("after it"))
        assert session.scalar(select(func.count()).select_from(OutboxEvent)) == 1  # nothing flushed yet
    assert _kinds(engine) == ["kept", "after it"]


def test_a_guarded_write_that_finds_its_row_changed_fails_instead_of_writing_nothing():
    from sqlalchemy import bindparam, update
    from sqlalchemy.orm.exc import StaleDataError

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        bulk.add(session, FEED, _row("kept"))
    rename = bulk.guarded(update(FEED).where(FEED.c.kind == bindparam("b_was")).values(kind=bindparam("b_now")))
    with Session(engine) as session, session.begin():
        bulk.later(session, rename, {"b_was": "kept", "b_now": "renamed"})
    assert _kinds(engine) == ["renamed"]
    with Session(engine) as session:
        session.begin()
        bulk.later(session, rename, {"b_was": "renamed", "b_now": "again"})
        bulk.later(session, rename, {"b_was": "gone meanwhile", "b_now": "never"})
        try:
            session.commit()
        except StaleDataError:
            session.rollback()
        else:
            raise AssertionError("a write that found one row of two was committed")
    assert _kinds(engine) == ["renamed"]
