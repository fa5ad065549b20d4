"""Terms kept or breached, exactly: kept only when the action came before the due moment (issue 15, point 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.inspection import term_outcome

DUE = datetime(2025, 6, 10, 13, 0, tzinfo=UTC)  # 18:00 in Astana
BEFORE, AFTER = DUE - timedelta(minutes=1), DUE + timedelta(minutes=1)


@pytest.mark.parametrize(("fired", "cancelled", "status", "ended", "expected"), [
    (None, BEFORE, "running", None, "kept"),  # the officer acted a minute before the term ran out
    (None, DUE, "completed", AFTER, "kept"),  # exactly at the due moment still counts
    (None, AFTER, "running", None, "breached"),  # acted after the due moment, the timer never fired
    (DUE, None, "running", None, "breached"),
    (None, BEFORE, "failed", BEFORE, "not_completed"),  # the instance failed: nobody kept the term
    (None, BEFORE, "cancelled", BEFORE, "not_completed"),
    (None, BEFORE - timedelta(days=1), "failed", BEFORE, "kept"),  # kept first, the instance failed later
    (None, None, "running", None, "pending"),
    (None, None, "completed", AFTER, "not_completed"),
])
def test_a_term_is_kept_only_when_the_action_came_before_its_due_moment(fired, cancelled, status, ended, expected):
    assert term_outcome(due_at=DUE, fired_at=fired, cancelled_at=cancelled, instance_status=status,
                        instance_ended_at=ended) == expected
