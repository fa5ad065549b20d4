"""Staff and portal accounts: hashed passwords, lock-out after repeated failures, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from engine import audit
from engine.clock import Clock
from engine.errors import Conflict, InvalidInput, NotFound
from engine.store.licensing_tables import Account, ApiToken
from engine.transactions import SessionFactory, reading, transaction

ROLES = ("portal", "officer", "head", "signer", "analyst", "auditor", "admin")
DEMO_USERS = {
    "admin": ("Administrator", ["admin"]),
    "officer": ("Aigerim Officer", ["officer"]),
    "officer2": ("Nurlan Officer", ["officer"]),
    "head": ("Head of the licensing unit", ["officer", "head"]),
    "signer": ("Authorized signer", ["signer"]),
    "analyst": ("Process analyst", ["analyst"]),
    "auditor": ("Internal auditor", ["auditor"]),
    "portal": ("E-government portal", ["portal"]),
}
MAX_FAILURES = 5
LOCK_MINUTES = 15
TOKEN_HOURS = 12


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


def _user(row: Account) -> User:
    return User(row.id, row.username, row.full_name, tuple(row.roles), row.language)


class Accounts:
    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self.session_factory = session_factory
        self.clock = clock

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
                          roles=roles, language=language, failed_logins=0, active=True)
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

    def authenticate(self, username: str, password: str) -> User:
        """Check a password; five failures lock the account for 15 minutes."""
        now = self.clock.now()
        with transaction(self.session_factory) as session:
            row = session.scalars(select(Account).where(Account.username == username)).first()
            if row is None or not row.active:
                check_password(hash_password("x"), password)  # same cost whether or not the user exists
                raise InvalidInput("unknown user name or wrong password", field="password")
            if row.locked_until and row.locked_until > now:
                raise InvalidInput("too many failed attempts: the account is locked for a while", field="username")
            if not check_password(row.password_hash, password):
                row.failed_logins += 1
                if row.failed_logins >= MAX_FAILURES:
                    row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    row.failed_logins = 0
                    audit.append(session, at=now, actor=username, kind="account_locked", data={})
                failed = True
            else:
                row.failed_logins = 0
                row.locked_until = None
                failed = False
            user = _user(row)
        if failed:
            raise InvalidInput("unknown user name or wrong password", field="password")
        return user

    def issue_token(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        with transaction(self.session_factory) as session:
            session.add(ApiToken(token_sha256=hashlib.sha256(token.encode()).hexdigest(), account_id=user.id,
                                 created_at=now, expires_at=now + timedelta(hours=TOKEN_HOURS)))
        return token

    def resolve_token(self, token: str) -> User | None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        with reading(self.session_factory) as session:
            row = session.get(ApiToken, digest)
            if row is None:
                return None
            # under a simulated clock days pass in seconds: tokens then do not expire by it
            if not self.clock.simulated and row.expires_at < self.clock.now():
                return None
            account = session.get(Account, row.account_id)
            return _user(account) if account and account.active else None

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
