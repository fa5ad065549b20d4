"""Acts as the Rules draw them (Appendices 4, 6, 8): every field of the form, read back from the PDF."""

from __future__ import annotations

import re
from datetime import date

import pytest

from engine.documents import render_pdf
from engine.documents.dates import licence_valid_until, long_moment
from tests.unit.test_documents_rendering import pdf_text

LICENCE = {
    "number": "DM01-2025-000007", "subtype": "I", "issued_at": "2025-06-05T10:00:00+05:00",
    "licence_issued_at": "2025-06-05T10:00:00+05:00", "original_issued_at": "2025-06-05T10:00:00+05:00",
    "valid_until": "2028-06-04", "application_number": "KZ-DM-2025-000042", "submitted_at": "2025-05-20T09:30:00+05:00",
    "holder": {"name": "ЖШС «Қазақ Майнинг»", "bin_iin": "210340000003",
               "address": "Екібастұз қ., Энергетиков к-сі, 12"},
    "data_centers": [{"address": "Екібастұз, өнеркәсіп аймағы 5", "power_source": "single_buyer"}],
    "signer": {"name": "Сейітқали Ерлан Маратұлы", "position": "Вице-министр"},
    "verify_url": "https://licensing.example.kz/verify/DM01-2025-000007",
}
# every field of Appendix 4 with the value the licence above must show in it
A4 = {
    "kk": ["Берілген күні", "2025 жылғы 5 маусым", "Лицензия нөмірі", "DM01-2025-000007", "Берілген",
           "ЖШС «Қазақ Майнинг»", "Энергетиков к-сі, 12", "210340000003", "Айналысуға берілді",
           "цифрлық майнинг бойынша қызмет", "Ерекше шарттары", "өнеркәсіп аймағы 5", "Ескерту",
           "иеліктен шығарылмайтын", "1-сыныптағы рұқсат", "Көрсетілетін қызметті беруші",
           "Цифрлық даму, инновациялар және аэроғарыш", "Басшы (уәкілетті тұлға)", "Сейітқали Ерлан Маратұлы",
           "Вице-министр", "Бастапқы берілген күні", "Лицензияның қолданылу мерзімі", "2028 жылғы 4 маусым",
           "Берілген орны", "Астана қ.", "KZ-DM-2025-000042", "2025 жылғы 20 мамыр"],
    "ru": ["Дата выдачи", "5 июня 2025 года", "Номер лицензии", "DM01-2025-000007", "Выдана",
           "ЖШС «Қазақ Майнинг»", "210340000003", "На занятие", "деятельностью по цифровому майнингу",
           "Особые условия", "өнеркәсіп аймағы 5", "Примечание", "неотчуждаемая", "разрешение первого класса",
           "Лицензиар", "Министерство цифрового развития", "Руководитель (уполномоченное лицо)",
           "Сейітқали Ерлан Маратұлы", "Вице-министр", "Дата первичной выдачи", "Срок действия лицензии",
           "4 июня 2028 года", "Место выдачи", "г. Астана", "KZ-DM-2025-000042", "20 мая 2025 года"],
}
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_licence_shows_every_field_of_appendix_4(lang):
    text = flat(pdf_text(render_pdf("licence", lang, LICENCE)))
    missing = [field for field in A4[lang] if field not in text]
    assert missing == []
    assert not ISO_MOMENT.search(text) and "2028-06-04" not in text
    assert not re.search(r"\b(signer|authorized|licence|online)\b", text)  # no English, no login names
    assert "licensing.example.kz/verify/DM01-2025-000007" in text  # the verification address by the number


@pytest.mark.parametrize(("lang", "fields"), [
    ("kk", ["Лицензияның берілген күні", "Лицензия нөмірі", "DM01-2025-000007", "I кіші түр",
            "Деректер орталығының орналасқан жері", "Электр энергиясын алу тәсілі", "бірыңғай сатып алушы",
            "Басшы (уәкілетті тұлға)", "Қосымшаның нөмірі", "DM01-2025-000007/1", "Қолданылу мерзімі",
            "2028 жылғы 4 маусым", "Қосымшаның берілген күні"]),
    ("ru", ["Дата выдачи лицензии", "Номер лицензии", "I подвид", "Местонахождение центра обработки данных",
            "Способ получения электроэнергии", "единого закупщика", "Номер приложения", "DM01-2025-000007/1",
            "Срок действия", "4 июня 2028 года", "Дата выдачи приложения"]),
])
def test_an_annex_shows_every_field_of_appendix_6(lang, fields):
    annex = {**LICENCE, "number": "DM01-2025-000007/1", "licence_number": "DM01-2025-000007"}
    text = flat(pdf_text(render_pdf("annex", lang, annex)))
    assert [f for f in fields if f not in text] == []


@pytest.mark.parametrize(("lang", "fields"), [
    ("kk", ["Мемлекеттік қызмет көрсетуден дәлелді бас тарту", "RF-2025-000003", "KZ-DM-2025-000042",
            "2025 жылғы 20 мамыр", "өтінішіңізді қарастырып", "лицензиялық алымның енгізілмеуі", "A3.10.2",
            "Вице-министр", "Сейітқали Ерлан Маратұлы", "210340000003"]),
    ("ru", ["Мотивированный отказ", "RF-2025-000003", "рассмотрев Ваше заявление №", "2025-000042 от 20 мая 2025 года",
            "не внесён лицензионный сбор", "A3.10.2", "Сейітқали Ерлан Маратұлы"]),
])
def test_a_refusal_shows_every_field_of_appendix_8(lang, fields):
    refusal = {**LICENCE, "number": "RF-2025-000003", "grounds": [
        {"clause": "A3.10.2", "text_kk": "лицензиялық алымның енгізілмеуі", "text_ru": "не внесён лицензионный сбор"}]}
    text = flat(pdf_text(render_pdf("refusal", lang, refusal)))
    assert [f for f in fields if f not in text] == []
    assert not ISO_MOMENT.search(text)


@pytest.mark.parametrize(("issued", "last_day"), [
    (date(2025, 6, 5), date(2028, 6, 4)),
    (date(2025, 1, 1), date(2027, 12, 31)),
    (date(2024, 2, 29), date(2027, 2, 28)),
    (date(2025, 3, 1), date(2028, 2, 29)),
])
def test_a_licence_is_valid_three_years_to_the_day_before(issued, last_day):
    assert licence_valid_until(issued) == last_day


def test_the_same_act_gives_the_same_bytes_qr_code_included():
    assert render_pdf("licence", "kk", LICENCE) == render_pdf("licence", "kk", LICENCE)


@pytest.mark.parametrize(("lang", "words"), [
    ("kk", "2025 жылғы 10 маусым, 18:30"), ("ru", "10 июня 2025 года, 18:30"), ("en", "June 10, 2025, 18:30")])
def test_a_notice_writes_a_moment_in_words_in_astana_time(lang, words):
    assert long_moment("2025-06-10T13:30:00+00:00", lang) == words
    # Astana was UTC+6 until 1 March 2024
    assert long_moment("2024-02-28T12:00:00+00:00", lang).endswith(", 18:00")
