"""Rendering documents to PDF with WeasyPrint; same kind, language and context give the same bytes."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import segno

from engine.documents import dates
from engine.documents.texts import LABELS, PROVIDER, SUBTYPES, TITLES

HERE = Path(__file__).resolve().parent
KINDS = tuple(TITLES)
LANGS = ("kk", "ru")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                              undefined=jinja2.ChainableUndefined)


def render_html(kind: str, lang: str, context: dict[str, Any]) -> str:
    if kind not in TITLES:
        raise ValueError(f"unknown document kind '{kind}'")
    if lang not in LANGS:
        raise ValueError(f"documents are issued in kk and ru, not '{lang}'")
    labels = {key: texts[lang] for key, texts in LABELS.items()}
    title = TITLES[kind][lang].format(subtype=context.get("subtype") or "")
    verify_url = context.get("verify_url")
    values = {**context, "kind": kind, "lang": lang, "L": labels, "title": title, "provider": PROVIDER[lang],
              "fonts": (HERE / "fonts").as_uri(), "date": dates.long_date(context.get("issued_at"), lang),
              "D": lambda value: dates.long_date(value, lang), "M": dates.moment,
              "subtype_text": SUBTYPES.get(str(context.get("subtype") or ""), {}).get(lang, ""),
              "qr": segno.make(verify_url, error="m").svg_data_uri(scale=3, border=1) if verify_url else None}
    return _env().get_template("document.html").render(**values)


def render_pdf(kind: str, lang: str, context: dict[str, Any]) -> bytes:
    import os

    from weasyprint import HTML

    # fontTools stamps embedded font subsets with "now" unless SOURCE_DATE_EPOCH is set: pin it so the same
    # data always give the same bytes (the reproducible-builds convention)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1704067200")
    html = render_html(kind, lang, context)
    seed = json.dumps({"kind": kind, "lang": lang, "context": context}, sort_keys=True, default=str)
    identifier = hashlib.sha256(seed.encode()).hexdigest()[:32].encode()
    return HTML(string=html, base_url=str(HERE)).write_pdf(pdf_identifier=identifier)  # type: ignore[no-any-return]
