"""Issued documents: Kazakh letters, both languages, byte-identical for the same data, signatures that verify."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

from engine.documents import (
    KINDS,
    KeyFileSigner,
    create_provider_keypair,
    document_xml,
    render_pdf,
    sign_document,
    verify_document,
)
from tests.conftest import ROOT

CONTEXT = {"number": "DM01-2025-000007", "issued_at": "2025-06-05T10:00:00+05:00", "subtype": "I",
           "holder": {"name": "ЖШС «Қазақ Майнинг»", "bin_iin": "210340000003", "address": "Екібастұз қ."},
           "data_centers": [{"address": "Екібастұз, өнеркәсіп аймағы 5", "power_source": "single_buyer"},
                            {"address": "Ақсу, 2", "power_source": "isolated_generator"}],
           "grounds": [{"clause": "A3.10.2", "text_kk": "лицензиялық алымның енгізілмеуі",
                        "text_ru": "не внесён лицензионный сбор"}]}


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is installed by make test")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_licence_lists_every_data_centre_in_its_language(lang):
    text = pdf_text(render_pdf("licence", lang, CONTEXT))
    assert "DM01-2025-000007" in text and "Екібастұз" in text and "Ақсу" in text
    assert ("Лицензиар" in text) and (("лицензиясы" in text) if lang == "kk" else ("Лицензия" in text))
    assert "Қазақ Майнинг" in text  # Kazakh letters survive


def test_every_kind_renders_in_both_languages():
    for kind in KINDS:
        for lang in ("kk", "ru"):
            assert render_pdf(kind, lang, CONTEXT).startswith(b"%PDF")


def test_the_same_data_give_byte_identical_pdfs_even_in_another_process():
    here = render_pdf("refusal", "ru", CONTEXT)
    assert render_pdf("refusal", "ru", CONTEXT) == here
    code = ("import sys, json; from engine.documents import render_pdf; "
            f"sys.stdout.buffer.write(render_pdf('refusal', 'ru', json.loads({__import__('json').dumps(CONTEXT)!r})))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT).stdout
    assert other == here


def test_signatures_verify_and_any_tampering_is_caught(tmp_path):
    create_provider_keypair(tmp_path, common_name="Licensing", organization="Ministry",
                            now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    cert = (tmp_path / "provider-cert.pem").read_bytes()
    signed = sign_document(document_xml("licence", "kk", CONTEXT, "ab" * 32), KeyFileSigner(tmp_path),
                           signer_name="signer", signed_at=dt.datetime(2025, 6, 5, 5, tzinfo=dt.UTC))
    ok = verify_document(signed, trusted_cert_pem=cert)
    assert ok.valid and ok.signer == "signer" and ok.signed_at.startswith("2025-06-05")
    assert not verify_document(signed.replace(b"DM01-2025-000007", b"DM01-2025-000008"), trusted_cert_pem=cert).valid
    other = tmp_path / "other"
    create_provider_keypair(other, common_name="Mallory", organization="X", now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert not verify_document(signed, trusted_cert_pem=(other / "provider-cert.pem").read_bytes()).valid
    assert not verify_document(b"<not-xml", trusted_cert_pem=cert).valid
