"""XML signatures (XMLDSig, RSA-SHA256) of issued documents with the provider's key.

``Signer`` is the seam for a hardware or NCALayer signer later; ``KeyFileSigner`` uses a key pair created
at set-up by :func:`create_provider_keypair`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from lxml import etree

KEY_FILE = "provider-key.pem"
CERT_FILE = "provider-cert.pem"


class Signer(Protocol):
    subject: str

    def sign(self, xml: bytes) -> bytes: ...


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class KeyFileSigner:
    def __init__(self, directory: Path) -> None:
        self.key_pem = (directory / KEY_FILE).read_bytes()
        self.cert_pem = (directory / CERT_FILE).read_bytes()
        from cryptography import x509

        self.subject = x509.load_pem_x509_certificate(self.cert_pem).subject.rfc4514_string()

    def sign(self, xml: bytes) -> bytes:
        from signxml import XMLSigner

        root = etree.fromstring(xml, _parser())
        signed = XMLSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256").sign(
            root, key=self.key_pem, cert=self.cert_pem.decode())
        return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]


def create_provider_keypair(directory: Path, *, common_name: str, organization: str, now: dt.datetime) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    start = now - dt.timedelta(days=3650)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(now + dt.timedelta(days=3650 * 3))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    key_path = directory / KEY_FILE
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    (directory / CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def document_xml(kind: str, lang: str, context: dict[str, Any], pdf_sha256: str) -> bytes:
    """The document's fields as XML; the PDF is bound by its sha256."""
    root = etree.Element("document", kind=kind, lang=lang)
    etree.SubElement(root, "number").text = str(context.get("number") or "")
    etree.SubElement(root, "pdfSha256").text = pdf_sha256
    fields = etree.SubElement(root, "fields")
    _fill(fields, context)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]


def _fill(parent: Any, value: Any) -> None:
    if isinstance(value, dict):
        for key in sorted(value):
            child = etree.SubElement(parent, "field", name=str(key))
            _fill(child, value[key])
    elif isinstance(value, list):
        for item in value:
            _fill(etree.SubElement(parent, "item"), item)
    elif value is not None:
        parent.text = str(value)


def sign_document(xml: bytes, signer: Signer, *, signer_name: str, signed_at: dt.datetime) -> bytes:
    root = etree.fromstring(xml, _parser())
    etree.SubElement(root, "signedBy").text = signer_name
    etree.SubElement(root, "signedAt").text = signed_at.isoformat()
    return signer.sign(etree.tostring(root))


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    signer: str | None
    signed_at: str | None
    reason: str | None


def verify_document(signed_xml: bytes, *, trusted_cert_pem: bytes) -> VerifyResult:
    from signxml import XMLVerifier

    try:
        result: Any = XMLVerifier().verify(signed_xml, x509_cert=trusted_cert_pem.decode(), parser=_parser())
        verified = result.signed_xml
    except Exception as exc:
        return VerifyResult(False, None, None, f"signature does not verify: {type(exc).__name__}: {exc}"[:300])
    return VerifyResult(True, verified.findtext("signedBy"), verified.findtext("signedAt"), None)
