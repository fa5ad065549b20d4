"""Auditors find instances by applicant, BIN, number, outcome …, export them, and their actions are logged."""

from __future__ import annotations

import csv
import io

from tests.web.portal import drive_to_licence, issue_body, pay_fee


def test_search_filters_export_and_every_auditor_action_is_logged(api):
    api.set_clock("2025-06-05T10:00:00+05:00")
    first = issue_body(api, "II", name="ТОО «Альфа Майнинг»")
    pay_fee(api, first, "2025-06-02T12:00:00+05:00")
    a = api.submit(first).get_json()
    b = api.submit(issue_body(api, "I", name="ТОО «Бета»")).get_json()
    done = drive_to_licence(api, a["id"])  # also starts the licence's three-year validity watch (licence_validity)

    def search(query: str) -> list[dict]:
        r = api.get(f"/api/v1/instances?{query}", user="auditor")
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    assert [i["id"] for i in search("process=licence_issue&applicant=альфа")] == [a["instance_id"]]
    # every instance started for the applicant is found by its name: the issue and the licence's validity watch
    # (started at the same simulated moment, so in either order)
    assert sorted(i["process"]["key"] for i in search("applicant=АЛЬФА")) == ["licence_issue", "licence_validity"]
    bin_iin = first["applicant"]["bin_iin"]
    assert [i["id"] for i in search(f"process=licence_issue&bin_iin={bin_iin}")] == [a["instance_id"]]
    assert [i["id"] for i in search(f"application={b['number']}")] == [b["instance_id"]]
    assert [i["id"] for i in search(f"process=licence_issue&licence={done['licence_number']}")] == [a["instance_id"]]
    assert [i["id"] for i in search("outcome=issued")] == [a["instance_id"]]
    assert [i["id"] for i in search("process=licence_issue&status=running")] == [b["instance_id"]]
    assert [i["id"] for i in search("officer=officer")] == [a["instance_id"]]
    assert len(search("sort=started_at&limit=1")) == 1
    assert api.get("/api/v1/instances?sort=nonsense", user="auditor").status_code == 422

    exported = api.get("/api/v1/instances/export?format=csv&process=licence_issue", user="auditor")
    rows = list(csv.DictReader(io.StringIO(exported.data.decode())))
    assert {r["applicant"] for r in rows} == {"ТОО «Альфа Майнинг»", "ТОО «Бета»"}
    history = api.get(f"/api/v1/instances/{a['instance_id']}/export?format=json", user="auditor").get_json()
    assert history["events"] and all("clause" in e for e in history["events"])

    verify = api.get(f"/api/v1/audit/verify?instance={a['instance_id']}", user="auditor").get_json()
    assert verify["valid"] is True
    logged = api.get("/api/v1/audit/verify", user="auditor").get_json()
    assert logged["valid"] is True
    app = api.client.application
    from engine import inspection
    from engine.transactions import reading

    with reading(app.extensions["licensing"].engine.session_factory) as session:
        kinds = [e["kind"] for e in inspection.recent_access(session, 100)]
    assert kinds.count("auditor_search") >= 8 and "auditor_export" in kinds
