"""Issued acts prove themselves: tampering with the stored PDF, XML or columns is caught; anyone can verify."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from engine.store.licensing_tables import Document
from engine.transactions import transaction
from tests.web.portal import issued_licence

MORNING = "2025-06-05T10:00:00+05:00"  # Thursday


def licence_documents(api: Any) -> tuple[str, list[dict[str, Any]]]:
    api.set_clock(MORNING)
    _, number = issued_licence(api)
    r = api.client.get(f"/api/v1/verify/{number}")
    assert r.status_code == 200, r.get_json()
    return number, r.get_json()["documents"]


def doc_ids(app: Any, number: str) -> dict[str, str]:
    with transaction(app.extensions["licensing"].engine.session_factory) as session:
        return {row.lang: row.id for row in session.scalars(select(Document).where(Document.number == number))}


def tamper(app: Any, doc_id: str, **values: Any) -> None:
    with transaction(app.extensions["licensing"].engine.session_factory) as session:
        session.execute(update(Document).where(Document.id == doc_id).values(**values))


def application_of(app: Any, doc_id: str) -> str:
    with transaction(app.extensions["licensing"].engine.session_factory) as session:
        return str(session.get(Document, doc_id).application_id)


def verdict(api: Any, doc_id: str) -> dict[str, Any]:
    r = api.get(f"/api/v1/documents/{doc_id}/verify", user="auditor")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_anyone_verifies_a_licence_by_its_number_without_logging_in(api, client):
    number, documents = licence_documents(api)
    assert {(d["kind"], d["lang"]) for d in documents} == {("licence", "kk"), ("licence", "ru")}
    for d in documents:
        assert d["valid"] is True
        assert d["signed_by"] == "Сейітқали Ерлан Маратұлы"  # the demo signer's own certificate
        assert d["signed_at"].startswith("2025-06-05")
    body = client.get(f"/api/v1/verify/{number}").get_data(as_text=True)
    assert "signer" not in body.replace("signed_by", "")  # no login names
    assert "Digital Mining" not in body and "bin_iin" not in body  # nothing beyond what the act states publicly


def test_an_unknown_number_is_404_not_an_error(client):
    r = client.get("/api/v1/verify/DM01-2099-999999")
    assert r.status_code == 404 and r.get_json()["errors"][0]["message"]
    assert client.get("/verify/DM01-2099-999999").status_code == 404


def test_the_public_page_answers_in_kazakh_russian_and_english(api, client):
    number, _ = licence_documents(api)
    # signed on 5 June 2025, written as each language writes a date; the act's kind by its name
    for lang, valid, day, kind in (("kk", "Жарамды", "2025\u202fж. 05 мау.", "Лицензия"),
                                   ("ru", "Действителен", "5 июн. 2025\u202fг.", "Лицензия"),
                                   ("en", "Valid", "Jun 5, 2025", "Licence")):
        page = client.get(f"/verify/{number}?lang={lang}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert number in text and valid in text and "Сейітқали Ерлан Маратұлы" in text
        assert day in text and f">{kind}<" in text and "05.06.2025" not in text


def test_a_licence_verifies_with_the_signers_own_certificate(app, api):
    number, _ = licence_documents(api)
    result = verdict(api, doc_ids(app, number)["kk"])
    assert result["valid"] is True, result
    assert result["signer"] == "Сейітқали Ерлан Маратұлы" and result["position"]


def test_changed_pdf_bytes_are_caught_even_when_the_digest_column_is_changed_too(app, api):
    import hashlib

    number, _ = licence_documents(api)
    kk = doc_ids(app, number)["kk"]
    forged = b"%PDF-1.7 forged licence"
    tamper(app, kk, pdf=forged, pdf_sha256=hashlib.sha256(forged).hexdigest())
    result = verdict(api, kk)
    assert result["valid"] is False and "PDF" in result["reason"]


def test_a_changed_signed_xml_is_caught(app, api):
    number, _ = licence_documents(api)
    kk = doc_ids(app, number)["kk"]
    with transaction(app.extensions["licensing"].engine.session_factory) as session:
        xml = session.get(Document, kk).signed_xml
    tamper(app, kk, signed_xml=xml.replace(b"Digital Mining KZ", b"Other Mining KZ"))
    assert verdict(api, kk)["valid"] is False


def test_changed_database_columns_are_caught(app, api):
    number, _ = licence_documents(api)
    ids = doc_ids(app, number)
    tamper(app, ids["kk"], signer="officer")
    tamper(app, ids["ru"], lang="kk")
    assert verdict(api, ids["kk"])["valid"] is False
    assert verdict(api, ids["ru"])["valid"] is False
    receipt = [d for d in api.get(f"/api/v1/applications/{application_of(app, ids['kk'])}/documents",
                                  user="portal").get_json() if d["kind"] == "receipt"][0]
    assert verdict(api, receipt["id"])["valid"] is True
    tamper(app, receipt["id"], kind="licence")  # a receipt passed off as a licence
    assert verdict(api, receipt["id"])["valid"] is False
    public = api.client.get(f"/api/v1/verify/{number}").get_json()["documents"]
    assert [d["valid"] for d in public] == [False, False]


def test_an_issued_licence_read_back_shows_every_appendix_4_field_in_kk_and_ru(app, api):
    import re

    from tests.unit.test_documents_rendering import pdf_text

    number, _ = licence_documents(api)
    expected = {
        "kk": ["Берілген күні", "2025 жылғы 5 маусым", "Лицензия нөмірі", number, "Берілген", "Digital Mining KZ",
               "Энергетиков к-сі, 12", "Айналысуға берілді", "Ерекше шарттары", "Өнеркәсіп аймағы, 5", "Ескерту",
               "иеліктен шығарылмайтын", "Көрсетілетін қызметті беруші", "Басшы (уәкілетті тұлға)",
               "Сейітқали Ерлан Маратұлы", "Бастапқы берілген күні", "Лицензияның қолданылу мерзімі",
               "2028 жылғы 4 маусым", "Берілген орны", "Астана қ.", f"/verify/{number}"],
        "ru": ["Дата выдачи", "5 июня 2025 года", "Номер лицензии", number, "Выдана", "Digital Mining KZ",
               "На занятие", "Особые условия", "Примечание", "неотчуждаемая", "Лицензиар",
               "Руководитель (уполномоченное лицо)", "Сейітқали Ерлан Маратұлы", "Дата первичной выдачи",
               "Срок действия лицензии", "4 июня 2028 года", "Место выдачи", "г. Астана", f"/verify/{number}"],
    }
    for lang, doc_id in doc_ids(app, number).items():
        pdf = api.get(f"/api/v1/documents/{doc_id}", user="portal").data
        text = " ".join(pdf_text(pdf).split())
        assert [field for field in expected[lang] if field not in text] == [], lang
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", text)  # no raw ISO moments
        assert not re.search(r"\b(signer|authorized|officer)\b", text)  # no login names, no English


def test_the_register_names_the_last_valid_day_and_expires_after_it(api):
    number, _ = licence_documents(api)
    active = api.get(f"/api/v1/licences/{number}?at=2028-06-04T23:00:00%2B05:00").get_json()
    assert active["valid_until"] == "2028-06-04" and active["status"] == "active"
    expired = api.get(f"/api/v1/licences/{number}?at=2028-06-05T00:00:00%2B05:00").get_json()
    assert expired["status"] == "expired" and expired["valid_until"] == "2028-06-04"


def sign_through_standin(app: Any, api: Any, client: Any, keys_dir: Any, account: str) -> tuple[Any, dict]:
    """The signer's page protocol (web/static/signing.js) with the NCALayer stand-in of ``account``."""
    import re

    from engine.signing.ncalayer_standin import MODULE, NcaLayerStandIn
    from tests.web.portal import issue_body, pay_fee

    api.set_clock(MORNING)
    body = issue_body(api, "II", name="ТОО «Подпись»")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    application = api.submit(body).get_json()
    api.do(application["id"], "completeness_check", {"decision": "complete"})
    api.do(application["id"], "qualification_check", {"decision": "compliant"})
    task = api.tasks(application["id"], user="signer")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "signer", "password": "signer", "csrf_token": token})
    page = client.get(f"/tasks/{task['id']}")
    assert "ws://127.0.0.1:13579" in page.headers["Content-Security-Policy"]
    csrf = re.search(r'data-csrf="([^"]+)"', page.get_data(as_text=True)).group(1)
    standin = NcaLayerStandIn(keys_dir, account=account, port=0)
    key = standin.answer({"module": MODULE, "method": "getKeyInfo", "args": ["PKCS12"]})["responseObject"]
    state: dict[str, Any] = {"certificate": key["pem"], "signed_xml": [], "comment": ""}
    for _ in range(5):
        r = client.post(f"/tasks/{task['id']}/sign-acts", json=state, headers={"X-CSRFToken": csrf})
        if r.status_code != 200 or r.get_json().get("done"):
            return r, application
        state["signed_at"] = r.get_json()["signed_at"]
        for act in r.get_json()["to_sign"]:
            signed = standin.answer({"module": MODULE, "method": "signXml",
                                     "args": ["PKCS12", "SIGNATURE", act["xml"], "", ""]})["responseObject"]
            state["signed_xml"].append({"template": act["template"], "lang": act["lang"], "xml": signed})
    raise AssertionError("the signing did not finish")


