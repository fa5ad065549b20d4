"""Translations as gettext catalogs (issue 18, point 4): every msgid has its kk and ru text, the compiled
catalogs are those of the .po files, and the API answers its errors in the language of Accept-Language."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import ROOT

TRANSLATIONS = ROOT / "web" / "translations"


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


# The markers `make translations` extracts beside gettext's own: N_(msgid) and NC_(context, msgid).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NC_": ((1, "c"), 2)}


def _template_ids() -> set[tuple[str | None, str]]:
    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        return {(m.context, m.id) for m in read_po(f) if m.id}


def _extracted_ids() -> set[tuple[str | None, str]]:
    """The msgids (with their contexts) the code, the templates and the diagrams hold today, extracted as
    `make translations` does."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    return {(context, message if isinstance(message, str) else message[0])
            for _, _, message, _, context in extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
            if message}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_msgid_has_its_kazakh_and_russian_text(lang):
    catalog = _catalog(lang)
    untranslated = sorted((m.context or "", m.id) for m in catalog if m.id and (not m.string or m.fuzzy))
    assert untranslated == []
    missing = sorted(_template_ids() - {(m.context, m.id) for m in catalog if m.id}, key=str)
    assert missing == [], f"run `make translations` and translate these into {lang}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_the_placeholders_of_their_msgid(lang):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalog(lang).check() if errors]
    assert problems == []


