"""The API documentation page (Swagger UI from web/static, no CDN) and additions to the generated OpenAPI
document: security, and the request bodies of the JSON Schemas in forms/ (the applications' and the tasks'
forms), so clients and fuzzers see the real contract."""

from __future__ import annotations

from typing import Any

from flask import render_template

import forms


def register(app: Any) -> None:
    if "openapi.docs" in app.view_functions:  # APIFlask's page loads Swagger UI from a CDN with inline script
        app.view_functions["openapi.docs"] = lambda: render_template("api_docs.html", title=app.title,
                                                                      version=app.version)

    @app.spec_processor
    def _process(spec: dict[str, Any]) -> dict[str, Any]:
        components = spec.setdefault("components", {})
        components.setdefault("securitySchemes", {})["BearerAuth"] = {"type": "http", "scheme": "bearer"}
        spec["security"] = [{"BearerAuth": []}]
        schemas = components.setdefault("schemas", {})
        for key in forms.form_keys():
            schema = {k: v for k, v in forms.load(key).items() if not k.startswith("$")}
            schemas[f"form_{key}"] = schema
        paths = spec.get("paths", {})
        _body(paths, "/api/v1/applications", "post", {"oneOf": [
            {"$ref": "#/components/schemas/form_application_issue"},
            {"$ref": "#/components/schemas/form_application_reissue"}]} if forms.exists("application_reissue")
            else {"type": "object"})
        _body(paths, "/api/v1/auth/token", "post", {"type": "object", "required": ["username", "password"],
                                                    "properties": {"username": {"type": "string"},
                                                                   "password": {"type": "string"}}})
        _body(paths, "/api/v1/tasks/{task_id}/complete", "post", {"type": "object", "required": ["data"],
                                                                  "properties": {"data": {"type": "object"}}})
        _body(paths, "/api/v1/admin/clock", "put", {"type": "object", "required": ["now"],
                                                    "properties": {"now": {"type": "string",
                                                                           "format": "date-time"}}})
        _body(paths, "/api/v1/licences/{number}/pool-notices", "post", {
            "type": "object", "required": ["changed_at", "pool"],
            "properties": {"changed_at": {"type": "string", "format": "date-time"},
                           "pool": {"type": "object", "properties": {"name": {"type": "string"}}}}})
        _body(paths, "/api/v1/incidents/{incident_id}/resolve", "post", {
            "type": "object", "required": ["resolution"], "properties": {"resolution": {"type": "string",
                                                                                      "maxLength": 2000}}})
        if "/api/v1/processes" in paths and "post" in paths["/api/v1/processes"]:
            paths["/api/v1/processes"]["post"]["requestBody"] = {
                "required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}
        if "/api/v1/files" in paths and "post" in paths["/api/v1/files"]:
            paths["/api/v1/files"]["post"]["requestBody"] = {"required": True, "content": {
                "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "format": "binary"}}}}}}
        return spec


def _body(paths: dict[str, Any], path: str, method: str, schema: dict[str, Any]) -> None:
    op = paths.get(path, {}).get(method)
    if op is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
