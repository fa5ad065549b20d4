"""Issue 16, point 12: a term is bound to its clause in the label a user reads too, and a changed count shows
in the version diff as a change of that element with its clause."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from engine.bpmn.diff import diff
from tests.conftest import ROOT
from web.cli import main as cli

ISSUE = ROOT / "processes" / "licence_issue" / "licence_issue.bpmn"


def _validate(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "licence_issue.bpmn"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["processes", "validate", str(path)])
    return result.exit_code, result.output


def test_r7_a_timer_labelled_3_working_days_while_the_table_says_2_fails_validation(tmp_path: Path) -> None:
    source = ISSUE.read_text()
    changed = source.replace('name="2 working days (R7)"', 'name="3 working days (R7)"')
    assert changed != source
    code, output = _validate(tmp_path, changed)
    assert code == 1
    assert "'3 working days (R7)'" in output and "says 2" in output


def test_r7_a_russian_label_of_3_working_days_fails_validation_too(tmp_path: Path) -> None:
    source = ISSUE.read_text()
    changed = source.replace(
        '<bpmn:boundaryEvent id="completeness_check_deadline" name="2 working days (R7)" cancelActivity="false" '
        'attachedToRef="completeness_check">',
        '<bpmn:boundaryEvent id="completeness_check_deadline" name="Completeness term (R7)" cancelActivity="false" '
        'attachedToRef="completeness_check">', 1)
    assert changed.count('<spiffworkflow:property name="name_ru" value="2 рабочих дня (п. 7)" />') == 1
    changed = changed.replace('<spiffworkflow:property name="name_ru" value="2 рабочих дня (п. 7)" />',
                              '<spiffworkflow:property name="name_ru" value="3 рабочих дня (R7)" />')
    code, output = _validate(tmp_path, changed)
    assert code == 1
    assert "3 рабочих дня (R7)" in output and "says 2" in output


def test_r7_the_shipped_labels_agree_with_the_table(tmp_path: Path) -> None:
    code, output = _validate(tmp_path, ISSUE.read_text())
    assert code == 0, output


def test_r7_a_count_changed_from_2_to_3_shows_in_the_version_diff_as_that_timer_with_its_clause() -> None:
    old = ISSUE.read_text()
    new = old.replace("add_working_days(registration['registered_at'], 2)",
                      "add_working_days(registration['registered_at'], 3)", 1)
    changes = diff(old, new, "licence_issue")
    assert changes["added"] == [] and changes["removed"] == []
    assert changes["changed"] == [{
        "id": "completeness_check_deadline", "name": "2 working days (R7)", "clause": "R7",
        "changes": {"timer_expression": {"from": "add_working_days(registration['registered_at'], 2)",
                                         "to": "add_working_days(registration['registered_at'], 3)"}},
    }]


def test_a_property_given_twice_is_named_instead_of_the_first_one_silently_losing(tmp_path: Path) -> None:
    # a second name_ru after the real one would win unseen: an analyst's copy-paste must not hide a label
    source = ISSUE.read_text()
    real = '<spiffworkflow:property name="name_ru" value="2 рабочих дня (п. 7)" />'
    changed = source.replace(real, real + '<spiffworkflow:property name="name_ru" value="Срок" />', 1)
    code, output = _validate(tmp_path, changed)
    assert code == 1
    assert "extension property 'name_ru' is given more than once" in output
    assert "completeness_check_deadline" in output
