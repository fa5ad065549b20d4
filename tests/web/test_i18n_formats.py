"""Moments, months and numbers in the workspaces are written as each language writes them (Babel, CLDR),
in Kazakhstan local time; statuses take the Russian form of what they are the status of (issue 18, point 4)."""

from __future__ import annotations

import pytest

from tests.web.test_ui_workspace import Browser

NBSP, NNBSP = "\u00a0", "\u202f"


def test_a_deadline_reads_in_the_language_of_the_user_in_local_time(app, api, submitted):
    browser = Browser(app)
    browser.login("officer")
    # R7: two working days after Thursday 5 June 2025 (Friday 6 June is Kurban Ait, 7-8 June the weekend)
    # end on Tuesday 10 June at 18:30, Astana time
    page = browser.get("/tasks").data.decode()
    assert f"10 июн. 2025{NNBSP}г., 18:30" in page and "2025-06-10" not in page
    browser.post("/language", {"lang": "kk", "next": "/tasks"})
    assert f"2025{NNBSP}ж. 10 мау., 18:30" in browser.get("/tasks").data.decode()
    browser.post("/language", {"lang": "en", "next": "/tasks"})
    assert f"Jun 10, 2025, 6:30{NNBSP}PM" in browser.get("/tasks").data.decode()


def test_a_moment_given_in_utc_is_shown_in_astana_time(app):
    from web.ui import formats

    with app.test_request_context("/tasks"):
        from flask import session

        session["lang"] = "ru"
        assert formats.moment("2025-06-10T13:30:00+00:00") == f"10 июн. 2025{NNBSP}г., 18:30"
        # before 1 March 2024 Astana was UTC+6
        assert formats.moment("2024-02-28T12:00:00+00:00") == f"28 февр. 2024{NNBSP}г., 18:00"
        assert formats.moment("2025-06-10") == f"10 июн. 2025{NNBSP}г."
        assert formats.input_moment("2025-06-10T13:30:00+00:00") == "2025-06-10T18:30"
        assert formats.moment(None) == "" and formats.moment("not a moment") == "not a moment"


@pytest.mark.parametrize(("lang", "count", "month"), [
    ("ru", f"1{NBSP}234{NBSP}567", f"июнь 2025{NNBSP}г."),
    ("kk", f"1{NBSP}234{NBSP}567", f"2025{NNBSP}ж. маусым"),
    ("en", "1,234,567", "June 2025"),
])
def test_counts_and_months_follow_the_language(app, lang, count, month):
    from flask import session

    from web.ui import formats

    with app.test_request_context("/audit/reports"):
        session["lang"] = lang
        assert formats.number(1234567) == count
        assert formats.month("2025-06") == month


def test_a_month_of_the_terms_report_is_named_and_a_case_status_takes_its_gender(app, api, submitted):
    browser = Browser(app)
    browser.login("auditor")
    page = browser.get("/audit/reports?since=2025-06-01&until=2025-06-30").data.decode()
    assert f"<td>июнь 2025{NNBSP}г.</td>" in page
    search = browser.get("/audit?applicant=Браузер").data.decode()
    assert 'data-status="running">выполняется<' in search
    assert "<td>Выдача лицензии<" in search  # the procedure by its name, not the diagram's key


def test_the_applicants_receipt_notice_writes_its_moments_in_words(api, submitted):
    [receipt] = [n for n in api.application(submitted["id"])["notices"] if n["kind"] == "receipt"]
    # registered on Thursday 5 June 2025 at 10:00, within working hours; A3.4's 15 working days (6 June is
    # Kurban Ait) end on Friday 27 June at 18:30
    assert "Зарегистрирован: 5 июня 2025 года, 10:00." in receipt["text_ru"]
    assert "Дата и время получения результата: 27 июня 2025 года, 18:30." in receipt["text_ru"]
    assert "Тіркелген уақыты: 2025 жылғы 5 маусым, 10:00." in receipt["text_kk"]
    assert "Registered: June 5, 2025, 10:00. Result expected by: June 27, 2025, 18:30." in receipt["text_en"]


def test_the_auditor_reads_the_events_of_a_case_with_its_steps_named_in_russian(app, api, submitted):
    browser = Browser(app)
    browser.login("auditor")
    record = browser.get(f"/audit/instances/{submitted['instance_id']}").data.decode()
    # the task's step by the diagram's name_ru, its id beside it for whoever searches the XML
    assert 'Проверка полноты документов<div class="muted"><code>completeness_check</code>' in record
    assert 'data-kind="element_completed">Шаг выполнен<' in record


def test_the_officers_task_page_reads_in_words_with_nothing_raw(app, api, submitted):
    browser = Browser(app)
    browser.login("officer")
    [task] = api.tasks(submitted["id"])
    page = browser.get(f"/tasks/{task['id']}").data.decode()
    assert "ТОО «Браузер» (Юридическое лицо)" in page and "legal_entity" not in page
    assert ">None<" not in page  # an unanswered field of the application reads as a dash
    assert "Уведомление о приёме заявления" in page  # the receipt in the case's timeline, by its name
    # the automatic findings write their moments in words: the bans as of registration, the fee when paid
    assert "По состоянию на 5 июня 2025 года, 10:00 действующих запретов" in page
    assert "2 июня 2025 года, 12:00, платёж" in page
    assert "T10:00:00+05:00" not in page and "T12:00:00+05:00" not in page
    assert 'Проверка полноты документов<div class="muted"><code>completeness_check</code>' in page  # history
