"""Downloads of search results and instance histories, shared by the API and the auditors' workspace.

CSV cells that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage return) get
a leading apostrophe, so an applicant named "=HYPERLINK(...)" stays text (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Response

from engine import events_csv, to_csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def instances(items: list[dict[str, Any]], fmt: str) -> Response:
    if fmt == "json":
        return Response(json.dumps(items, ensure_ascii=False, indent=1), mimetype="application/json",
                        headers={"Content-Disposition": 'attachment; filename="instances.json"'})
    return Response(neutralised(to_csv(items)), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="instances.csv"'})


def history(view: dict[str, Any], fmt: str) -> Response:
    name = f"instance-{view['id']}.{fmt}"
    if fmt == "json":
        return Response(json.dumps(view, ensure_ascii=False, indent=1), mimetype="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return Response(neutralised(events_csv(view["events"])), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def neutralised(text: str) -> str:
    """The same CSV with every formula-like cell made plain text."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def safe_cell(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
