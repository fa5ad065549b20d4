"""Hostile input: BPMN bombs and escapes, lying files, oversize and malformed bodies — clear 4xx, nothing kept."""

from __future__ import annotations

import io

import pytest

from engine.bpmn import sandbox
from tests.conftest import bpmn_fixture

GOOD = bpmn_fixture("example_review").decode()


def deploy(api, data: bytes | str):
    body = data.encode() if isinstance(data, str) else data
    return api.client.post("/api/v1/processes", data=body, headers={**api.headers("analyst"),
                                                                    "Content-Type": "application/xml"})


def deployed_keys(api) -> set[str]:
    return {v["key"] for v in api.get("/api/v1/processes", user="analyst").get_json()}


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&c;</bpmn:definitions>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&e;</bpmn:definitions>',
    "<not-closed",
])
def test_entity_bombs_external_entities_and_garbage_are_refused(api, xml):
    before = deployed_keys(api)
    r = deploy(api, xml)
    assert r.status_code == 422 and r.get_json()["errors"][0]["message"]
    assert deployed_keys(api) == before


def test_a_huge_file_is_refused_without_reading_it_all(api):
    r = deploy(api, GOOD.replace("</bpmn:definitions>", "<!--" + "x" * (3 * 1024 * 1024) + "--></bpmn:definitions>"))
    assert r.status_code == 422 and "larger" in r.get_json()["errors"][0]["message"]


@pytest.mark.parametrize(("find", "replace"), [
    ("completeness_check['decision'] == 'complete'", "__import__('os').system('id') == 0"),
    ("completeness_check['decision'] == 'complete'", "open('/etc/passwd').read() == ''"),
    ("add_working_days(registered_at, 2)", "().__class__.__mro__[1].__subclasses__()"),
    ("value=\"'review'\"", "value=\"__import__('subprocess')\""),
])
def test_expressions_that_reach_for_modules_or_files_are_refused_at_validation(api, find, replace):
    assert find in GOOD
    r = deploy(api, GOOD.replace(find, replace))
    assert r.status_code == 422
    assert "example_review" not in deployed_keys(api)


def test_a_script_task_that_imports_is_refused():
    from engine.bpmn.serializer import StateSerializer
    from engine.errors import DefinitionInvalid
    from engine.operations import default_registry
    from engine.runtime.definitions import DefinitionStore

    script = ('<bpmn:scriptTask id="evil" name="Evil"><bpmn:extensionElements><spiffworkflow:properties>'
              '<spiffworkflow:property name="clause" value="R7" /></spiffworkflow:properties></bpmn:extensionElements>'
              '<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f2b</bpmn:outgoing>'
              '<bpmn:script>import os\nos.system("id")</bpmn:script></bpmn:scriptTask>'
              '<bpmn:sequenceFlow id="f2b" sourceRef="evil" targetRef="review" />')
    text = GOOD.replace('<bpmn:sequenceFlow id="f2" sourceRef="precheck" targetRef="review" />',
                        '<bpmn:sequenceFlow id="f2" sourceRef="precheck" targetRef="evil" />' + script)
    store = DefinitionStore(StateSerializer(), form_exists=lambda k: True, operations=default_registry())
    with pytest.raises(DefinitionInvalid) as err:
        store.validate(text.encode(), "evil.bpmn")
    assert any(p.element == "evil" and "not allowed" in p.message for p in err.value.problems)


def test_even_at_runtime_the_sandbox_cannot_import_or_open_files():
    for source in ("__import__('os')", "open('/etc/passwd')", "globals()['__builtins__']"):
        with pytest.raises((sandbox.UnsafeExpression, NameError)):
            sandbox.evaluate(source, {})


def upload(api, content: bytes, name: str, mimetype: str):
    return api.client.post("/api/v1/files", data={"file": (io.BytesIO(content), name, mimetype)},
                           headers=api.headers("portal"), content_type="multipart/form-data")


def test_files_are_typed_by_their_content_not_by_what_they_claim(api):
    lying = upload(api, b"#!/bin/sh\nrm -rf /\n", "licence.pdf", "application/pdf")
    assert lying.status_code == 422 and lying.get_json()["errors"][0]["field"] == "file"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    r = upload(api, png, "scan.pdf", "application/pdf")
    assert r.status_code == 201 and r.get_json()["media_type"] == "image/png"
    assert r.get_json()["declared_type_matches"] is False
    assert upload(api, b"", "empty.pdf", "application/pdf").status_code == 422
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)
    assert upload(api, big, "big.pdf", "application/pdf").status_code == 422


def test_an_oversize_body_gets_413_with_the_json_error_shape(api):
    r = api.client.post("/api/v1/applications", data=b"{" + b" " * (13 * 1024 * 1024) + b"}",
                        headers={**api.headers("portal"), "Content-Type": "application/json", "Idempotency-Key": "k"})
    assert r.status_code == 413 and r.get_json()["errors"]


@pytest.mark.parametrize(("method", "path", "user"), [
    ("post", "/api/v1/applications", "portal"), ("post", "/api/v1/auth/token", None),
    ("put", "/api/v1/admin/clock", "admin"), ("post", "/api/v1/complaints", "portal"),
    ("put", "/api/v1/admin/gateway/payments/210340000003", "admin"),
    ("post", "/api/v1/licences/X/pool-notices", "portal"), ("post", "/api/v1/tasks/x/complete", "officer"),
])
@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"null"])
def test_malformed_or_mistyped_json_gets_a_4xx_with_errors(api, method, path, user, body):
    headers = {"Content-Type": "application/json", "Idempotency-Key": "k"}
    if user:
        headers.update(api.headers(user))
    r = getattr(api.client, method)(path, data=body, headers=headers)
    assert 400 <= r.status_code < 500, (path, body, r.status_code)
    assert r.get_json()["errors"]
