"""Copies of one real waiting instance, for the timer benchmark (the engine would take minutes to make 10 000).

The template is an instance the engine itself started and left waiting. Each copy gets its own instance
id and fresh SpiffWorkflow task ids (every UUID in the serialized state is replaced consistently), and
the rows the engine keeps beside the state — the open human tasks, the pending timers and the audit
chain head — are copied with the same new ids, so the engine cannot tell a copy from the original.
"""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from engine.store.tables import ChainHead, HumanTask, ProcessInstance, Timer

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def load_template(db: Engine, instance_id: str) -> dict[str, Any]:
    with db.connect() as conn:
        instance = dict(conn.execute(select(ProcessInstance.__table__).where(
            ProcessInstance.id == instance_id)).mappings().one())
        tasks = [dict(r) for r in conn.execute(select(HumanTask.__table__).where(
            HumanTask.instance_id == instance_id, HumanTask.status == "open")).mappings()]
        timers = [dict(r) for r in conn.execute(select(Timer.__table__).where(
            Timer.instance_id == instance_id, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))).mappings()]
        head = conn.execute(select(ChainHead.__table__).where(ChainHead.chain == instance_id)).mappings().first()
    return {"instance": instance, "tasks": tasks, "timers": timers, "head": dict(head) if head else None}


def copy_instances(db: Engine, template: dict[str, Any], count: int, *, batch: int = 1000, threads: int = 2) -> None:
    """Insert ``count`` copies of the template (SQLAlchemy core, ``threads`` connections in parallel)."""
    source = template["instance"]
    old_ids = sorted(set(UUID_RE.findall(source["state_json"])) | {t["id"] for t in template["tasks"]}
                     | {t["spiff_task_id"] for t in template["timers"]})
    pattern = re.compile("|".join(map(re.escape, old_ids)))

    def rows(n: int) -> tuple[list[dict[str, Any]], ...]:
        instances, tasks, timers, heads = [], [], [], []
        for _ in range(n):
            new_id = str(uuid.uuid4())
            fresh = {old: str(uuid.uuid4()) for old in old_ids}
            state = pattern.sub(lambda m, f=fresh: f[m.group(0)], source["state_json"])
            instances.append({**source, "id": new_id, "state_json": state, "version_id": 1,
                              "business_key": source["business_key"]})
            tasks += [{**t, "id": fresh[t["id"]], "instance_id": new_id} for t in template["tasks"]]
            timers += [{k: v for k, v in t.items() if k != "id"} | {"instance_id": new_id,
                                                                     "spiff_task_id": fresh[t["spiff_task_id"]]}
                       for t in template["timers"]]
            if template["head"]:
                heads.append({**template["head"], "chain": new_id})
        return instances, tasks, timers, heads

    def work(share: int) -> None:
        done = 0
        while done < share:
            n = min(batch, share - done)
            instances, tasks, timers, heads = rows(n)
            with db.begin() as conn:
                conn.execute(insert(ProcessInstance.__table__), instances)
                if tasks:
                    conn.execute(insert(HumanTask.__table__), tasks)
                if timers:
                    conn.execute(insert(Timer.__table__), timers)
                if heads:
                    conn.execute(insert(ChainHead.__table__), heads)
            done += n

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    pool = [threading.Thread(target=work, args=(s,)) for s in shares if s]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
