"""Staff and portal accounts: hashed passwords, sign-in with throttling, API tokens and browser sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select

from engine import audit, login_throttle
from engine.clock import Clock
from engine.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from engine.store.licensing_tables import Account, ApiToken, WebSession
from engine.transactions import SessionFactory, reading, transaction

ROLES = ("portal", "officer", "head", "signer", "analyst", "auditor", "admin", "quality_authority")
DEMO_USERS = {
    "admin": ("Administrator", ["admin"]),
    "officer": ("Aigerim Officer", ["officer"]),
    "officer2": ("Nurlan Officer", ["officer"]),
    "head": ("Head of the licensing unit", ["officer", "head"]),
    "signer": ("Authorized signer", ["signer"]),
    "analyst": ("Process analyst", ["analyst"]),
    "auditor": ("Internal auditor", ["auditor"]),
    "quality": ("State-services quality authority", ["quality_authority"]),
    "portal": ("E-government portal", ["portal"]),
    "portal2": ("Second applicant's portal account", ["portal"]),
}
TOKEN_HOURS = 12
SESSION_HOURS = 12
SESSION_SEEN_EVERY = timedelta(minutes=5)
WRONG_CREDENTIALS = "unknown user name or wrong password"
TOO_MANY_ATTEMPTS = "too many failed sign-ins from this address: try again later"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    language: str

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1, dklen=32)
    return hmac.compare_digest(digest.hex(), digest_hex)


@cache
def _dummy_hash() -> str:
    """Checked instead of a real hash when the user does not exist: one scrypt either way."""
    return hash_password(secrets.token_hex(16))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: Account) -> User:
    return User(row.id, row.username, row.full_name, tuple(row.roles), row.language)


class Accounts:
    def __init__(self, session_factory: SessionFactory, clock: Clock, *, demo_logins: bool = False) -> None:
        self.session_factory = session_factory
        self.clock = clock
        # demo accounts (password = user name) sign in only while the app runs with --demo
        self.demo_logins = demo_logins

    def create(self, username: str, password: str, *, full_name: str, roles: list[str],
               language: str = "ru", demo: bool = False) -> User:
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise InvalidInput(f"unknown role(s): {', '.join(unknown)}", field="roles")
        if len(password) < 10 and not demo:
            raise InvalidInput("must have at least 10 characters", field="password")
        with transaction(self.session_factory) as session:
            if session.scalars(select(Account).where(Account.username == username)).first():
                raise Conflict(f"user '{username}' exists")
            row = Account(username=username, full_name=full_name, password_hash=hash_password(password),
                          roles=roles, language=language, failed_logins=0, active=True, demo=demo)
            session.add(row)
            session.flush()
            audit.append(session, at=self.clock.now(), actor="system", kind="account_created",
                         data={"username": username, "roles": roles})
            return _user(row)

    def seed_demo(self) -> list[str]:
        """Create the demo users (password = user name) that do not exist yet."""
        created = []
        with reading(self.session_factory) as session:
            existing = set(session.scalars(select(Account.username)))
        for username, (full_name, roles) in DEMO_USERS.items():
            if username not in existing:
                self.create(username, username, full_name=full_name, roles=roles, demo=True)
                created.append(username)
        return created

    def _may_sign_in(self, row: Account | None) -> bool:
        return row is not None and row.active and (self.demo_logins or not row.demo)

    def authenticate(self, username: str, password: str, *, address: str = "") -> User:
        """Check a password. An unknown user, a wrong password and a demo account outside --demo look the
        same (same message, one scrypt each); repeated failures make the account+address pair, or the
        address, wait (engine.login_throttle)."""
        now = self.clock.now()
        with reading(self.session_factory) as session:
            wait = login_throttle.wait_seconds(session, username, address, now)
            row = session.scalars(select(Account).where(Account.username == username)).first()
            stored = row.password_hash if row is not None else _dummy_hash()
            user = _user(row) if self._may_sign_in(row) and row is not None else None
        if wait:
            raise TooManyAttempts(TOO_MANY_ATTEMPTS, wait)
        matches = check_password(stored, password)
        if matches and user is not None:
            with transaction(self.session_factory) as session:
                login_throttle.record_success(session, username, address)
            return user
        self._count_failure(username, address, now)
        raise Unauthorized(WRONG_CREDENTIALS, field="password")

    def _count_failure(self, username: str, address: str, now: datetime) -> None:
        try:
            with transaction(self.session_factory) as session:
                login_throttle.record_failure(session, username, address, now)
        except Conflict:  # another worker created the same counter at that moment: count on its row
            with transaction(self.session_factory) as session:
                login_throttle.record_failure(session, username, address, now)

    # -- API tokens -------------------------------------------------------------------------------

    def issue_token(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        with transaction(self.session_factory) as session:
            session.add(ApiToken(token_sha256=_digest(token), account_id=user.id,
                                 created_at=now, expires_at=now + timedelta(hours=TOKEN_HOURS)))
        return token

    def resolve_token(self, token: str) -> User | None:
        with reading(self.session_factory) as session:
            row = session.get(ApiToken, _digest(token))
            if row is None or row.revoked_at is not None or self._expired(row.expires_at):
                return None
            account = session.get(Account, row.account_id)
            return _user(account) if account is not None and self._may_sign_in(account) else None

    def revoke_token(self, token: str) -> bool:
        """Revoke a token for good; False if there was no such live token."""
        with transaction(self.session_factory) as session:
            row = session.get(ApiToken, _digest(token))
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = self.clock.now()
            return True

    def _expired(self, expires_at: datetime) -> bool:
        # under a simulated clock days pass in seconds: tokens and sessions then do not expire by it
        return not self.clock.simulated and expires_at < self.clock.now()

    # -- browser sessions -------------------------------------------------------------------------

    def open_session(self, user: User) -> str:
        """A new browser session; the cookie carries the returned id, the database only its sha256."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock.now()
        with transaction(self.session_factory) as session:
            session.add(WebSession(id_sha256=_digest(session_id), account_id=user.id, created_at=now,
                                   last_seen_at=now, expires_at=now + timedelta(hours=SESSION_HOURS)))
        return session_id

    def resolve_session(self, session_id: str) -> User | None:
        """The user of a live session: known, not revoked, not expired, the account allowed to sign in."""
        now = self.clock.now()
        with transaction(self.session_factory) as session:
            row = session.get(WebSession, _digest(session_id))
            if row is None or row.revoked_at is not None or self._expired(row.expires_at):
                return None
            account = session.get(Account, row.account_id)
            if account is None or not self._may_sign_in(account):
                return None
            if abs(now - row.last_seen_at) > SESSION_SEEN_EVERY:
                row.last_seen_at = now
            return _user(account)

    def close_session(self, session_id: str) -> None:
        with transaction(self.session_factory) as session:
            row = session.get(WebSession, _digest(session_id))
            if row is not None and row.revoked_at is None:
                row.revoked_at = self.clock.now()

    # -- look-ups ---------------------------------------------------------------------------------

    def get(self, user_id: int) -> User | None:
        with reading(self.session_factory) as session:
            row = session.get(Account, user_id)
            return _user(row) if row and row.active else None

    def by_username(self, username: str) -> User:
        with reading(self.session_factory) as session:
            row = session.scalars(select(Account).where(Account.username == username)).first()
            if row is None:
                raise NotFound(f"user '{username}' does not exist")
            return _user(row)

    def staff(self, role: str) -> list[User]:
        with reading(self.session_factory) as session:
            return [_user(r) for r in session.scalars(select(Account).order_by(Account.username))
                    if role in r.roles and r.active]

    def set_language(self, user_id: int, language: str) -> None:
        with transaction(self.session_factory) as session:
            row = session.get(Account, user_id)
            if row is not None and language in ("kk", "ru", "en"):
                row.language = language
