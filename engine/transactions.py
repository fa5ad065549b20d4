"""One use case, one transaction: commit on success, roll back on any error, map DB failures."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, Unavailable

SessionFactory = Callable[[], Session]


@contextlib.contextmanager
def transaction(session_factory: SessionFactory) -> Iterator[Session]:
    session = session_factory()
    try:
        with session.begin():
            yield session
    except StaleDataError as exc:
        raise Conflict("someone else changed this process instance at the same time; reload and retry") from exc
    except IntegrityError as exc:
        raise Conflict(f"the change conflicts with stored data: {exc.orig}") from exc
    except OperationalError as exc:
        if _is_disconnect(exc):
            raise Unavailable("the database is not reachable; nothing was changed, try again") from exc
        if "database is locked" in str(exc) or "could not serialize" in str(exc) or "deadlock" in str(exc):
            raise Conflict("the database is busy with a conflicting change; retry") from exc
        raise
    except DBAPIError as exc:
        if exc.connection_invalidated or _is_disconnect(exc):
            raise Unavailable("the database is not reachable; nothing was changed, try again") from exc
        raise
    finally:
        session.close()


@contextlib.contextmanager
def reading(session_factory: SessionFactory) -> Iterator[Session]:
    session = session_factory()
    try:
        yield session
    except (OperationalError, DBAPIError) as exc:
        if isinstance(exc, DBAPIError) and (exc.connection_invalidated or _is_disconnect(exc)):
            raise Unavailable("the database is not reachable; try again") from exc
        raise
    finally:
        session.close()


def _is_disconnect(exc: Exception) -> bool:
    text = str(exc).lower()
    return getattr(exc, "connection_invalidated", False) or any(
        marker in text for marker in ("connection refused", "server closed the connection", "could not connect",
                                      "terminating connection", "connection is closed", "connection failed",
                                      "unable to open database", "no such host")
    )
