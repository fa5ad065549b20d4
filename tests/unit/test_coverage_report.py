"""The clause coverage report lists every clause with the elements citing it, and the gaps with reasons."""

from __future__ import annotations

from engine.licensing.coverage import coverage_report
from tests.conftest import ROOT


def test_the_issue_procedure_covers_its_clauses_and_the_reissue_defect_is_listed():
    report = coverage_report(ROOT / "processes")
    rows = {r["clause"]: r for r in report["clauses"]}
    for clause in ("R4", "R5", "R6", "R7", "R8", "R9", "R10", "R10.2", "R17", "A3.4", "A3.7", "A3.10.2"):
        assert rows[clause]["elements"], clause
    assert any(e["element"] == "completeness_check" for e in rows["R7"]["elements"])
    assert rows["A3.1"]["outside_diagrams"] and rows["A3.1"]["gap"]
    assert any(d["clause"] == "A3.4" and "үш" in d["text"] for d in report["defects"])
    for gap in report["gaps"]:
        assert rows[gap]["gap"]


def test_the_terms_fixed_by_issue_16_are_cited_where_they_run():
    rows = {r["clause"]: r for r in coverage_report(ROOT / "processes")["clauses"]}
    cited = {clause: {(e["process"], e["element"]) for e in rows[clause]["elements"]} for clause in rows}
    assert ("licence_issue", "hearing_notice_deadline") in cited["R10.2"]
    assert ("licence_reissue", "sign_not_considered_deadline") in cited["R14"]
    assert ("licence_reissue", "sign_not_considered_deadline") not in cited["R15"]
    assert ("complaint", "quality_review") in cited["R22"] and ("complaint", "quality_review") not in cited["R21"]
    assert ("licence_suspension", "suspend_or_dismiss") in cited["R18-1"]
    assert "no term" in rows["R23"]["title"]


def test_the_report_lists_each_clauses_terms_from_the_table():
    rows = {r["clause"]: r for r in coverage_report(ROOT / "processes")["clauses"]}
    assert [t["days"] for t in rows["R7"]["terms"]] == [2]
    assert sorted(t["days"] for t in rows["R10.2"]["terms"]) == [2, 3]
    assert rows["R23"]["terms"] == []
