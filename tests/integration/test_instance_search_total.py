"""The instance search's total: a short last page tells it without counting, a full page or one past the end is
counted, and an applicant's second process (its licence's validity watch) is an instance of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import engine.store.licensing_tables  # noqa: F401 - registers the licensing tables on the metadata
from engine.inspection import InstanceFilter, search
from engine.store.licensing_tables import Application
from engine.store.tables import ProcessDefinition, ProcessInstance, metadata

MORNING = datetime(2025, 6, 5, 5, 0, tzinfo=UTC)


def _application(n: int, name: str) -> Application:
    return Application(id=f"app-{n:02d}", number=f"KZ-DM-2025-{n:06d}", procedure="issue", subtype="I",
                       bin_iin=f"2506400000{n:02d}", applicant_name=name, applicant_key=name.casefold(), body={},
                       portal_user="portal", idempotency_key=f"key-{n}", body_sha256="0" * 64,
                       submitted_at=MORNING, status="registered")


def _instance(instance_id: str, process: str, application: Application, started_at: datetime) -> ProcessInstance:
    """An instance of ``application`` as the licensing service starts one: with its applicant's casefolded name."""
    return ProcessInstance(id=instance_id, definition_id=1, process_key=process, process_version=1,
                           status="running", business_key=application.id, started_at=started_at, started_by="portal",
                           serializer_version="1", state_json="{}", completed_path=[], active_elements=[],
                           applicant_key=application.applicant_key)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """Twelve applications, one licence issue each, an hour apart: seven of «Жұлдыз …», five of «Дала …»; the
    first «Жұлдыз» also has a validity watch started the day after."""
    db = create_engine(db_url)
    metadata.create_all(db)
    with Session(db) as s, s.begin():
        s.add(ProcessDefinition(id=1, key="licence_issue", version=1, sha256="0" * 64, deployed_at=MORNING,
                                deployed_by="test", source_name="licence_issue.bpmn", bpmn_xml="", spec_json="{}"))
        s.flush()
        applications = []
        for n in range(1, 13):
            name = f"ТОО «Жұлдыз {n}»" if n <= 7 else f"ТОО «Дала {n}»"
            applications.append(_application(n, name))
            s.add(applications[-1])
            s.add(_instance(f"issue-{n:02d}", "licence_issue", applications[-1], MORNING + timedelta(hours=n)))
        s.add(_instance("validity-01", "licence_validity", applications[0], MORNING + timedelta(days=1)))
    with Session(db) as s:
        yield s
    db.dispose()


def _ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


@pytest.mark.parametrize(("offset", "limit", "ids", "total"), [
    (0, 50, ["validity-01", "issue-07", "issue-06", "issue-05", "issue-04", "issue-03", "issue-02", "issue-01"], 8),
    (0, 3, ["validity-01", "issue-07", "issue-06"], 8),         # a full page: counted
    (6, 3, ["issue-02", "issue-01"], 8),                         # the short last page tells the total
    (6, 2, ["issue-02", "issue-01"], 8),                         # a full last page: counted
    (20, 5, [], 8),                                              # past the end: counted
])
def test_the_total_of_an_applicant_search_counts_every_instance_whatever_the_page(session, offset, limit, ids,
                                                                                  total):
    items, counted = search(session, InstanceFilter(applicant="жұлдыз"), offset=offset, limit=limit)
    assert (_ids(items), counted) == (ids, total)


def test_a_search_that_finds_nothing_reads_zero(session):
    assert search(session, InstanceFilter(applicant="береке"), offset=0, limit=50) == ([], 0)
    assert search(session, InstanceFilter(applicant="береке"), offset=50, limit=50) == ([], 0)


def test_an_unfiltered_search_counts_all_instances(session):
    items, total = search(session, InstanceFilter(sort="started_at"), offset=10, limit=2)
    assert (_ids(items), total) == (["issue-11", "issue-12"], 13)
