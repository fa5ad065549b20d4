"""Issuing documents: render the PDF in kk and ru, sign its XML form, store both (R9, R17).

Receipts and acts of the system itself are signed with the system's certificate; every other act with the
acting account's own certificate: in demo, simulated and test runs the demo CA issues it and the server
signs; in production the act arrives signed through NCALayer (``signed_xml``) and is verified before it is
stored (:func:`browser_signing` reads those fields of the signature form, in the UI and the API alike). Both
paths store the same thing and pass the same verification.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import legal_time
from engine.documents import render_pdf
from engine.documents.dates import licence_valid_until
from engine.documents.signing import (
    SYSTEM_ACCOUNT,
    Expected,
    SignedBy,
    Trust,
    document_xml,
    verify_document,
)
from engine.errors import InvalidInput, ProcessFailure
from engine.licensing import register
from engine.signing import certificates, xmldsig
from engine.signing.certificates import Issued
from engine.signing.keystore import SYSTEM_TITLE, Keystore, demo_iin
from engine.store.licensing_tables import Account, Document, Licence

LANGS = ("kk", "ru")
SYSTEM_KINDS = frozenset({"receipt"})  # notices the system sends by itself
STAFF_ROLES = frozenset({"officer", "head", "signer", "admin", "quality_authority"})
KIND_OF_TEMPLATE = {"reissued_licence": "licence", "not_considered": "refusal"}  # the rest: the same name


@dataclass
class BrowserSigning:
    """Acts signed in the signer's browser through NCALayer; set around the completion of a signature task."""

    certificate_pem: bytes  # the signer's certificate, as NCALayer reported it (getKeyInfo)
    signed_at: datetime  # the moment the acts are dated and signed
    signed: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (template, lang) → signed XML
    to_sign: list[dict[str, str]] = field(default_factory=list)  # acts still to sign (filled by the issuer)


BROWSER_SIGNING: ContextVar[BrowserSigning | None] = ContextVar("browser_signing", default=None)
SIGNING_FIELDS = ("certificate", "signed_at", "signed_xml")  # what a signature form carries from NCALayer
SIGNING_WINDOW = timedelta(minutes=15)  # acts signed in the browser are dated when the signing began


@contextmanager
def signing_in_browser(browser: BrowserSigning | None) -> Iterator[None]:
    """Acts issued inside are those ``browser`` signs (or lists in ``to_sign``); None: the server signs."""
    token = BROWSER_SIGNING.set(browser)
    try:
        yield
    finally:
        BROWSER_SIGNING.reset(token)


def browser_signing(data: dict[str, Any], now: datetime) -> BrowserSigning | None:
    """The NCALayer part of a signature form: ``certificate`` (PEM, from getKeyInfo), ``signed_at`` (the moment
    an earlier answer named) and ``signed_xml`` ([{"template","lang","xml"}] from signXml); None without them."""
    pem = data.get("certificate")
    if pem is None:
        return None
    if not isinstance(pem, str):
        raise InvalidInput("the signer's certificate (PEM, from NCALayer) is required", field="data.certificate")
    try:
        certificates.load(pem.encode())
    except ValueError:
        raise InvalidInput("not a PEM certificate", field="data.certificate") from None
    try:
        signed_at = datetime.fromisoformat(str(data.get("signed_at") or ""))
    except ValueError:
        signed_at = now
    if signed_at.tzinfo is None or not now - SIGNING_WINDOW <= signed_at <= now:
        signed_at = now  # a fresh signing moment: acts signed for another one are signed again
    items = data.get("signed_xml") or []
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("xml"), str) for i in items):
        raise InvalidInput("a list of {template, lang, xml} signed by NCALayer", field="data.signed_xml")
    signed = {(str(i.get("template")), str(i.get("lang"))): i["xml"].encode() for i in items}
    return BrowserSigning(pem.encode(), signed_at, signed)



class SignatureNeeded(ProcessFailure):
    """An act must first be signed in the browser: the step is undone, ``BrowserSigning.to_sign`` says what."""


