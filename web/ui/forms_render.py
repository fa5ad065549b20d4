"""Turning a JSON Schema form into fields for the shared template macros, and posted values back to data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine import legal_time
from web.ui.i18n import label

# Moments a form may name lie ahead of now; these also end a number of working days after now (R10.2: the
# hearing no later than the end of the 2nd working day after the notice, which the decision sends now).
LATEST_IN_WORKING_DAYS = {"hearing_at": 2}


@dataclass
class Field:
    name: str
    label: str
    widget: str  # radio | checkboxes | text | textarea | datetime | date | number | checkbox | list | rows
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    show_when: list[tuple[str, str]] = field(default_factory=list)  # shown when any (field, value) holds
    columns: list[Field] = field(default_factory=list)  # the fields of each row of a "rows" array
    minimum: str = ""  # for datetime/date: the earliest value the browser offers
    maximum: str = ""


def conditions(schema: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Fields the schema requires only under an if/then (or dependentRequired): field -> the (field, value)
    choices under which it is asked for."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rule in schema.get("allOf", []):
        test = (rule.get("if") or {}).get("properties") or {}
        then = rule.get("then") or {}
        for key, constraint in test.items():
            if "const" not in constraint:
                continue
            for name in then.get("required", []):
                out.setdefault(name, []).append((key, str(constraint["const"])))
    return out


def fields(schema: dict[str, Any], now: datetime | None = None) -> list[Field]:
    required = set(schema.get("required", []))
    conditional = {name: when for name, when in conditions(schema).items()
                   if name not in required and name != "comment"}  # a comment is always welcome
    out: list[Field] = []
    for name, prop in schema.get("properties", {}).items():
        f = _field(name, prop, name in required, now)
        f.show_when = conditional.get(name, [])
        out.append(f)
    return out


def _field(name: str, prop: dict[str, Any], required: bool, now: datetime | None) -> Field:
    title = label(prop.get("x-labels"), prop.get("title", name))
    items = prop.get("items") or {}
    enum_labels = prop.get("x-enum-labels") or items.get("x-enum-labels") or {}
    if "enum" in prop:
        return Field(name, title, "radio", required, [(v, label(enum_labels.get(v), v)) for v in prop["enum"]])
    if prop.get("type") == "array" and "enum" in items:
        opts = [(v, f"{v} — {label(enum_labels.get(v), v)}") for v in items["enum"]]
        return Field(name, title, "checkboxes", required, opts)
    if prop.get("type") == "array" and items.get("type") == "object":
        # a column is required only in a row that is filled in: the server says so, the browser cannot
        columns = [_field(k, p, False, now) for k, p in items.get("properties", {}).items()]
        for c in columns:
            if c.widget == "radio":
                c.widget = "select"
        return Field(name, title, "rows", required, columns=columns)
    if prop.get("type") == "array":
        return Field(name, title, "list", required)
    if prop.get("type") == "boolean":
        return Field(name, title, "checkbox", False)
    if prop.get("type") == "integer":
        return Field(name, title, "number", required)
    if prop.get("format") in ("date-time", "date"):
        widget = "datetime" if prop["format"] == "date-time" else "date"
        f = Field(name, title, widget, required)
        if now is not None:
            local = legal_time.to_local(now)
            f.minimum = local.strftime("%Y-%m-%dT%H:%M") if widget == "datetime" else local.date().isoformat()
            if name in LATEST_IN_WORKING_DAYS:
                latest = legal_time.add_working_days(local, LATEST_IN_WORKING_DAYS[name])
                f.maximum = latest.strftime("%Y-%m-%dT%H:%M") if widget == "datetime" else latest.date().isoformat()
        return f
    widget = "textarea" if name in ("reason", "minutes", "reasoning", "position", "comment",
                                    "act_description", "justification") else "text"
    return Field(name, title, widget, required)


def parse(schema: dict[str, Any], form: Any) -> dict[str, Any]:
    """Posted form values -> data for the JSON Schema (empty fields left out; the server validates).
    A free list posts its rows under one name; a list of objects posts ``name-<row>-<column>``.
    NUL characters are dropped: they are not text, and no database keeps them."""
    data: dict[str, Any] = {}
    for f in fields(schema):
        if f.widget in ("checkboxes", "list"):
            values = [_text(v).strip() for v in form.getlist(f.name)]
            values = [v for v in values if v]
            if values:
                data[f.name] = values
        elif f.widget == "rows":
            rows = _rows(f, form)
            if rows:
                data[f.name] = rows
        elif f.widget == "checkbox":
            if form.get(f.name):
                data[f.name] = True
        else:
            value = _scalar(f, _text(form.get(f.name) or "").strip())
            if value is not None:
                data[f.name] = value
    return data


def _rows(f: Field, form: Any) -> list[dict[str, Any]]:
    """The rows of a list of objects, in the order posted, leaving out rows left entirely empty."""
    prefix = f"{f.name}-"
    indices = sorted({int(key[len(prefix):].split("-")[0]) for key in form.keys()
                      if key.startswith(prefix) and key[len(prefix):].split("-")[0].isdigit()})
    rows = []
    for i in indices:
        row = {}
        for column in f.columns:
            value = _scalar(column, _text(form.get(f"{f.name}-{i}-{column.name}") or "").strip())
            if value is not None:
                row[column.name] = value
        if row:
            rows.append(row)
    return rows


def _scalar(f: Field, raw: str) -> Any:
    if not raw:
        return None
    if f.widget == "number":
        try:
            return int(raw)
        except ValueError:
            return raw
    if f.widget == "datetime":
        try:
            moment = datetime.fromisoformat(raw)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=legal_time.TZ)
            return legal_time.iso(moment)
        except (ValueError, OverflowError):  # not a moment, or one beyond the calendar once converted
            return raw
    return raw


def posted_values(schema: dict[str, Any], form: Any) -> dict[str, Any]:
    """What the user typed, to show again beside the errors (lists as lists, rows as dicts)."""
    values: dict[str, Any] = dict(form.items())
    for f in fields(schema):
        if f.widget in ("checkboxes", "list"):
            values[f.name] = form.getlist(f.name)
        elif f.widget == "rows":
            values[f.name] = _rows(f, form)
    return values


def _text(value: str) -> str:
    return value.replace("\x00", "")

