"""Deployed process definitions: validation, immutable versions, and a per-version spec cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn import loader
from engine.bpmn.elements import ProcessInfo, read_process
from engine.bpmn.rules import check_process
from engine.bpmn.serializer import StateSerializer
from engine.errors import DefinitionInvalid, DefinitionProblem, NotFound
from engine.store.tables import ProcessDefinition


@dataclass(frozen=True)
class LoadedDefinition:
    id: int
    key: str
    version: int
    sha256: str
    spec: Any
    subprocess_specs: dict[str, Any]
    info: ProcessInfo


@dataclass(frozen=True)
class ValidatedDiagram:
    parsed: loader.ParsedDiagram
    processes: dict[str, ProcessInfo]


class DefinitionStore:
    """Validates and deploys BPMN; restores each version's spec once and keeps it."""

    def __init__(
        self,
        serializer: StateSerializer,
        *,
        form_exists: Callable[[str], bool],
        operations: Collection[str],
    ) -> None:
        self._serializer = serializer
        self._form_exists = form_exists
        self._operations = operations
        self._cache: dict[int, LoadedDefinition] = {}
        self._lock = threading.Lock()

    def validate(self, data: bytes | str, name: str) -> ValidatedDiagram:
        """Every check: well-formed and safe XML, BPMN 2.0 schema, executable, project rules."""
        parsed = loader.parse(data, name)
        processes = {pid: read_process(parsed.tree, pid) for pid in parsed.process_ids}
        problems: list[DefinitionProblem] = []
        for info in processes.values():
            problems += check_process(name, info, form_exists=self._form_exists, operations=self._operations)
        if problems:
            raise DefinitionInvalid(problems)
        return ValidatedDiagram(parsed, processes)

    def deploy(
        self, session: Session, data: bytes | str, name: str, *, actor: str, now: datetime
    ) -> list[tuple[ProcessDefinition, bool]]:
        """Deploy every process of the file; returns (row, created) — unchanged content is not redeployed."""
        validated = self.validate(data, name)
        result = []
        for key in validated.processes:
            latest = self._latest_row(session, key)
            if latest is not None and latest.sha256 == validated.parsed.sha256:
                result.append((latest, False))
                continue
            spec = validated.parsed.spec(key)
            subs = validated.parsed.subprocess_specs(key)
            row = ProcessDefinition(
                key=key,
                version=(latest.version + 1) if latest else 1,
                sha256=validated.parsed.sha256,
                deployed_at=now,
                deployed_by=actor,
                source_name=name,
                bpmn_xml=validated.parsed.text,
                spec_json=self._serializer.dump_spec(spec, subs),
            )
            session.add(row)
            session.flush()
            result.append((row, True))
        return result

    def _latest_row(self, session: Session, key: str) -> ProcessDefinition | None:
        return session.scalars(
            select(ProcessDefinition).where(ProcessDefinition.key == key).order_by(ProcessDefinition.version.desc())
        ).first()

    def latest(self, session: Session, key: str) -> LoadedDefinition:
        row_id = session.scalar(
            select(ProcessDefinition.id)
            .where(ProcessDefinition.key == key)
            .order_by(ProcessDefinition.version.desc())
            .limit(1)
        )
        if row_id is None:
            raise NotFound(f"process '{key}' is not deployed")
        return self.load(session, row_id)

    def load(self, session: Session, definition_id: int) -> LoadedDefinition:
        cached = self._cache.get(definition_id)
        if cached is not None:
            return cached
        row = session.get(ProcessDefinition, definition_id)
        if row is None:
            raise NotFound(f"process definition {definition_id} does not exist")
        spec, subs = self._serializer.load_spec(row.spec_json)
        tree = loader.parse_xml(row.bpmn_xml.encode("utf-8"), row.source_name)
        loaded = LoadedDefinition(row.id, row.key, row.version, row.sha256, spec, subs, read_process(tree, row.key))
        with self._lock:
            self._cache[definition_id] = loaded
        return loaded

    def versions(self, session: Session) -> list[ProcessDefinition]:
        query = select(ProcessDefinition).order_by(ProcessDefinition.key, ProcessDefinition.version)
        return list(session.scalars(query))
