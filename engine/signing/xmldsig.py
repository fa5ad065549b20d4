"""Enveloped XML signatures (XMLDSig, RSA-SHA256) as NCALayer's signXml makes them.

The signature carries the signer's certificate in ``KeyInfo/X509Data``; :func:`verify` checks the signature
with that certificate and returns the signed element and the certificate, so the caller judges the
certificate (chain, validity, key usage, holder) separately.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import XMLSigner, XMLVerifier

DS = "http://www.w3.org/2000/09/xmldsig#"


class SignatureInvalid(Exception):
    """The XML is not well-formed, carries no certificate, or its signature does not hold."""


@dataclass(frozen=True)
class Verified:
    root: Any  # the signed element (only what the signature covers)
    certificate: x509.Certificate


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@lru_cache(maxsize=16)
def _private_key(key_pem: bytes) -> Any:
    """The key a PEM holds, loaded once per process: loading checks the RSA key, 35 ms, more than signing
    itself. Keyed by the PEM's own bytes, so a replaced key is a new entry (the keystore keeps the PEMs in
    memory anyway)."""
    return serialization.load_pem_private_key(key_pem, password=None)


def sign(xml: bytes, *, key_pem: bytes, cert_pem: bytes) -> bytes:
    root = etree.fromstring(xml, parser())
    signed = XMLSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315").sign(
        root, key=_private_key(key_pem), cert=cert_pem.decode())
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]


def embedded_certificate(signed_xml: bytes) -> x509.Certificate:
    try:
        root = etree.fromstring(signed_xml, parser())
    except etree.XMLSyntaxError as exc:
        raise SignatureInvalid(f"not well-formed XML: {exc}") from None
    found = root.findall(f".//{{{DS}}}X509Certificate")
    if len(found) != 1 or not (found[0].text or "").strip():
        raise SignatureInvalid("the signature must carry exactly one signer certificate")
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(found[0].text.split())))
    except ValueError as exc:
        raise SignatureInvalid(f"the signer certificate cannot be read: {exc}") from None


def verify(signed_xml: bytes) -> Verified:
    certificate = embedded_certificate(signed_xml)
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    try:
        result: Any = XMLVerifier().verify(signed_xml, x509_cert=pem, parser=parser())
    except Exception as exc:  # signxml raises several unrelated types for a broken signature
        raise SignatureInvalid(f"the signature does not verify: {type(exc).__name__}: {exc}"[:300]) from None
    return Verified(result.signed_xml, certificate)


def signs_content(signed_xml: bytes, xml: bytes) -> bool:
    """Whether ``signed_xml`` is ``xml`` with an enveloped signature added (the signature itself unchecked)."""
    if not signed_xml:
        return False
    try:
        signed_root = etree.fromstring(signed_xml, parser())
        expected_root = etree.fromstring(xml, parser())
    except etree.XMLSyntaxError:
        return False
    for signature in signed_root.findall(f"{{{DS}}}Signature"):
        signed_root.remove(signature)
    return etree.tostring(signed_root, method="c14n") == etree.tostring(expected_root, method="c14n")  # type: ignore[no-any-return]
