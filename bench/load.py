"""Bulk data for the HTTP and timer benchmarks: rows written directly, not through the engine."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from engine.store.licensing_tables import Application
from engine.store.tables import HumanTask, ProcessDefinition, ProcessInstance, Timer

T0 = datetime(2025, 6, 5, 5, tzinfo=UTC)
NAMES = ["Алтын", "Бірлік", "Дала", "Жұлдыз", "Қазына", "Нұр", "Сарыарқа", "Тұлпар", "Өркен", "Шұғыла"]


def fill(db: Engine, instances: int, *, state_json: str = "{}", due_from: datetime = T0, batch: int = 5000) -> None:
    """``instances`` licence-issue instances, each with an open task, a pending timer and an application."""
    with db.begin() as conn:
        definition_id = conn.scalar(select(ProcessDefinition.id).where(ProcessDefinition.key == "licence_issue")
                                    .order_by(ProcessDefinition.version.desc()))
    rnd = random.Random(7)
    for start in range(0, instances, batch):
        apps, insts, tasks, timers = [], [], [], []
        for i in range(start, min(start + batch, instances)):
            app_id, inst_id, task_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
            name = f"ТОО «{rnd.choice(NAMES)} {i}»"
            bin_iin = f"{210340000000 + i:012d}"
            started = T0 - timedelta(minutes=i)
            due = due_from + timedelta(seconds=i)
            apps.append({"id": app_id, "number": f"BENCH-{i:07d}", "procedure": "issue", "subtype": "II",
                         "bin_iin": bin_iin, "applicant_name": name, "applicant_key": name.casefold(),
                         "licence_number": None, "body": {}, "portal_user": "portal", "idempotency_key": app_id,
                         "body_sha256": "0" * 64, "submitted_at": started, "registered_at": started,
                         "expected_result_at": due, "status": "registered", "outcome": None, "instance_id": inst_id,
                         "decided_at": None})
            insts.append({"id": inst_id, "definition_id": definition_id, "process_key": "licence_issue",
                          "process_version": 1, "status": "running", "business_key": app_id, "started_at": started,
                          "started_by": "portal", "ended_at": None, "outcome": None, "term_breached": False,
                          "last_error": None, "serializer_version": "1.5", "state_json": state_json,
                          "completed_path": [], "active_elements": ["completeness_check"], "version_id": 1})
            tasks.append({"id": task_id, "instance_id": inst_id, "process_key": "licence_issue",
                          "element": "completeness_check", "name": "Check completeness", "names": None,
                          "clause": "R7", "role": "officer", "form": "completeness_check", "status": "open",
                          "claimed_by": None, "created_at": started, "due_at": due, "overdue": False,
                          "completed_at": None, "completed_by": None, "data": None, "draft": None,
                          "application_id": app_id, "applicant_name": name, "applicant_key": name.casefold(),
                          "bin_iin": bin_iin, "subtype": "II"})
            timers.append({"instance_id": inst_id, "spiff_task_id": str(uuid.uuid4()),
                           "element": "completeness_check_deadline", "name": "2 working days (R7)", "clause": "R7",
                           "attached_to": "completeness_check", "due_at": due, "created_at": started,
                           "fired_at": None, "cancelled_at": None})
        with db.begin() as conn:
            conn.execute(insert(Application), apps)
            conn.execute(insert(ProcessInstance), insts)
            conn.execute(insert(HumanTask), tasks)
            conn.execute(insert(Timer), timers)


_ = json
