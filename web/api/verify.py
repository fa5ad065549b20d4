"""Public verification of acts by number (CONTRACT.md §2): what the QR code on every act points to.

No login. The answer says only what the act itself states publicly: its number, kind and language,
whether it is valid, the signer's name and position, and when it was signed.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Blueprint, render_template, request, session
from flask_babel import gettext

from engine import NotFound
from web.services import services
from web.ui import i18n

bp = APIBlueprint("api_verify", __name__, url_prefix="/api/v1/verify", tag="Verification")
page = Blueprint("verify_page", __name__)


@bp.get("/<number>")
@bp.doc(summary="Public: is the act with this number valid, who signed it and when (no login)",
        responses={404: "no act has this number"})
def verify_number(number: str) -> Any:
    result = services().licensing.verify_number(number)
    return {"number": result["number"], "documents": [
        {key: d[key] for key in ("kind", "lang", "valid", "signed_by", "position", "signed_at")}
        for d in result["documents"]]}


def _choose_language() -> None:
    asked = request.args.get("lang")
    if asked in i18n.LANGUAGES:
        session["lang"] = asked
    i18n.language()  # the catalogs follow the choice made just now


@page.get("/verify/<number>")
def verify_page(number: str) -> Any:
    _choose_language()
    try:
        result = services().licensing.verify_number(number)
    except NotFound:
        return render_template("ui/verify.html", number=number, rows=None, title=gettext("Document verification")), 404
    rows = [{"kind": i18n.document_name(d["kind"]), "lang": d["lang"], "valid": d["valid"],
             "signed_by": d["signed_by"] or "—", "position": d["position"] or "", "signed_at": d["signed_at"]}
            for d in result["documents"]]
    return render_template("ui/verify.html", number=number, rows=rows, title=gettext("Document verification"))