def test_acts_signed_through_ncalayer_are_stored_and_verify(app, api, client, keys_dir):
    app.extensions["licensing"].config["NCALAYER_URL"] = "ws://127.0.0.1:13579"
    r, application = sign_through_standin(app, api, client, keys_dir, "signer")
    assert r.status_code == 200 and r.get_json()["done"] is True
    done = api.application(application["id"])
    public = client.get(f"/api/v1/verify/{done['licence_number']}").get_json()["documents"]
    assert [(d["valid"], d["signed_by"]) for d in public] == [(True, "Сейітқали Ерлан Маратұлы")] * 2


def test_a_colleagues_certificate_cannot_sign_for_the_signer(app, api, client, keys_dir):
    app.extensions["licensing"].config["NCALAYER_URL"] = "ws://127.0.0.1:13579"
    r, application = sign_through_standin(app, api, client, keys_dir, "officer")
    assert r.status_code == 422 and "IIN" in r.get_json()["errors"][0]["message"]
    assert api.application(application["id"])["outcome"] is None  # nothing was issued


def test_the_api_takes_acts_signed_with_ncalayer_and_verifies_them(app, api, keys_dir):
    from engine.signing.ncalayer_standin import MODULE, NcaLayerStandIn
    from tests.web.portal import issue_body, pay_fee

    api.set_clock(MORNING)
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    application = api.submit(body).get_json()
    api.do(application["id"], "completeness_check", {"decision": "complete"})
    api.do(application["id"], "qualification_check", {"decision": "compliant"})
    task = api.tasks(application["id"], user="signer")[0]
    standin = NcaLayerStandIn(keys_dir, account="signer", port=0)
    pem = standin.answer({"module": MODULE, "method": "getKeyInfo", "args": ["PKCS12"]})["responseObject"]["pem"]
    data: dict[str, Any] = {"decision": "sign", "certificate": pem, "signed_xml": []}
    rounds = 0
    while True:
        r = api.complete(task["id"], data, user="signer")
        if r.status_code == 200:
            break
        assert r.status_code == 422 and r.get_json()["to_sign"], r.get_json()
        rounds += 1
        data["signed_at"] = r.get_json()["signed_at"]
        for act in r.get_json()["to_sign"]:
            signed = standin.answer({"module": MODULE, "method": "signXml",
                                     "args": ["PKCS12", "SIGNATURE", act["xml"], "", ""]})["responseObject"]
            data["signed_xml"].append({"template": act["template"], "lang": act["lang"], "xml": signed})
    assert rounds == 2  # the licence (kk, ru), then its annex (kk, ru)
    number = api.application(application["id"])["licence_number"]
    assert all(d["valid"] for d in api.client.get(f"/api/v1/verify/{number}").get_json()["documents"])
