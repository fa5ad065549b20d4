"""Every step of every diagram has its Kazakh and Russian name (the properties name_kk and name_ru), so officers and
auditors never read an English step name in the Kazakh or Russian task list and case history. A timer's name
agrees with the gettext catalogs, which translate the same English name elsewhere in the UI."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from lxml import etree

from tests.conftest import ROOT

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN, "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}
# Named things that are not steps: their names are not shown as a step of a case.
NOT_STEPS = {"process", "participant", "collaboration", "message", "lane", "sequenceFlow", "dataObject",
             "dataObjectReference", "textAnnotation", "signal", "error", "escalation"}
DIAGRAMS = sorted((ROOT / "processes").glob("*/*.bpmn"))



def _steps(path):
    for el in etree.parse(str(path)).iter(f"{{{BPMN}}}*"):
        if etree.QName(el).localname not in NOT_STEPS and (el.get("name") or "").strip():
            yield el


def _properties(el) -> dict[str, str]:
    return {p.get("name"): p.get("value", "") for p in
            el.findall("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS)}


def _names(diagram: str) -> dict[str, tuple[str, str, str]]:
    """The (en, kk, ru) names of a diagram's steps by element id."""
    path = ROOT / "processes" / diagram / f"{diagram}.bpmn"
    return {el.get("id"): (el.get("name"), _properties(el).get("name_kk", ""), _properties(el).get("name_ru", ""))
            for el in _steps(path)}


def test_there_are_diagrams_to_check():
    assert {p.parent.name for p in DIAGRAMS} >= {"complaint", "licence_issue", "licence_reissue",
                                                 "licence_suspension", "licence_validity"}


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.parent.name)
def test_every_named_step_has_a_kazakh_and_a_russian_name(path):
    missing = [(el.get("id"), el.get("name"), lang) for el in _steps(path) for lang in ("name_kk", "name_ru")
               if not _properties(el).get(lang, "").strip()]
    assert missing == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.parent.name)
def test_every_named_step_sits_before_its_flows(path):
    """BPMN wants extensionElements before incoming/outgoing; the modeler warns otherwise."""
    for el in _steps(path):
        children = [etree.QName(c).localname for c in el if isinstance(c.tag, str)]
        assert children.count("extensionElements") == 1, el.get("id")
        flows = [i for i, c in enumerate(children) if c in ("incoming", "outgoing")]
        assert not flows or children.index("extensionElements") < min(flows), el.get("id")


def _catalog(lang: str):
    with open(ROOT / "web" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def test_timer_names_are_those_of_the_catalogs():
    catalogs = {"name_kk": _catalog("kk"), "name_ru": _catalog("ru")}
    disagree = set()
    for path in DIAGRAMS:
        for el in _steps(path):
            if el.find("bpmn:timerEventDefinition", NS) is None:
                continue
            for prop, catalog in catalogs.items():
                message = catalog.get(el.get("name"))
                assert message is not None and message.string, f"no catalog entry for the timer {el.get('name')!r}"
                if _properties(el).get(prop) != message.string:
                    disagree.add((path.parent.name, el.get("id")))
    assert disagree == set()


@pytest.mark.parametrize(("diagram", "element", "kk", "ru"), [
    ("licence_issue", "draft_licence", "Лицензияны дайындау", "Подготовка лицензии"),
    ("licence_issue", "is_complete", "Құжаттар толық па?", "Пакет полный?"),
    ("licence_issue", "check_bans_task", "Сот пен сот орындаушысының тыйымдарын тексеру",
     "Проверка запретов суда и судебного исполнителя"),
    ("licence_issue", "not_considered", "Одан әрі қараудан бас тартылды", "Отказано в дальнейшем рассмотрении"),
    ("licence_issue", "qualification_check_deadline", "13 жұмыс күні (8-т.)", "13 рабочих дней (п. 8)"),
    ("licence_issue", "mark_sign_licence_overdue", "Мерзімнің өткенін белгілеу, басшыға хабарлау",
     "Отметить просрочку, уведомить руководителя"),
    ("licence_reissue", "check_fee_task", "Қайта ресімдеу үшін алымды тексеру", "Проверка сбора за переоформление"),
    ("licence_reissue", "reissued", "Лицензия қайта ресімделді", "Лицензия переоформлена"),
    ("licence_reissue", "reissue_completeness_deadline", "1 жұмыс күні (14-т.)", "1 рабочий день (п. 14)"),
    ("complaint", "triage_outcome", "Шағым толық қанағаттандырылды ма?", "Жалоба удовлетворена полностью?"),
    ("complaint", "forward_complaint_task", "Шағымды әкімшілік іспен бірге жіберу",
     "Направление жалобы с административным делом"),
    ("complaint", "complaint_triage_deadline", "3 жұмыс күні (20-т.)", "3 рабочих дня (п. 20)"),
    ("licence_suspension", "revoke_licence_task", "Лицензиядан айыруды тіркеу", "Фиксация лишения лицензии"),
    ("licence_suspension", "remedy_deadline_passed", "Бұзушылықты жою мерзімі өтті", "Срок устранения нарушения истёк"),
])
def test_a_few_names_read_as_written(diagram, element, kk, ru):
    _, name_kk, name_ru = _names(diagram)[element]
    assert (name_kk, name_ru) == (kk, ru)
