"""Failed sign-ins counted in the database (shared by every worker), per account and address and per address.

Five failures of one account from one address within 15 minutes make that pair wait 15 minutes; twenty
failures from one address, whatever the accounts, make the address wait. A real user signing in from
another address is never held back: anonymous requests cannot lock an account out.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from engine import audit
from engine.store.licensing_tables import LoginThrottle

PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)


def _keys(username: str, address: str) -> dict[str, int]:
    """Each counter's key and its limit."""
    address = address[:64] or "unknown"
    return {f"account:{username[:100]}|addr:{address}": PAIR_LIMIT, f"addr:{address}": ADDRESS_LIMIT}


def wait_seconds(session: Session, username: str, address: str, now: datetime) -> int:
    """How long a sign-in of ``username`` from ``address`` must wait; 0 when it may be tried now."""
    waits = [0]
    for key in _keys(username, address):
        row = session.get(LoginThrottle, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            waits.append(math.ceil((row.locked_until - now).total_seconds()))
    return max(waits)


def record_failure(session: Session, username: str, address: str, now: datetime) -> None:
    for key, limit in _keys(username, address).items():
        row = session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
            session.add(row)
        if row.window_started_at + WINDOW <= now or row.window_started_at > now:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + LOCK
            row.failures, row.window_started_at = 0, now
            audit.append(session, at=now, actor="system", kind="login_throttled",
                         data={"key": key, "until": row.locked_until.isoformat()})
    session.flush()


def record_success(session: Session, username: str, address: str) -> None:
    """A correct password clears the account's count from this address (the address's own count stays)."""
    pair = next(iter(_keys(username, address)))
    row = session.get(LoginThrottle, pair)
    if row is not None:
        session.delete(row)
