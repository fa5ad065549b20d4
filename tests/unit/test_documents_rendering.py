"""Issued documents: Kazakh letters, both languages, byte-identical for the same data."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from engine.documents import KINDS, render_pdf
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
    text = " ".join(pdf_text(render_pdf("licence", lang, CONTEXT)).split())
    assert "DM01-2025-000007" in text and "Екібастұз" in text and "Ақсу" in text
    assert (("Көрсетілетін қызметті беруші" in text) and ("лицензиясы" in text) if lang == "kk"
            else ("Лицензиар" in text) and ("Лицензия" in text))
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
