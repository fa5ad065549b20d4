"""Who took part in an instance: the ``instance_officer`` rows the auditors' search by officer reads.

An officer takes part in an instance by completing one of its tasks or by holding one (claimed by them,
assigned to them, returned to them as the one who prepared it). The row is written in the transaction that
does it. Completing a task never undoes it; releasing or handing on a task does, unless another task of the
instance still names them — so the rows always say what the instance's task rows say.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, exists, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.store import bulk
from engine.store.tables import HumanTask, InstanceOfficer

TABLE = cast(Table, InstanceOfficer.__table__)
_TOOK_PART: dict[str, Any] = {"postgresql": postgresql.insert(TABLE).on_conflict_do_nothing(),
                              "sqlite": sqlite.insert(TABLE).on_conflict_do_nothing()}
_NAMED_BY_A_TASK = exists().where(
    HumanTask.instance_id == bindparam("b_instance"),
    or_(HumanTask.completed_by == bindparam("b_officer"), HumanTask.claimed_by == bindparam("b_officer")))
_LEFT = delete(TABLE).where(TABLE.c.officer == bindparam("b_officer"), TABLE.c.instance_id == bindparam("b_instance"),
                            ~_NAMED_BY_A_TASK)


def took_part(session: Session, officer: str, instance_id: str, started_at: datetime) -> None:
    """``officer`` completed or now holds a task of the instance (written with the step's other rows)."""
    bulk.later(session, _TOOK_PART[session.get_bind().dialect.name],
               {"officer": officer, "instance_id": instance_id, "started_at": started_at})


def may_have_left(session: Session, officer: str, instance_id: str) -> None:
    """``officer`` no longer holds a task of the instance: their row goes unless another task names them.

    Call it after the task row changed (the question is asked of the rows as this transaction sees them)."""
    session.flush()
    session.execute(_LEFT, {"b_officer": officer, "b_instance": instance_id})
