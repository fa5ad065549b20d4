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
