"""Law on digital assets art. 9: a licence is issued for three years. The register shows it expired after the
last day; the holder gets the system's own reminder ahead of the date (not a term of the Rules).

By hand: signed Monday 2 March 2026 → the last day is 1 March 2029 (three years less a day); the reminder comes
30 calendar days before it, 30 January 2029 at 09:00 (February 2029 has 28 days); the licence ends at 00:00 of
2 March 2029.
"""

from __future__ import annotations

from tests.web.portal import issued_licence


def test_lda_9_the_licence_ends_after_three_years_and_the_holder_is_reminded_ahead_by_the_system(api):
    api.set_clock("2026-03-02T10:00:00+05:00")
    body, number = issued_licence(api, "II", paid_at="2026-03-02T09:30:00+05:00")
    register = api.get(f"/api/v1/licences/{number}").get_json()
    assert register["valid_until"] == "2029-03-01" and register["status"] == "active"

    assert "expiry_reminder_due" not in {f["element"] for f in api.set_clock("2029-01-30T09:00:00+05:00")["fired"]}
    fired = api.set_clock("2029-01-30T09:00:01+05:00")["fired"]
    assert [(f["element"], f["due_at"]) for f in fired] == [("expiry_reminder_due", "2029-01-30T09:00:00+05:00")]
    apps = [n for n in api.get("/api/v1/instances?process=licence_issue", user="auditor").get_json()]
    app_id = apps[0]["application_id"]
    reminder = [n for n in api.application(app_id)["notices"] if n["kind"] == "expiry_reminder"]
    assert len(reminder) == 1 and "истекает 1 марта 2029 года" in reminder[0]["text_ru"]
    assert "соңғы күні — 2029 жылғы 1 наурыз" in reminder[0]["text_kk"]
    assert "не срок, установленный Правилами" in reminder[0]["text_ru"] and "жүйенің өз еске салуы" in \
        reminder[0]["text_kk"]

    assert api.get(f"/api/v1/licences/{number}?at=2029-03-01T23:59:00%2B05:00").get_json()["status"] == "active"
    fired = api.set_clock("2029-03-02T00:00:01+05:00")["fired"]
    assert ("validity_ends", "LDA.9", "2029-03-02T00:00:00+05:00") in {(f["element"], f["clause"], f["due_at"])
                                                                       for f in fired}
    assert api.get(f"/api/v1/licences/{number}").get_json()["status"] == "expired"
    assert "licence_expired" in {n["kind"] for n in api.application(app_id)["notices"]}
