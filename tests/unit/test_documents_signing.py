"""Signed acts prove themselves: the signer's own certificate, its chain, its IIN, and the PDF's bytes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from engine.documents.signing import SYSTEM_ACCOUNT, Expected, SignedBy, Trust, document_xml, verify_document
from engine.signing import certificates, xmldsig
from engine.signing.keystore import Keystore

NOW = dt.datetime(2025, 6, 5, 5, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.7 the licence as rendered"
CONTEXT = {"number": "DM01-2025-000007", "holder": {"name": "ЖШС «Қазақ Майнинг»", "bin_iin": "210340000003"}}


@pytest.fixture(scope="module")
def keystore(tmp_path_factory: pytest.TempPathFactory) -> Keystore:
    store = Keystore(tmp_path_factory.mktemp("keys"), trust_demo=True)
    store.ensure(NOW)
    return store


def signed_licence(keystore: Keystore, *, pdf: bytes = PDF) -> tuple[bytes, str]:
    issued, iin = keystore.demo_personal("signer", full_name="Authorized signer", now=NOW)
    name = certificates.common_name(certificates.load(issued.cert_pem))
    xml = document_xml("licence", "kk", CONTEXT, hashlib.sha256(pdf).hexdigest(),
                       signed_by=SignedBy("signer", name, "Вице-министр"), signed_at=NOW)
    return xmldsig.sign(xml, key_pem=issued.key_pem, cert_pem=issued.cert_pem), iin


def expected(**changes: object) -> Expected:
    values: dict = {"kind": "licence", "lang": "kk", "number": "DM01-2025-000007", "account": "signer",
                    "signed_at": NOW, "pdf": PDF}
    values.update(changes)
    return Expected(**values)


def trust(keystore: Keystore, iin: str | None) -> Trust:
    return Trust(roots=keystore.roots(), system_fingerprint=certificates.fingerprint(keystore.system_certificate()),
                 account_iin={"signer": iin})


def test_a_licence_signed_with_the_signers_own_certificate_verifies(keystore):
    signed, iin = signed_licence(keystore)
    result = verify_document(signed, expected(), trust(keystore, iin))
    assert result.valid, result.reason
    assert result.signer == "Сейітқали Ерлан Маратұлы" and result.position == "Вице-министр"
    cert = xmldsig.embedded_certificate(signed)
    assert certificates.iin_of(cert) == iin and len(iin) == 12
    assert "DEMO" in cert.issuer.rfc4514_string()


def test_a_changed_pdf_is_caught(keystore):
    signed, iin = signed_licence(keystore)
    result = verify_document(signed, expected(pdf=PDF + b" "), trust(keystore, iin))
    assert not result.valid and "PDF" in (result.reason or "")


def test_a_changed_xml_is_caught(keystore):
    signed, iin = signed_licence(keystore)
    tampered = signed.replace("Қазақ Майнинг".encode(), "Басқа Майнинг".encode())
    assert tampered != signed
    assert not verify_document(tampered, expected(), trust(keystore, iin)).valid


def test_an_xml_re_signed_with_a_fresh_pdf_digest_by_a_stranger_is_caught(keystore, tmp_path):
    """Replace the PDF, the digest in the XML and the signature: the stranger's certificate has no trusted chain."""
    stranger = Keystore(tmp_path, trust_demo=True)
    stranger.ensure(NOW)
    issued, _ = stranger.demo_personal("signer", full_name="x", now=NOW)
    forged_pdf = b"%PDF-1.7 a forged licence"
    name = certificates.common_name(certificates.load(issued.cert_pem))
    xml = document_xml("licence", "kk", CONTEXT, hashlib.sha256(forged_pdf).hexdigest(),
                       signed_by=SignedBy("signer", name, ""), signed_at=NOW)
    forged = xmldsig.sign(xml, key_pem=issued.key_pem, cert_pem=issued.cert_pem)
    _, iin = signed_licence(keystore)
    result = verify_document(forged, expected(pdf=forged_pdf), trust(keystore, iin))
    assert not result.valid and "trust root" in (result.reason or "")


@pytest.mark.parametrize("column", [{"number": "DM01-2025-000008"}, {"kind": "annex"}, {"lang": "ru"},
                                    {"account": "officer"}, {"signed_at": NOW + dt.timedelta(days=1)}])
def test_a_changed_database_column_is_caught(keystore, column):
    signed, iin = signed_licence(keystore)
    assert not verify_document(signed, expected(**column), trust(keystore, iin)).valid


def test_a_certificate_whose_iin_is_not_the_signing_accounts_is_refused(keystore):
    signed, _ = signed_licence(keystore)
    result = verify_document(signed, expected(), trust(keystore, "800101300005"))
    assert not result.valid and "IIN" in (result.reason or "")


def test_the_demo_ca_is_no_trust_root_outside_demo_runs(keystore):
    signed, iin = signed_licence(keystore)
    production = Keystore(keystore.keys_dir, trust_demo=False)
    result = verify_document(signed, expected(), trust(production, iin))
    assert not result.valid and "trust root" in (result.reason or "")
    with pytest.raises(PermissionError):
        production.demo_personal("signer", full_name="x", now=NOW)


def test_a_signature_outside_the_certificates_validity_is_refused(keystore):
    later = NOW + dt.timedelta(days=365 * 40)
    issued, iin = keystore.demo_personal("signer", full_name="x", now=NOW)
    name = certificates.common_name(certificates.load(issued.cert_pem))
    xml = document_xml("licence", "kk", CONTEXT, hashlib.sha256(PDF).hexdigest(),
                       signed_by=SignedBy("signer", name, ""), signed_at=later)
    signed = xmldsig.sign(xml, key_pem=issued.key_pem, cert_pem=issued.cert_pem)
    result = verify_document(signed, expected(signed_at=later), trust(keystore, iin))
    assert not result.valid and "not valid at the signing moment" in (result.reason or "")


def test_a_personal_certificate_cannot_sign_as_the_system(keystore):
    issued, iin = keystore.demo_personal("signer", full_name="x", now=NOW)
    name = certificates.common_name(certificates.load(issued.cert_pem))
    xml = document_xml("receipt", "kk", CONTEXT, hashlib.sha256(PDF).hexdigest(),
                       signed_by=SignedBy(SYSTEM_ACCOUNT, name, ""), signed_at=NOW)
    signed = xmldsig.sign(xml, key_pem=issued.key_pem, cert_pem=issued.cert_pem)
    result = verify_document(signed, expected(kind="receipt", account=SYSTEM_ACCOUNT), trust(keystore, iin))
    assert not result.valid and "system" in (result.reason or "")


def test_not_xml_is_invalid_not_an_error(keystore):
    assert not verify_document(b"<not-xml", expected(), trust(keystore, None)).valid
