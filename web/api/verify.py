"""Public verification of acts by number (CONTRACT.md §2): what the QR code on every act points to.

No login. The answer says only what the act itself states publicly: its number, kind and language,
whether it is valid, the signer's name and position, and when it was signed.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Blueprint, render_template, request, session

from engine.documents import dates
from engine.documents.texts import TITLES
from engine.errors import NotFound
from web.services import services
from web.ui import i18n

bp = APIBlueprint("api_verify", __name__, url_prefix="/api/v1/verify", tag="Verification")
page = Blueprint("verify_page", __name__)

KIND_NAMES_EN = {"receipt": "Receipt notice", "licence": "Licence", "reissued_licence": "Reissued licence",
                 "annex": "Annex to the licence", "refusal": "Motivated refusal",
                 "not_considered": "Refusal of further consideration",
                 "preliminary_decision": "Preliminary decision", "hearing_notice": "Hearing notice",
                 "complaint_decision": "Decision on a complaint", "suspension_decision": "Suspension decision",
                 "restoration_decision": "Restoration decision", "revocation_decision": "Revocation decision"}
TEXTS = {
    "title": {"kk": "Құжаттың түпнұсқалығын тексеру", "ru": "Проверка подлинности документа",
              "en": "Document verification"},
    "number": {"kk": "Құжат нөмірі", "ru": "Номер документа", "en": "Document number"},
    "kind": {"kk": "Құжат", "ru": "Документ", "en": "Document"},
    "lang": {"kk": "Тілі", "ru": "Язык", "en": "Language"},
    "valid": {"kk": "Жарамды: қолтаңба мен мазмұн расталды", "ru": "Действителен: подпись и содержание подтверждены",
              "en": "Valid: signature and content confirmed"},
    "invalid": {"kk": "Жарамсыз: қолтаңба расталмады", "ru": "Недействителен: подпись не подтверждена",
                "en": "Not valid: the signature does not hold"},
    "signed_by": {"kk": "Қол қойған", "ru": "Подписал", "en": "Signed by"},
    "signed_at": {"kk": "Қол қойылған уақыты", "ru": "Время подписания", "en": "Signed at"},
    "not_found": {"kk": "Бұл нөмірмен құжат табылмады", "ru": "Документ с таким номером не найден",
                  "en": "No document has this number"},
    "languages": {"kk": "қазақша / орысша", "ru": "казахский / русский", "en": "Kazakh / Russian"},
}


@bp.get("/<number>")
@bp.doc(summary="Public: is the act with this number valid, who signed it and when (no login)",
        responses={404: "no act has this number"})
def verify_number(number: str) -> Any:
    result = services().licensing.verify_number(number)
    return {"number": result["number"], "documents": [
        {key: d[key] for key in ("kind", "lang", "valid", "signed_by", "position", "signed_at")}
        for d in result["documents"]]}


def _language() -> str:
    asked = request.args.get("lang")
    if asked in i18n.LANGUAGES:
        session["lang"] = asked
        return asked
    return i18n.language()


@page.get("/verify/<number>")
def verify_page(number: str) -> Any:
    lang = _language()
    try:
        result = services().licensing.verify_number(number)
    except NotFound:
        return render_template("ui/verify.html", texts={k: v[lang] for k, v in TEXTS.items()}, number=number,
                               rows=None, title=TEXTS["title"][lang]), 404
    rows = [{"kind": KIND_NAMES_EN.get(d["kind"], d["kind"]) if lang == "en"
             else TITLES.get(d["kind"], {}).get(lang, d["kind"]).format(subtype="").replace("  ", " "),
             "lang": d["lang"], "valid": d["valid"], "signed_by": d["signed_by"] or "—",
             "position": d["position"] or "", "signed_at": dates.moment(d["signed_at"])}
            for d in result["documents"]]
    return render_template("ui/verify.html", texts={k: v[lang] for k, v in TEXTS.items()}, number=number,
                           rows=rows, title=TEXTS["title"][lang])
