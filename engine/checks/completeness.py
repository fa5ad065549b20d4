"""The automatic completeness of the document set (R7 for an issue, R14 for a reissue); the officer decides.

Issue, per subtype and the registration day (A3.9.1, A11):

* subtype I (A1 + A11 part 1): (1) hardware-registry notice number; (2) DC document; (3) pool information —
  a document when a pool is used, nothing to submit otherwise; (4) metering document, only for applications
  registered from 2024-01-01 (the item's entry into force); (5) grid-connection technical conditions, unless
  every DC buys from an isolated generator (footnote *). A miner connected before 2023-04-01 submits the
  "technical conditions for the activity type" variant in the same field; the finding names the variant.
* subtype II (A2 + A11 part 2): (1) notice number; (2) pool information.

Reissue (A9/A10, A3.9.2): the form, and copies of documents about the change "except documents contained in
state information systems". Documents are required for a DC relocation, a change of electricity source and
a reorganization (the transfer act or separation balance is not in the registry); a re-registration of the
name or location is on record in the business registry, and a renamed subtype or a requirement of law is
the law's own change, so for those grounds alone no document is required (any attached is still checked).

Every referenced file must exist in ``files`` (id → {"media_type", "size"}) and be non-empty.

No consent to access restricted personal data is not an incomplete form but a ground for refusal (A3.10.8):
the finding carries ``ground: "A3.10.8"`` for the officer's qualification check.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from . import items as L
from .common import file_problem, local_day, texts

METERING_FROM = date(2024, 1, 1)  # A11.1.4, in force from 2024-01-01
CONFIRMATIONS = ("official_contacts", "no_court_ban", "documents_true")  # the form's own (R7)
CONSENT = "personal_data_consent"  # not a completeness item: its absence is a ground for refusal (A3.10.8)
GROUNDS_NEEDING_DOCUMENTS = ("dc_relocation", "power_source_change", "reorganization")


def _item(item: str, label: L.Label, *, required: bool, present: bool, reason: L.Label | None = None,
          problem: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    if present:
        status: L.Label = L.SUBMITTED
    elif required:
        status = L.MISSING
    else:
        status = L.NOT_REQUIRED_WORD
    line = [f"{item}: {label[i]} — {status[i]}" for i in range(3)]
    if not required and reason is not None:
        line = [f"{line[i]} ({L.NOT_REQUIRED_WORD[i]}: {reason[i]})" if present else f"{line[i]}: {reason[i]}"
                for i in range(3)]
    if problem is not None and not present:
        line = [f"{line[i]}: {problem[k]}" for i, k in enumerate(("text_kk", "text_ru", "text_en"))]
    return {"item": item, "required": required, "present": present, **extra, **texts(*line)}


def _file_item(item: str, label: L.Label, file_id: Any, files: dict[str, dict[str, Any]], *, required: bool,
               reason: L.Label | None = None, **extra: Any) -> dict[str, Any]:
    problem = file_problem(file_id, files)
    return _item(item, label, required=required, present=problem is None, reason=reason,
                 problem=problem if required or file_id else None, file=file_id or None, **extra)


def _form_item(item: str, application: dict[str, Any]) -> dict[str, Any]:
    confirmations = application.get("confirmations") or {}
    signed = isinstance(application.get("signed_by"), str) and bool(application["signed_by"].strip())
    confirmed = isinstance(confirmations, dict) and all(confirmations.get(k) is True for k in CONFIRMATIONS)
    problem = None if signed and confirmed else texts(*L.FORM_INCOMPLETE)
    return _item(item, L.FORM[item], required=True, present=problem is None, problem=problem)


def _notice_item(item: str, qualification: dict[str, Any]) -> dict[str, Any]:
    notice = qualification.get("hardware_registry_notice")
    return _item(item, L.NOTICE, required=True, present=isinstance(notice, str) and bool(notice.strip()))


def _pool_item(item: str, qualification: dict[str, Any], files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    pool = qualification.get("pool")
    if not isinstance(pool, dict):
        return _item(item, L.POOL, required=False, present=False, reason=L.NOT_REQUIRED["no_pool"])
    named = isinstance(pool.get("name"), str) and bool(pool["name"].strip())
    entry = _file_item(item, L.POOL, pool.get("document"), files, required=True)
    if not named and entry["present"]:
        entry = _item(item, L.POOL, required=True, present=False, file=pool.get("document"),
                      problem=texts("пулдың атауы көрсетілмеген", "не указано наименование пула",
                                    "pool name missing"))
    return entry


def _consent(application: dict[str, Any]) -> dict[str, Any]:
    confirmations = application.get("confirmations")
    if isinstance(confirmations, dict) and confirmations.get(CONSENT) is True:
        return {}
    return {"ground": "A3.10.8", "consent": texts(
        "Қолжетімділігі шектеулі дербес деректерге келісім жоқ (А3.10.8).",
        "Нет согласия на доступ к персональным данным ограниченного доступа (A3.10.8).",
        "No consent to access restricted personal data (A3.10.8).")}


def _result(clause: str, found: list[dict[str, Any]], application: dict[str, Any], **extra: Any) -> dict[str, Any]:
    missing = [i["item"] for i in found if i["required"] and not i["present"]]
    complete = not missing
    summary = ", ".join(missing)
    return {
        "clause": clause, **extra, **_consent(application), "complete": complete, "items": found, "missing": missing,
        **(texts("Құжаттар топтамасы толық.", "Комплект документов полный.", "The document set is complete.")
           if complete else texts(f"Құжаттар топтамасы толық емес: {summary}.",
                                  f"Комплект документов неполный: {summary}.",
                                  f"The document set is incomplete: {summary}.")),
    }


def check_completeness(application: dict[str, Any], *, registered_on: date | datetime,
                       files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The automatic completeness of an issue application (R7, A3.9.1, A11) on its registration day."""
    day = local_day(registered_on)
    subtype = application.get("subtype")
    qualification = application.get("qualification") or {}
    if subtype == "II":
        found = [_form_item("A2", application), _notice_item("A11.2.1", qualification),
                 _pool_item("A11.2.2", qualification, files)]
        return _result("R7", found, application, subtype=subtype, registered_on=day.isoformat())
    if subtype != "I":
        raise ValueError(f"unknown licence subtype {subtype!r}; known: I, II")
    centers = [dc for dc in application.get("data_centers") or [] if isinstance(dc, dict)]
    all_isolated = bool(centers) and all(dc.get("power_source") == "isolated_generator" for dc in centers)
    before = qualification.get("connected_before_2023_04_01") is True
    found = [
        _form_item("A1", application),
        _notice_item("A11.1.1", qualification),
        _file_item("A11.1.2", L.DATA_CENTER, qualification.get("data_center_document"), files, required=True),
        _pool_item("A11.1.3", qualification, files),
        _file_item("A11.1.4", L.METERING, qualification.get("metering_document"), files,
                   required=day >= METERING_FROM, reason=L.NOT_REQUIRED["before_2024"]),
        _file_item("A11.1.5", L.GRID_BEFORE_2023_04_01 if before else L.GRID_STANDARD,
                   qualification.get("grid_connection_document"), files, required=not all_isolated,
                   reason=L.NOT_REQUIRED["isolated"],
                   variant="connected_before_2023_04_01" if before else "standard"),
    ]
    return _result("R7", found, application, subtype=subtype, registered_on=day.isoformat())


