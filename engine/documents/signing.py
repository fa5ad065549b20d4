"""The signed XML form of an act, and its verification.

The XML carries the act's fields, the SHA-256 of its PDF and who signs it (account, name from the
certificate, position) and when. Verification binds all of it: the XML signature holds, the certificate
chains to a trust root and was valid at the signing moment with a signing key usage, it belongs to the
signing account (its IIN) or is the system's own, the PDF stored now has the digest that was signed, and
the stored columns (number, kind, language, signer, time) say what the signed XML says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from lxml import etree

from engine.signing import certificates, xmldsig

SYSTEM_ACCOUNT = "system"


@dataclass(frozen=True)
class SignedBy:
    account: str  # the login of the signing account, or "system"
    name: str  # the holder's name as the certificate states it
    position: str


def document_xml(kind: str, lang: str, context: dict[str, Any], pdf_sha256: str, *, signed_by: SignedBy,
                 signed_at: dt.datetime) -> bytes:
    """The act's fields as XML, with the digest of its PDF and its signer: what the signer signs."""
    root = etree.Element("act", kind=kind, lang=lang, version="2")
    etree.SubElement(root, "number").text = str(context.get("number") or "")
    etree.SubElement(root, "pdfSha256").text = pdf_sha256
    etree.SubElement(root, "signer", account=signed_by.account, name=signed_by.name, position=signed_by.position)
    etree.SubElement(root, "signedAt").text = signed_at.isoformat()
    _fill(etree.SubElement(root, "fields"), context)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]


def _fill(parent: Any, value: Any) -> None:
    if isinstance(value, dict):
        for key in sorted(value):
            _fill(etree.SubElement(parent, "field", name=str(key)), value[key])
    elif isinstance(value, list):
        for item in value:
            _fill(etree.SubElement(parent, "item"), item)
    elif value is not None:
        parent.text = str(value)


@dataclass(frozen=True)
class Expected:
    """What the database says about the act; verification checks it against the signed XML."""

    kind: str
    lang: str
    number: str
    account: str
    signed_at: dt.datetime
    pdf: bytes


@dataclass(frozen=True)
class Trust:
    roots: list[x509.Certificate]
    system_fingerprint: str | None
    account_iin: dict[str, str | None]  # account login → its IIN on record


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    signer: str | None
    position: str | None
    signed_at: str | None
    reason: str | None


def verify_document(signed_xml: bytes, expected: Expected, trust: Trust) -> VerifyResult:
    try:
        verified = xmldsig.verify(signed_xml)
    except xmldsig.SignatureInvalid as exc:
        return VerifyResult(False, None, None, None, str(exc))
    root, cert = verified.root, verified.certificate
    signer = root.find("signer")
    account = signer.get("account") if signer is not None else None
    name = signer.get("name") if signer is not None else None
    position = signer.get("position") if signer is not None else None
    signed_at_text = root.findtext("signedAt")

    def verdict(reason: str | None) -> VerifyResult:
        return VerifyResult(reason is None, name, position, signed_at_text, reason)

    try:
        signed_at = dt.datetime.fromisoformat(signed_at_text or "")
    except ValueError:
        return verdict("the signed XML states no signing moment")
    claims = {"kind": root.get("kind"), "lang": root.get("lang"), "number": root.findtext("number"),
              "signer": account}
    stored = {"kind": expected.kind, "lang": expected.lang, "number": expected.number, "signer": expected.account}
    for key, value in claims.items():
        if value != stored[key]:
            return verdict(f"the stored {key} ({stored[key]!r}) is not the signed one ({value!r})")
    if signed_at != expected.signed_at:
        return verdict("the stored signing moment is not the signed one")
    if hashlib.sha256(expected.pdf).hexdigest() != root.findtext("pdfSha256"):
        return verdict("the stored PDF is not the one that was signed (its SHA-256 differs)")
    problem = certificates.problem(cert, trust.roots, signed_at)
    if problem:
        return verdict(problem)
    if name != certificates.common_name(cert):
        return verdict("the signer's name is not the certificate holder's")
    if account == SYSTEM_ACCOUNT:
        if certificates.fingerprint(cert) != trust.system_fingerprint:
            return verdict("signed as the system, but not with the system's certificate")
    else:
        iin = certificates.iin_of(cert)
        on_record = trust.account_iin.get(account or "")
        if iin is None or on_record is None or iin != on_record:
            return verdict("the certificate's IIN does not belong to the signing account")
    return verdict(None)
