"""Applications submitted through the portal (CONTRACT.md §2): the form's schema plus the rules a schema
cannot say (check digits, the submission date, conditions across fields).

Malformed input (wrong structure, a bad IIN/BIN check digit) is an error: the application is not registered.
A set missing a document or a confirmation is not malformed (R6, R7, A3.10.8): it is registered and answered
by the procedure; :func:`application_warnings` names what is missing so the portal can show it at once.

Left to the engine, which alone knows the licence being reissued: that the licence exists and may be
reissued, that the applicant holds it (or succeeds it after a reorganization), and that the grounds
``dc_relocation`` and ``power_source_change`` are used only for subtype I licences (A9; A10 has no such
rows). Whether the files exist and belong to the applicant is the API's check (see :func:`file_refs`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.errors import FieldError
from forms.identifiers import KINDS, PHONE_HINT, bin_iin_problem, normalize_phone
from forms.registry import schema_of
from forms.validation import validate

FORM_OF_PROCEDURE = {"issue": "application_issue", "reissue": "application_reissue", "annex": "application_annex"}
METERING_REQUIRED_FROM = date(2024, 1, 1)  # A11.1.4 is in force from 2024-01-01 (order 169/НҚ, item 4)
GROUNDS_NEEDING_DOCUMENTS = {"dc_relocation", "power_source_change", "reorganization"}  # A3.9.2


def validate_application(body: Any, *, submitted_on: date) -> list[FieldError]:
    """Every way an application body is malformed, [] when it may be registered. ``submitted_on`` is the
    local date of submission. Never raises for bad data."""
    if not isinstance(body, dict):
        return [FieldError("", "the application must be a JSON object")]
    procedure = body.get("procedure")
    if procedure not in FORM_OF_PROCEDURE:
        if "procedure" not in body:
            return [FieldError("procedure", "procedure is required: issue or reissue")]
        return [FieldError("procedure", "must be one of: issue, reissue, annex")]
    errors = validate(FORM_OF_PROCEDURE[procedure], body)
    rules = list(_applicant_rules(body.get("applicant"), submitted_on))
    if procedure == "reissue":
        rules += _reissue_rules(body)
    reported = {e.field for e in errors}
    return errors + [e for e in rules if not _covered(e.field, reported)]


def file_refs(body: Any) -> list[tuple[str, str]]:
    """(field, FILE_ID) for every file an application refers to, in the form's order: the fields marked
    ``x-file-id`` in its schema. Malformed parts are skipped (validation reports them)."""
    if not isinstance(body, dict) or body.get("procedure") not in FORM_OF_PROCEDURE:
        return []
    return list(_walk(schema_of(FORM_OF_PROCEDURE[body["procedure"]]), body, ""))


def file_ids(body: Any) -> list[str]:
    """Every FILE_ID an application refers to, each once, in the form's order."""
    return list(dict.fromkeys(file_id for _, file_id in file_refs(body)))


def _walk(schema: dict[str, Any], data: Any, path: str) -> Iterator[tuple[str, str]]:
    if schema.get("x-file-id") and isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for name, node in schema.get("properties", {}).items():
            if name in data and isinstance(node, dict):
                yield from _walk(node, data[name], f"{path}.{name}" if path else name)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(data):
            yield from _walk(schema["items"], item, f"{path}.{i}" if path else str(i))


def _applicant_rules(applicant: Any, submitted_on: date) -> Iterator[FieldError]:
    if not isinstance(applicant, dict):
        return
    kind, bin_iin = applicant.get("kind"), applicant.get("bin_iin")
    if kind in KINDS and isinstance(bin_iin, str):
        problem = bin_iin_problem(bin_iin, kind, today=submitted_on)
        if problem:
            yield FieldError("applicant.bin_iin", problem)
    phone = applicant.get("phone")
    if isinstance(phone, str) and phone.strip() and normalize_phone(phone) is None:
        yield FieldError("applicant.phone", f"must be a Kazakhstan phone number: {PHONE_HINT}")


@dataclass(frozen=True)
class MissingItem:
    """Something missing from the set: the application is registered all the same (R6) and the procedure
    answers it (R7, R14, A3.10.8). ``message`` is English; kk and ru go with it for the portal."""

    field: str
    message: str
    message_kk: str
    message_ru: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "message_kk": self.message_kk,
                "message_ru": self.message_ru}


_R7 = ("the application is registered; an incomplete set is answered with a motivated refusal of further "
       "consideration (R7)", "өтініш тіркелді; толық емес топтамаға одан әрі қараудан дәлелді бас тарту "
       "беріледі (7-тармақ)", "заявление зарегистрировано; на неполный комплект направляется мотивированный "
       "отказ в дальнейшем рассмотрении (п. 7)")
