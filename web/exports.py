"""Downloads of search results and instance histories, shared by the API and the auditors' workspace."""

from __future__ import annotations

import json
from typing import Any

from flask import Response

from engine import inspection


def instances(items: list[dict[str, Any]], fmt: str) -> Response:
    if fmt == "json":
        return Response(json.dumps(items, ensure_ascii=False, indent=1), mimetype="application/json",
                        headers={"Content-Disposition": 'attachment; filename="instances.json"'})
    return Response(inspection.to_csv(items), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="instances.csv"'})


def history(view: dict[str, Any], fmt: str) -> Response:
    name = f"instance-{view['id']}.{fmt}"
    if fmt == "json":
        return Response(json.dumps(view, ensure_ascii=False, indent=1), mimetype="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return Response(inspection.events_csv(view["events"]), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
