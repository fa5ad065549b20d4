"""Tables of the licensing domain: applications, documents, the licence register, accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.tables import Base, trigram_index
from engine.store.types import JsonType, UTCDateTime


class Application(Base):
    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("portal_user", "idempotency_key"),
        Index("ix_application_submitted", "submitted_at"),
        trigram_index("ix_application_applicant_trgm", "applicant_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    procedure: Mapped[str] = mapped_column(String(20), index=True)
    subtype: Mapped[str | None] = mapped_column(String(4))
    bin_iin: Mapped[str] = mapped_column(String(12), index=True)
    applicant_name: Mapped[str] = mapped_column(String(300))
    applicant_key: Mapped[str] = mapped_column(String(300), index=True)  # casefolded name, for search
    licence_number: Mapped[str | None] = mapped_column(String(40), index=True)
    body: Mapped[dict] = mapped_column(JsonType)
    portal_user: Mapped[str] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    body_sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expected_result_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(40), index=True)
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refusal_grounds: Mapped[list | None] = mapped_column(JsonType)  # clause ids a refusal rests on (R7, R10, R14)
    positions: Mapped[list | None] = mapped_column(JsonType)  # the applicant's position before the hearing (R10)


class CabinetNotice(Base):
    """What the applicant's personal cabinet shows (R5, R9), in kk and ru."""

    __tablename__ = "cabinet_notice"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[str | None] = mapped_column(String(36), index=True)
    licence_number: Mapped[str | None] = mapped_column(String(40), index=True)
    bin_iin: Mapped[str] = mapped_column(String(12), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(60))
    text_kk: Mapped[str] = mapped_column(Text)
    text_ru: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")


class Document(Base):
    """An issued document in one language: PDF plus its signed XML."""

    __tablename__ = "document"
    __table_args__ = (Index("ix_document_application", "application_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str | None] = mapped_column(String(36))
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    licence_number: Mapped[str | None] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(2))
    number: Mapped[str] = mapped_column(String(60), index=True)
    media_type: Mapped[str] = mapped_column(String(60), default="application/pdf")
    context: Mapped[dict] = mapped_column(JsonType)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    signed_xml: Mapped[bytes] = mapped_column(LargeBinary)
    signer: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Licence(Base):
    """The current row of a licence; its history is in ``licence_state``."""

    __tablename__ = "licence"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    subtype: Mapped[str] = mapped_column(String(4))
    holder_bin_iin: Mapped[str] = mapped_column(String(12), index=True)
    holder_name: Mapped[str] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    application_id: Mapped[str | None] = mapped_column(String(36))
    replaces: Mapped[str | None] = mapped_column(String(40))
    replaced_by: Mapped[str | None] = mapped_column(String(40))


class LicenceState(Base):
    """Bitemporal-enough history: the licence as it stood from ``valid_from`` on."""

    __tablename__ = "licence_state"
    __table_args__ = (Index("ix_licence_state_number_from", "licence_number", "valid_from"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    licence_number: Mapped[str] = mapped_column(ForeignKey("licence.number"))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))  # active | suspended | revoked | replaced
    status_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    snapshot: Mapped[dict] = mapped_column(JsonType)  # holder, data_centers, annexes, pool …
    reason: Mapped[str] = mapped_column(String(300))
    instance_id: Mapped[str | None] = mapped_column(String(36))


class PoolNotice(Base):
    """Change of mining-pool information (R16)."""

    __tablename__ = "pool_notice"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    licence_number: Mapped[str] = mapped_column(ForeignKey("licence.number"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean)
    pool: Mapped[dict] = mapped_column(JsonType)
    submitted_by: Mapped[str] = mapped_column(String(100))


class NumberSequence(Base):
    """Counters for numbers that are unique and never reused (licences, applications)."""

    __tablename__ = "number_sequence"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    roles: Mapped[list[str]] = mapped_column(JsonType)
    language: Mapped[str] = mapped_column(String(2), default="ru")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # created by --demo (password = user name): such an account accepts no login without --demo
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # for a portal account that acts for one applicant only: its BIN/IIN (null: any applicant)
    acts_for: Mapped[str | None] = mapped_column(String(12))
    # the staff member's IIN: a signature counts only with a certificate naming this IIN (serialNumber "IIN…")
    iin: Mapped[str | None] = mapped_column(String(12))


class ApiToken(Base):
    __tablename__ = "api_token"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebSession(Base):
    """A signed-in browser session; logout revokes it for good (the cookie only carries its id)."""

    __tablename__ = "web_session"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed sign-ins counted per key ("account:<name>|addr:<ip>" or "addr:<ip>"), shared by all workers."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LegalTermRow(Base):
    """A legal term in force (engine/legal_time/terms.py LEGAL_TERMS seeds it at first start). Changed only by
    an approved proposal (four-eyes); ``version`` counts the changes of the row."""

    __tablename__ = "legal_term"
    __table_args__ = (UniqueConstraint("clause", "start_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clause: Mapped[str] = mapped_column(String(40))
    start_event: Mapped[str] = mapped_column(String(200))
    days: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    changed_by: Mapped[str | None] = mapped_column(String(200))


class LegalTermProposal(Base):
    """A proposed change of one legal term: effective only once a second person approved it."""

    __tablename__ = "legal_term_proposal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("legal_term.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