_CONFIRMATIONS = {
    "official_contacts": ("the contact details are not confirmed as official", "байланыс деректерінің ресми "
                          "екені расталмаған", "не подтверждено, что контакты официальные"),
    "no_court_ban": ("the absence of a court ban is not confirmed", "сот тыйымының жоқтығы расталмаған",
                     "не подтверждено отсутствие запрета суда"),
    "documents_true": ("the documents are not confirmed as true and valid", "құжаттардың шынайылығы мен "
                       "жарамдылығы расталмаған", "не подтверждена достоверность документов"),
}
_NO_CONSENT = ("no consent to access restricted personal data: the application is registered; this is a ground "
               "for refusal (A3.10.8)", "қолжетімділігі шектеулі дербес деректерге келісім жоқ: өтініш тіркелді; "
               "бұл бас тарту негізі (А3.10.8)", "нет согласия на доступ к персональным данным ограниченного "
               "доступа: заявление зарегистрировано; это основание для отказа (A3.10.8)")
_ITEMS = {
    "hardware_registry_notice": ("A11.1.1", "the hardware registry notice number is missing",
                                 "тізілім туралы хабарламаның нөмірі жоқ", "нет номера уведомления о реестре"),
    "data_center_document": ("A11.1.2", "the data-centre document is missing", "ДӨО құжаты жоқ",
                             "нет документа о центре обработки данных"),
    "pool.document": ("A11.1.3", "the pool document is missing", "пул құжаты жоқ", "нет документа о пуле"),
    "metering_document": ("A11.1.4", "the metering document is missing (required from 2024-01-01)",
                          "есепке алу құжаты жоқ (2024-01-01 бастап міндетті)",
                          "нет документа об учёте электроэнергии (обязателен с 2024-01-01)"),
    "grid_connection_document": ("A11.1.5", "the grid-connection technical conditions are missing (not needed "
                                 "only when every data centre uses an isolated generator)",
                                 "желіге қосылу техникалық шарттары жоқ", "нет технических условий подключения"),
}


def application_warnings(body: Any, *, submitted_on: date) -> list[MissingItem]:
    """What the set lacks — documents of A11 per subtype and date, confirmations, the reissue's documents —
    for a body :func:`validate_application` accepts. [] for a complete set or a malformed body."""
    if not isinstance(body, dict) or body.get("procedure") not in FORM_OF_PROCEDURE:
        return []
    out = list(_confirmation_warnings(body.get("confirmations")))
    if body["procedure"] in ("issue", "annex"):  # an annex brings A11's documents for its data centres
        out += _item_warnings(body, submitted_on)
    elif not body.get("documents") and set(body.get("grounds") or []) & GROUNDS_NEEDING_DOCUMENTS:
        out.append(MissingItem("documents", "copies of the documents about the change are missing (A3.9.2); "
                           + _R7[0].replace("R7", "R14"), "өзгеріс туралы құжаттар жоқ (А3.9.2); "
                           + _R7[1].replace("7-тармақ", "14-тармақ"), "нет документов об изменении (A3.9.2); "
                           + _R7[2].replace("п. 7", "п. 14")))
    return out


def _confirmation_warnings(confirmations: Any) -> Iterator[MissingItem]:
    given = confirmations if isinstance(confirmations, dict) else {}
    for name, (en, kk, ru) in _CONFIRMATIONS.items():
        if given.get(name) is not True:
            yield MissingItem(f"confirmations.{name}", f"{en}; {_R7[0]}", f"{kk}; {_R7[1]}", f"{ru}; {_R7[2]}")
    if given.get("personal_data_consent") is not True:
        yield MissingItem("confirmations.personal_data_consent", *_NO_CONSENT)


def _item_warnings(body: dict[str, Any], submitted_on: date) -> Iterator[MissingItem]:
    given = body.get("qualification")
    qualification: dict[str, Any] = given if isinstance(given, dict) else {}
    notice = qualification.get("hardware_registry_notice")
    missing = [] if isinstance(notice, str) and notice.strip() else ["hardware_registry_notice"]
    pool = qualification.get("pool")
    if isinstance(pool, dict) and not pool.get("document"):
        missing.append("pool.document")
    if body.get("subtype") == "I":
        listed = body.get("data_centers")
        centers: list[Any] = listed if isinstance(listed, list) else []
        sources = [c.get("power_source") for c in centers if isinstance(c, dict)]
        all_isolated = bool(sources) and all(s == "isolated_generator" for s in sources)
        missing += [name for name, needed in (("data_center_document", True),
                                              ("metering_document", submitted_on >= METERING_REQUIRED_FROM),
                                              ("grid_connection_document", not all_isolated))
                    if needed and not qualification.get(name)]
    for name in missing:
        item, en, kk, ru = _ITEMS[name]
        yield MissingItem(f"qualification.{name}", f"{en} ({item}); {_R7[0]}", f"{kk} ({item}); {_R7[1]}",
                      f"{ru} ({item}); {_R7[2]}")


def _reissue_rules(body: dict[str, Any]) -> list[FieldError]:
    grounds, applicant = body.get("grounds"), body.get("applicant")
    if isinstance(grounds, list) and "reorganization" in grounds and isinstance(applicant, dict) \
            and applicant.get("kind") == "entrepreneur":
        return [FieldError("grounds", "reorganization applies to legal entities only (A9, A10 item 2): "
                                      "the applicant is an individual entrepreneur")]
    return []


def _covered(field: str, reported: set[str]) -> bool:
    """True when the schema already reported this field or a field containing it."""
    parts = field.split(".")
    return any(".".join(parts[:i]) in reported for i in range(1, len(parts) + 1))
