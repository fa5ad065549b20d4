"""Rows written with one Core statement per table (and kind of change), when the session next flushes.

Audit events, feed events and staff notifications are never read back by the step that writes them and never
updated; the timer, task and continuation rows a step adds or closes are known from SpiffWorkflow's task
states without reading them. Building an ORM object for each (identity map, unit of work, ``RETURNING id``
per row) is pure cost. They are collected in ``session.info`` instead and written, in the order they were
added (one executemany per statement), by a ``before_flush`` hook: every flush — the step's own, an
autoflush before a query, the commit's — writes them first, so what the transaction wrote so far is visible
to its own queries as before. A session with no changed ORM object skips its flushes; its queued rows are then
written when it commits (a ``before_commit`` hook), so nothing queued is ever lost. A rollback
(of the transaction or of a savepoint, which always starts with a flush) forgets what was not written.

Two rows are not appended but kept current: an audit chain's head (``keyed``: one upsert per flush with its
latest values) and an instance's row (``guarded``: a version-checked update, which fails as the ORM's does when
another transaction moved the version on).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import Insert

PENDING = "bulk_rows"
_GUARDED: set[Executable] = set()  # statements each of whose executions must change exactly one row
KEYED = "bulk_keyed_rows"  # (statement, key) -> the queued parameters a later call for that key replaces
_installed = False
_install_lock = threading.Lock()


def add(session: Session, table: Table, row: dict[str, Any]) -> None:
    """Queue ``row`` for ``table``; it is inserted at the session's next flush."""
    later(session, _insert(table), row)


def later(session: Session, statement: Executable, params: dict[str, Any]) -> None:
    """Queue one execution of ``statement`` (a module constant: executions of one statement are grouped)."""
    if not _installed:
        _install()
    pending: dict[Executable, list[dict[str, Any]]] = session.info.setdefault(PENDING, {})
    rows = pending.get(statement)
    if rows is None:
        pending[statement] = [params]
    else:
        rows.append(params)


def guarded(statement: Executable) -> Executable:
    """Mark ``statement`` (a module constant) as one whose every execution changes exactly one row: a write
    that finds fewer (an optimistic version that moved on) raises ``StaleDataError``, as the ORM's does."""
    _GUARDED.add(statement)
    return statement


def keyed(session: Session, statement: Executable, key: Any, params: dict[str, Any]) -> None:
    """Queue one execution of ``statement`` for ``key``; until it is written, a later call for the same key
    replaces what it writes (a row's latest values, written once per flush however often they changed)."""
    queued: dict[tuple[Executable, Any], dict[str, Any]] = session.info.setdefault(KEYED, {})
    row = queued.get((statement, key))
    if row is not None:
        row.update(params)
        return
    row = dict(params)
    later(session, statement, row)
    queued[(statement, key)] = row


def write(session: Session) -> None:
    """Execute what is queued now: one executemany per statement, the inserts first."""
    session.info.pop(KEYED, None)
    pending: dict[Executable, list[dict[str, Any]]] | None = session.info.pop(PENDING, None)
    if not pending:
        return
    connection = session.connection()
    # inserts first: an update queued by a step may close a row an earlier step of the batch added
    for statement, rows in sorted(pending.items(), key=lambda item: not isinstance(item[0], Insert)):
        result = connection.execute(statement, rows)
        if statement in _GUARDED and result.rowcount != len(rows):
            raise StaleDataError(f"{len(rows)} rows were to be written, {result.rowcount} were found: "
                                 "another transaction changed them meanwhile")


_inserts: dict[Table, Executable] = {}


def _insert(table: Table) -> Executable:
    statement = _inserts.get(table)
    if statement is None:
        statement = _inserts[table] = insert(table)
    return statement


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if session.info.get(PENDING):
        write(session)


def _before_commit(session: Session) -> None:
    # a flush is skipped while no ORM object changed: the commit (or a savepoint's release) writes what waits
    if session.info.get(PENDING):
        write(session)


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(KEYED, None)


def _install() -> None:
    """Hook every session once, at the first queued row (nothing happens at import time)."""
    global _installed
    with _install_lock:
        if not _installed:
            sa_event.listen(Session, "before_flush", _before_flush)
            sa_event.listen(Session, "before_commit", _before_commit)
            sa_event.listen(Session, "after_soft_rollback", _after_soft_rollback)
            _installed = True
