"""The command line answers as CONTRACT.md §1 says."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import FIXTURES
from web.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_calendar_deadline_prints_the_contract_json():
    result = run("calendar", "deadline", "--from", "2025-03-20T19:00:00+05:00", "--working-days", "2")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"from": "2025-03-20T19:00:00+05:00",
                                         "registered_at": "2025-03-26T09:00:00+05:00",
                                         "deadline": "2025-03-28T18:30:00+05:00"}


def test_calendar_deadline_converts_other_offsets_to_local_time():
    result = run("calendar", "deadline", "--from", "2025-03-20T14:00:00Z", "--working-days", "1")
    assert json.loads(result.output)["registered_at"] == "2025-03-26T09:00:00+05:00"


def test_calendar_deadline_refuses_a_moment_without_offset():
    result = run("calendar", "deadline", "--from", "2025-03-20T19:00:00", "--working-days", "2")
    assert result.exit_code != 0 and "offset" in result.output


def test_working_days_lists_one_date_a_line():
    result = run("calendar", "working-days", "2025-03-20", "2025-03-27")
    assert result.output.split() == ["2025-03-20", "2025-03-26", "2025-03-27"]


def test_processes_validate_reports_file_line_and_message(tmp_path):
    good = FIXTURES / "bpmn" / "example_review.bpmn"
    assert run("processes", "validate", str(good)).exit_code == 0
    bad = tmp_path / "bad.bpmn"
    bad.write_text(good.read_text().replace('<spiffworkflow:property name="clause" value="A3.9" />', ""))
    result = run("processes", "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "clause" in result.output
