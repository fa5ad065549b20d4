"""R14: the completeness of a reissue set is checked within 1 working day of registration, and the motivated
refusal of further consideration is due within that same day — not on the 2-day review term of R15.

By hand: registered Friday 6 March 2026, 10:00; Monday 9 March is the day off for 8 March (a Sunday), so the
1st working day after registration is Tuesday 10 March and the 2nd Wednesday 11 March."""

from __future__ import annotations

from tests.web.portal import issued_licence, reissue_body

R14_DUE = "2026-03-10T18:30:00+05:00"
R15_DUE = "2026-03-11T18:30:00+05:00"


def test_r14_the_refusal_of_further_consideration_of_a_reissue_is_due_within_one_working_day(api):
    api.set_clock("2026-03-02T10:00:00+05:00")
    body, number = issued_licence(api, "II", paid_at="2026-03-02T09:30:00+05:00")
    api.set_clock("2026-03-06T10:00:00+05:00")
    r = api.submit(reissue_body(body, number, ["rename_or_relocate"], changes={"name": "ТОО «Жаңа Атау»"}))
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    assert {d["clause"]: d["due_at"] for d in app["deadlines"]} == {"R14": R14_DUE, "R15": R15_DUE}
    # A3.4's own defect stays visible to the applicant: the receipt says the term reads "2 (үш)" and 2 is used
    receipt = app["notices"][0]
    assert receipt["kind"] == "receipt" and "2 (үш)" in receipt["text_kk"] and "2 (үш)" in receipt["text_ru"]
    assert "Дата и время получения результата: 11 марта 2026 года, 18:30." in receipt["text_ru"]  # R15_DUE
    api.do(app["id"], "reissue_completeness", {"decision": "incomplete", "reason": "the form is not signed"})
    [sign] = api.tasks(app["id"], user="signer")
    assert sign["element"] == "sign_not_considered"
    assert sign["due_at"] == R14_DUE and sign["clause"] in ("R14", "R9, R14")
    fired = api.set_clock("2026-03-10T18:30:01+05:00")["fired"]
    assert ("sign_not_considered_deadline", "R14", R14_DUE) in {(f["element"], f["clause"], f["due_at"])
                                                                 for f in fired}
