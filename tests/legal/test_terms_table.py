"""Legal terms are data bound to their clauses (issue 16, point 12): one table gives every count; a diagram
whose clause-bound timer says otherwise is invalid — e.g. an analyst changing R7 from 2 to 3 working days."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from engine import legal_time
from tests.conftest import ROOT
from web.cli import main as cli


def test_r7_a_diagram_counting_3_working_days_for_the_2_day_term_fails_validation(tmp_path: Path) -> None:
    source = (ROOT / "processes" / "licence_issue" / "licence_issue.bpmn").read_text()
    changed = source.replace("add_working_days(registration['registered_at'], 2)",
                             "add_working_days(registration['registered_at'], 3)")
    assert changed != source
    path = tmp_path / "licence_issue.bpmn"
    path.write_text(changed)
    result = CliRunner().invoke(cli, ["processes", "validate", str(path)])
    assert result.exit_code == 1
    assert "3 working days for R7" in result.output and "says 2" in result.output


def test_the_shipped_diagrams_agree_with_the_table_and_the_table_holds_the_rules_counts() -> None:
    days = {(t.clause, t.days) for t in legal_time.LEGAL_TERMS}
    # the counts as the Rules write them (rules-169-nk.kk.md), typed here by hand
    assert {("R7", 2), ("R8", 13), ("R10.2", 3), ("R10.2", 2), ("R14", 1), ("R15", 2), ("A3.4", 15), ("R16", 2),
            ("R20", 3), ("R21", 5), ("R22", 15)} == days
    paths = sorted(str(p) for p in (ROOT / "processes").glob("*/*.bpmn"))
    result = CliRunner().invoke(cli, ["processes", "validate", *paths])
    assert result.exit_code == 0, result.output
