"""A signer signs a licence in Chromium through NCALayer (its stand-in) with the signer's own certificate."""

from __future__ import annotations

import pytest
from cryptography import x509

from engine.signing import certificates, xmldsig
from engine.signing.ncalayer_standin import NcaLayerStandIn
from tests.browser.live import chromium, live_app, login
from tests.web.portal import Api, issue_body, pay_fee

pytestmark = pytest.mark.browser


def test_a_licence_is_signed_through_ncalayer_with_the_demo_signers_own_certificate(tmp_path):
    with live_app(tmp_path) as (app, base), chromium() as browser:
        standin = NcaLayerStandIn(tmp_path, account="signer", port=0)
        standin.start()
        app.extensions["licensing"].config["NCALAYER_URL"] = standin.url
        try:
            api = Api(app.test_client())
            api.set_clock("2025-06-05T10:00:00+05:00")
            body = issue_body(api, "II", name="ТОО «Подпись»")
            pay_fee(api, body, "2025-06-02T12:00:00+05:00")
            application = api.submit(body).get_json()
            api.do(application["id"], "completeness_check", {"decision": "complete"})
            api.do(application["id"], "qualification_check", {"decision": "compliant"})

            signer = browser.new_page()
            login(signer, base, "signer", landing="/sign")
            signer.goto(f"{base}/sign")
            signer.locator("tr", has_text="ТОО «Подпись»").get_by_role("link").first.click()
            signer.get_by_role("button", name="Подписать ЭЦП").click()
            signer.wait_for_url(f"{base}/tasks", timeout=60_000)
        finally:
            standin.stop()

        done = api.application(application["id"])
        assert done["outcome"] == "issued"
        public = api.client.get(f"/api/v1/verify/{done['licence_number']}").get_json()
        assert [(d["kind"], d["valid"], d["signed_by"]) for d in public["documents"]] == [
            ("licence", True, "Сейітқали Ерлан Маратұлы"), ("licence", True, "Сейітқали Ерлан Маратұлы")]
        own = x509.load_pem_x509_certificate(standin.issued.cert_pem)
        docs = api.get(f"/api/v1/applications/{application['id']}/documents", user="portal").get_json()
        for doc in [d for d in docs if d["kind"] in ("licence", "annex")]:
            signed = api.get(f"/api/v1/documents/{doc['id']}/signature", user="portal").data
            assert xmldsig.embedded_certificate(signed) == own  # the stand-in signed, with the signer's own key
            assert certificates.iin_of(own) == standin.iin
            assert api.get(f"/api/v1/documents/{doc['id']}/verify", user="portal").get_json()["valid"] is True