def test_the_catalogs_hold_every_text_the_code_and_templates_use():
    missing = sorted(_extracted_ids() - _template_ids(), key=str)
    assert missing == [], "run `make translations`: these texts are not in web/translations/messages.pot"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_compiled_catalogs_are_those_of_the_po_files(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [m.id for m in _catalog(lang) if m.id and m.string and (
        compiled.pgettext(m.context, m.id) if m.context else compiled.gettext(m.id)) != m.string]
    assert stale == [], "run `make catalogs` (or `make translations`) to compile the .po files again"


def test_a_few_texts_read_as_written():
    kk, ru = _catalog("kk"), _catalog("ru")
    assert kk.get("Sign in").string == "Кіру" and ru.get("Sign in").string == "Вход"
    assert kk.get("Term breached").string == "Мерзім бұзылды" and ru.get("Term breached").string == "Срок нарушен"
    assert ru.get("2 working days (R7)").string == "2 рабочих дня (п. 7)"
    assert kk.get("licence issued").string == "лицензия берілді"


# -- the API answers in the caller's language -----------------------------------------------------------------

def _token_problem(client, **headers: str):
    return client.post("/api/v1/auth/token", json={"username": "portal"}, headers=headers)


def test_api_422_answers_in_kazakh_when_asked_and_by_default(client):
    for headers in ({"Accept-Language": "kk"}, {}, {"Accept-Language": "de-DE,de;q=0.9"}):
        r = _token_problem(client, **headers)
        assert r.status_code == 422
        assert r.get_json() == {"errors": [{"field": "password", "message": "міндетті өріс"}]}


def test_api_422_answers_in_russian(client):
    r = _token_problem(client, **{"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert r.status_code == 422
    assert r.get_json() == {"errors": [{"field": "password", "message": "обязательное поле"}]}


def test_api_422_answers_in_english(client):
    r = _token_problem(client, **{"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.get_json() == {"errors": [{"field": "password", "message": "is required"}]}


@pytest.mark.parametrize(("lang", "enum", "blank"), [
    ("kk", "мыналардың бірі болуы керек: provider, quality_authority", "тек бос орындардан тұрмауы керек"),
    ("ru", "должно быть одним из: provider, quality_authority", "не должно состоять из одних пробелов"),
    ("en", "must be one of: provider, quality_authority", "must not be blank"),
])
def test_schema_validation_messages_follow_accept_language(api, lang, enum, blank):
    r = api.client.post("/api/v1/complaints", json={"addressed_to": "nobody", "text": "   ", "application_id": "x"},
                        headers={**api.headers("portal"), "Accept-Language": lang})
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert {"field": "addressed_to", "message": enum} in errors
    assert {"field": "text", "message": blank} in errors


@pytest.mark.parametrize(("lang", "message"), [
    ("kk", "nope өтініші жоқ"),
    ("ru", "заявления nope не существует"),
    ("en", "application nope does not exist"),
])
def test_a_message_with_variable_parts_keeps_them_in_its_translation(api, lang, message):
    r = api.client.get("/api/v1/applications/nope", headers={**api.headers("admin"), "Accept-Language": lang})
    assert r.status_code == 404
    assert r.get_json() == {"errors": [{"field": "", "message": message}]}


def test_a_condition_of_the_form_is_translated_with_its_message(app):
    from web.error_messages import translate

    with app.test_request_context("/api/v1/tasks/x", headers={"Accept-Language": "ru"}):
        assert translate("reason is required when decision is incomplete") == \
            "поле reason обязательно, если decision = incomplete"
        assert translate("a message nobody wrote a translation for") == "a message nobody wrote a translation for"


# -- the staff site shows codes in words ----------------------------------------------------------------------

def test_statuses_outcomes_events_and_deadlines_in_the_chosen_language(app):
    from web.ui import i18n

    with app.test_request_context("/tasks"):
        from flask import session

        session["lang"] = "kk"
        assert i18n.status_name("running") == "жүріп жатыр"
        assert i18n.outcome_name("refused") == "бас тартылды"
        assert i18n.event_name("term_breached") == "Мерзім бұзылды"
        assert i18n.deadline_name("13 working days (R8)") == "13 жұмыс күні (8-т.)"
        assert i18n.t("tasks") == "Тапсырмалар"
        assert i18n.timeline_name("task_completed") == "Шешім қабылданды"  # the timeline's own wording
        assert i18n.timeline_name("task_claimed") == "Тапсырма алынды"  # else the event's name
        session["lang"] = "ru"
        assert i18n.status_name("running") == "выполняется"
        assert i18n.event_name("task_claimed") == "Задача взята в работу"
        assert i18n.t("tasks") == "Задачи"
        assert i18n.event_name("something_new") == "something_new"  # an unknown code is shown as it is


def test_every_timer_of_the_diagrams_has_a_translated_deadline_name():
    kk = {m.id for m in _catalog("kk") if m.id and m.string}
    names: list[str] = []
    for path in sorted(Path(ROOT / "processes").rglob("*.bpmn")):
        from web.ui.i18n import extract_bpmn

        with open(path, "rb") as f:
            names += [message for _, _, message, _ in extract_bpmn(f, None, None, None)]
    assert names and sorted(set(names) - kk) == []


def test_the_auditor_reads_statuses_in_the_language_chosen(app, api):
    from tests.web.portal import issue_body, pay_fee
    from tests.web.test_ui_workspace import Browser, csrf

    api.set_clock("2025-06-05T10:00:00+05:00")
    body = issue_body(api, "II", name="ТОО «Тілдер»")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    assert api.submit(body).status_code == 201
    auditor = Browser(app)
    auditor.login("auditor")
    for lang, running in (("kk", "жүріп жатыр"), ("ru", "выполняется"), ("en", "running")):
        page = auditor.get("/audit").data.decode()
        assert auditor.client.post("/language", data={"lang": lang, "csrf_token": csrf(page)}).status_code == 302
        html = auditor.get("/audit").data.decode()
        assert f'<option value="running" >{running}</option>' in html  # the filter keeps the code as its value
        assert f'<td data-status="running">{running}</td>' in html  # the instance just submitted


UNFINISHED_DIAGRAM = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
  <bpmn:process id="draft_review" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize(("lang", "no_form"), [
    ("ru", "пользовательская задача «Review» не указывает форму (свойство расширения 'form')"),
    ("kk", "«Review» пайдаланушы тапсырмасы форманы атамайды (кеңейту қасиеті 'form')"),
])
def test_the_analysts_validation_answers_in_the_asked_language(client, lang, no_form):
    token = client.post("/api/v1/auth/token", json={"username": "analyst", "password": "analyst"}).get_json()["token"]
    r = client.post("/api/v1/processes/validate", data=UNFINISHED_DIAGRAM,
                    headers={"Authorization": f"Bearer {token}", "Accept-Language": lang,
                             "Content-Type": "application/xml"})
    assert r.status_code == 200, r.get_json()
    messages = [e["message"] for e in r.get_json()["errors"]]
    assert no_form in messages, messages