@dataclass
class DocumentIssuer:
    """Renders, signs and stores documents; verifies them."""

    keystore: Keystore
    signer_position: dict[str, str] = field(default_factory=lambda: {"kk": "", "ru": ""})
    verify_base_url: str = ""

    @property
    def keys_dir(self) -> Any:
        return self.keystore.keys_dir

    def _signer(self, session: Session, kind: str, actor: str, now: datetime,
                browser: BrowserSigning | None) -> tuple[SignedBy, Issued | None]:
        """Who signs and with which key: the system's, the demo account's own, or none (NCALayer signs)."""
        account = None if kind in SYSTEM_KINDS else session.scalars(
            select(Account).where(Account.username == actor)).first()
        if account is None or not STAFF_ROLES & set(account.roles or []):
            system = self.keystore.system()
            return SignedBy(SYSTEM_ACCOUNT, certificates.common_name(certificates.load(system.cert_pem)), ""), system
        if browser is not None:
            if account.iin is None and self.keystore.trust_demo:
                account.iin = demo_iin(account.username)  # a demo account's IIN is the one its demo certificate names
            name = certificates.common_name(certificates.load(browser.certificate_pem))
            return SignedBy(account.username, name, ""), None
        if not self.keystore.trust_demo:
            raise ProcessFailure(f"the act must be signed with {actor}'s own EDS through NCALayer: "
                                 "the server holds no personal keys in production")
        issued, iin = self.keystore.demo_personal(account.username, full_name=account.full_name, now=now)
        if account.iin is None:
            account.iin = iin  # a demo account gets the IIN its demo certificate names
        return SignedBy(account.username, certificates.common_name(certificates.load(issued.cert_pem)), ""), issued

    def issue(
        self,
        session: Session,
        *,
        kind: str,
        number: str,
        context: dict[str, Any],
        template: str | None = None,
        signer_name: str,
        signed_at: datetime,
        application_id: str | None,
        instance_id: str | None,
        licence_number: str | None = None,
    ) -> list[Document]:
        """Issue the act in kk and ru, signed by the account ``signer_name`` (or the system).

        When the act is signed in the browser (:data:`BROWSER_SIGNING` is set), the act is dated at the
        signing moment, and an act whose signed XML is not there yet is added to ``to_sign`` and the
        step is undone (:class:`SignatureNeeded`); a signed XML that verifies is stored as it came.
        """
        browser = BROWSER_SIGNING.get()
        signed_by, key = self._signer(session, kind, signer_name, signed_at, browser)
        context = {**licence_dates(session, licence_number), **context}
        if key is None and browser is not None:
            signed_at = browser.signed_at
            context.update(issued_at=legal_time.iso(signed_at), date=legal_time.to_local(signed_at).date().isoformat())
        template = template or kind
        rows, missing = [], False
        for lang in LANGS:
            who = SignedBy(signed_by.account, signed_by.name,
                           self.signer_position.get(lang, "") if signed_by.account != SYSTEM_ACCOUNT else "")
            printed = SYSTEM_TITLE[lang] if who.account == SYSTEM_ACCOUNT else who.name
            full = {**context, "number": number, "lang": lang, "template": template,
                    "verify_url": self.verify_url(number), "signer": {"name": printed, "position": who.position}}
            pdf = render_pdf(template, lang, full)
            xml = document_xml(template, lang, full, _sha256(pdf), signed_by=who, signed_at=signed_at)
            if key is not None:
                signed = xmldsig.sign(xml, key_pem=key.key_pem, cert_pem=key.cert_pem)
            else:
                assert browser is not None
                signed = browser.signed.get((template, lang), b"")
                if not xmldsig.signs_content(signed, xml):
                    browser.to_sign.append({"template": template, "lang": lang, "number": number,
                                            "xml": xml.decode()})
                    missing = True
                    continue
            row = Document(id=str(uuid.uuid4()), application_id=application_id, instance_id=instance_id,
                           licence_number=licence_number, kind=kind, lang=lang, number=number,
                           media_type="application/pdf", context=full, pdf=pdf, pdf_sha256=_sha256(pdf),
                           signed_xml=signed, signer=who.account, signed_at=signed_at)
            if key is None:
                verdict = self.verify(session, row)
                if not verdict["valid"]:
                    raise ProcessFailure(f"the NCALayer signature of {number} ({lang}) does not hold: "
                                         f"{verdict['reason']}")
            session.add(row)
            rows.append(row)
        if missing:
            raise SignatureNeeded(f"{number} waits for the signer's signature through NCALayer")
        session.flush()
        return rows

    def verify_url(self, number: str) -> str:
        return f"{self.verify_base_url.rstrip('/')}/verify/{number}"

    def preview(self, kind: str, lang: str, context: dict[str, Any]) -> bytes:
        return render_pdf(kind, lang, {**context, "number": context.get("number") or "—", "lang": lang,
                                       "draft": True})

    def trust(self, session: Session, accounts: list[str]) -> Trust:
        rows = session.execute(select(Account.username, Account.iin).where(Account.username.in_(accounts)))
        return Trust(roots=self.keystore.roots(),
                     system_fingerprint=certificates.fingerprint(self.keystore.system_certificate()),
                     account_iin={username: iin for username, iin in rows})

    def verify(self, session: Session, row: Document) -> dict[str, Any]:
        """Does the stored act prove itself: signature, certificate, signer, PDF bytes and columns."""
        template = _signed_kind(row)
        result = verify_document(row.signed_xml, Expected(kind=template, lang=row.lang, number=row.number,
                                                          account=row.signer, signed_at=row.signed_at, pdf=row.pdf),
                                 self.trust(session, [row.signer]))
        valid, reason = result.valid, result.reason
        if valid and KIND_OF_TEMPLATE.get(template, template) != row.kind:
            valid, reason = False, f"the stored kind ({row.kind!r}) is not the signed one ({template!r})"
        return {"valid": valid, "signer": result.signer, "position": result.position,
                "signed_at": _local(result.signed_at), "reason": reason}


def licence_dates(session: Session, number: str | None) -> dict[str, str]:
    """The dates a licence or annex prints: the licence's issue, the original issue, the last valid day."""
    licence = session.get(Licence, number) if number else None
    if licence is None:
        return {}
    first = register.original_issue(session, licence)
    return {"licence_issued_at": legal_time.iso(licence.issued_at), "original_issued_at": legal_time.iso(first),
            "valid_until": licence_valid_until(legal_time.to_local(first).date()).isoformat()}


def _signed_kind(row: Document) -> str:
    """The kind the XML names: the template's (a reissued licence, a "not considered" refusal)."""
    template = (row.context or {}).get("template")
    return str(template) if template else row.kind


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _local(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        return legal_time.iso(datetime.fromisoformat(iso))
    except ValueError:
        return iso


__all__ = ["BROWSER_SIGNING", "SIGNING_FIELDS", "BrowserSigning", "DocumentIssuer", "SignatureNeeded",
           "browser_signing", "signing_in_browser"]