def check_reissue_completeness(application: dict[str, Any], *, registered_on: date | datetime,
                               files: dict[str, dict[str, Any]],
                               subtype: str | None = None) -> dict[str, Any]:
    """The automatic completeness of a reissue application (R14, A3.9.2, A9/A10).

    ``subtype`` is the licence's (the reissue body does not carry it); it only names the form A9 or A10.
    """
    day = local_day(registered_on)
    subtype = subtype or application.get("subtype")
    form = {"I": "A9", "II": "A10"}.get(str(subtype), "A9/A10")
    grounds = [g for g in application.get("grounds") or [] if isinstance(g, str)]
    form_item = _form_item(form, application)
    if not grounds and form_item["present"]:
        form_item = _item(form, L.FORM[form], required=True, present=False, problem=texts(
            "қайта ресімдеу негіздері көрсетілмеген", "не указаны основания переоформления",
            "no reissue ground given"))
    documents = application.get("documents") or []
    needs_documents = any(g in GROUNDS_NEEDING_DOCUMENTS for g in grounds)
    problems = [p for p in (file_problem(d, files) for d in documents) if p is not None]
    if not documents:
        docs = _item("A3.9.2", L.CHANGE_DOCUMENTS, required=needs_documents, present=False,
                     reason=L.NOT_REQUIRED["state_systems"],
                     problem=texts("құжат ұсынылмаған", "документы не приложены", "no document attached"))
    else:
        docs = _item("A3.9.2", L.CHANGE_DOCUMENTS, required=needs_documents, present=not problems,
                     reason=L.NOT_REQUIRED["state_systems"], problem=problems[0] if problems else None,
                     files=list(documents))
    return _result("R14", [form_item, docs], application, procedure="reissue", subtype=subtype, grounds=grounds,
                   registered_on=day.isoformat())
