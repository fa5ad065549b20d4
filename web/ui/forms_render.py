"""Turning a JSON Schema form into fields for the shared template macros, and posted values back to data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine import legal_time
from web.ui.i18n import label

SKIP = {"comment"}


@dataclass
class Field:
    name: str
    label: str
    widget: str  # radio | checkboxes | text | textarea | datetime | date | number | checkbox
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""


def fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    out: list[Field] = []
    for name, prop in schema.get("properties", {}).items():
        title = label(prop.get("x-labels"), prop.get("title", name))
        enum_labels = prop.get("x-enum-labels") or (prop.get("items") or {}).get("x-enum-labels") or {}
        if "enum" in prop:
            opts = [(v, label(enum_labels.get(v), v)) for v in prop["enum"]]
            out.append(Field(name, title, "radio", name in required, opts))
        elif prop.get("type") == "array" and "enum" in (prop.get("items") or {}):
            opts = [(v, f"{v} — {label(enum_labels.get(v), v)}") for v in prop["items"]["enum"]]
            out.append(Field(name, title, "checkboxes", name in required, opts))
        elif prop.get("type") == "boolean":
            out.append(Field(name, title, "checkbox", False))
        elif prop.get("type") == "integer":
            out.append(Field(name, title, "number", name in required))
        elif prop.get("format") == "date-time":
            out.append(Field(name, title, "datetime", name in required))
        elif prop.get("format") == "date":
            out.append(Field(name, title, "date", name in required))
        else:
            widget = "textarea" if name in ("reason", "minutes", "reasoning", "position", "comment",
                                            "act_description") else "text"
            out.append(Field(name, title, widget, name in required))
    return out


def parse(schema: dict[str, Any], form: Any) -> dict[str, Any]:
    """Posted form values -> data for the JSON Schema (empty fields left out; the server validates).
    NUL characters are dropped: they are not text, and no database keeps them."""
    data: dict[str, Any] = {}
    for f in fields(schema):
        if f.widget == "checkboxes":
            values = [_text(v) for v in form.getlist(f.name)]
            if values:
                data[f.name] = values
            continue
        if f.widget == "checkbox":
            if form.get(f.name):
                data[f.name] = True
            continue
        raw = _text(form.get(f.name) or "").strip()
        if not raw:
            continue
        if f.widget == "number":
            try:
                data[f.name] = int(raw)
            except ValueError:
                data[f.name] = raw
        elif f.widget == "datetime":
            try:
                moment = datetime.fromisoformat(raw)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=legal_time.TZ)
                data[f.name] = legal_time.iso(moment)
            except (ValueError, OverflowError):  # not a moment, or one beyond the calendar once converted
                data[f.name] = raw
        else:
            data[f.name] = raw
    return data


def _text(value: str) -> str:
    return value.replace("\x00", "")


def display_value(value: Any) -> str:
    if isinstance(value, datetime):
        return legal_time.iso(value).replace("T", " ")[:16]
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        return legal_time.iso(value).replace("T", " ")[:16]
    return "" if value is None else str(value)
