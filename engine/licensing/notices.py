"""Notices to the applicant's personal cabinet (R5, R7, R9, R10): their texts in Kazakh, Russian and English, and
the one way to post one (the cabinet row, delivered by the outbox's cabinet channel, and its monitoring event)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from engine.documents.dates import long_moment
from engine.store import bulk
from engine.store.licensing_tables import CabinetNotice
from engine.store.tables import OutboxEvent

TEXTS: dict[str, dict[str, str]] = {
    "receipt": {
        "kk": "Мемлекеттік қызмет көрсетуге сұрау салу қабылданды ({number}). Тіркелген уақыты: {registered}. "
              "Нәтижені алу күні мен уақыты: {expected}.{note_kk}",
        "ru": "Запрос на оказание государственной услуги принят ({number}). Зарегистрирован: {registered}. "
              "Дата и время получения результата: {expected}.{note_ru}",
        "en": "Your request was accepted ({number}). Registered: {registered}. Result expected by: {expected}."
              "{note_en}",
    },
    "not_considered": {
        "kk": "Өтінішті одан әрі қараудан дәлелді бас тарту жіберілді: {reason}",
        "ru": "Направлен мотивированный отказ в дальнейшем рассмотрении заявления: {reason}",
        "en": "A motivated refusal of further consideration was issued: {reason}",
    },
    "preliminary_decision": {
        "kk": "Лицензия беруден бас тарту туралы алдын ала шешім ({grounds}). Тыңдау: {hearing}. "
              "Ұстанымыңызды білдіре аласыз.",
        "ru": "Предварительное решение об отказе в выдаче лицензии ({grounds}). Заслушивание: {hearing}. "
              "Вы можете выразить свою позицию.",
        "en": "Preliminary decision to refuse the licence ({grounds}). Hearing: {hearing}. You may state your "
              "position.",
    },
    "licence_issued": {
        "kk": "Лицензия берілді: № {licence}. Құжаттар жеке кабинетке жіберілді.",
        "ru": "Выдана лицензия № {licence}. Документы направлены в личный кабинет.",
        "en": "Licence No. {licence} was issued. The documents are in your personal cabinet.",
    },
    "reissued": {
        "kk": "Лицензия қайта ресімделді: № {licence} (бұрынғы № {replaces}).",
        "ru": "Лицензия переоформлена: № {licence} (взамен № {replaces}).",
        "en": "The licence was reissued: No. {licence} (replaces No. {replaces}).",
    },
    "refused": {
        "kk": "Мемлекеттік қызмет көрсетуден дәлелді бас тарту: {grounds}.",
        "ru": "Мотивированный отказ в оказании государственной услуги: {grounds}.",
        "en": "Motivated refusal of the service: {grounds}.",
    },
    "term_breached": {
        "kk": "Мемлекеттік қызмет көрсету мерзімі ({term}) бұзылды. Сіз шағым бере аласыз (19–22-тармақтар).",
        "ru": "Нарушен срок оказания государственной услуги ({term}). Вы вправе подать жалобу (пп. 19–22).",
        "en": "The service term ({term}) was breached. You may file a complaint (R19–R22).",
    },
    "status": {
        "kk": "Өтініш мәртебесі: {status}",
        "ru": "Статус заявления: {status}",
        "en": "Application status: {status}",
    },
}


# The Rules' own defect, shown wherever the reissue term is (SPEC §4; coverage report DEFECTS): A3.4 reads
# "2 (үш)" — the digit two, the word three; R15 says two working days and the system counts two.
REISSUE_TERM_NOTE = {
    "kk": " Ескерту: Қағидалардың 3-қосымшасының 4-жолында мерзім «2 (үш)» деп жазылған (цифры — екі, сөзі — үш); "
          "15-тармақта екі жұмыс күні көрсетілген, жүйе 2 жұмыс күнін қолданады.",
    "ru": " Примечание: в строке 4 приложения 3 к Правилам срок записан как «2 (үш)» (цифра — два, слово — три); "
          "пункт 15 устанавливает два рабочих дня, система применяет 2 рабочих дня.",
    "en": " Note: row 4 of Appendix 3 to the Rules reads \"2 (үш)\" (digit two, word three); clause 15 sets two "
          "working days and the system counts 2.",
}
NO_NOTE = {"kk": "", "ru": "", "en": ""}


def term_note(procedure: str) -> dict[str, str]:
    """The reissue term's note (A3.4 "2 (үш)") for the applicant's receipt and notices; empty for an issue."""
    return REISSUE_TERM_NOTE if procedure == "reissue" else NO_NOTE


def render(kind: str, **values: Any) -> dict[str, str]:
    """The notice's texts in each language; a moment (an aware datetime) is written as that language writes it,
    in Astana time ('10 июня 2025 года, 18:30')."""
    return {lang: text.format(**{name: long_moment(value, lang) if isinstance(value, datetime) else value
                                 for name, value in values.items()})
            for lang, text in TEXTS[kind].items()}


def post(session: Session, *, at: datetime, kind: str, texts: dict[str, str], bin_iin: str,
         application_id: str | None = None, licence_number: str | None = None, instance_id: str | None = None,
         element: str | None = None, clause: str | None = None) -> None:
    """Post a notice to the holder's cabinet. The outbox delivers the cabinet row to the portal; the monitoring
    feed (R18) gets a ``cabinet_notice`` event in the same transaction."""
    session.add(CabinetNotice(application_id=application_id, licence_number=licence_number, bin_iin=bin_iin, at=at,
                              kind=kind, text_kk=texts["kk"], text_ru=texts["ru"], text_en=texts.get("en", "")))
    # queued with the step's own feed events, so the feed keeps the order in which they happened
    bulk.add(session, cast(Table, OutboxEvent.__table__), {
        "at": at, "instance_id": instance_id, "application_id": application_id, "kind": "cabinet_notice",
        "element": element, "clause": clause,
        "payload": {"kind": kind, "application_id": application_id, "licence_number": licence_number}})
