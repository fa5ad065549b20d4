"""The analysts' use cases: validate and deploy diagrams, compare versions, keep a draft per diagram."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select

from engine import audit
from engine.bpmn import trial
from engine.bpmn.diff import diff
from engine.errors import DefinitionInvalid, DefinitionProblem, NotFound
from engine.services.parts import EngineParts
from engine.store.tables import AnalystDraft, ProcessDefinition, ProcessInstance
from engine.transactions import reading, transaction
from engine.views import DefinitionView


class AnalystService:
    def __init__(self, parts: EngineParts) -> None:
        self._parts = parts
        self._sf = parts.session_factory

    def validate(self, data: bytes | str, name: str, *, actor: str) -> list[DefinitionProblem]:
        """Every problem of a BPMN file (empty when valid); the attempt is audited with the analyst's name."""
        try:
            self._parts.definitions.validate(data, name)
            problems: list[DefinitionProblem] = []
        except DefinitionInvalid as exc:
            problems = exc.problems
        self._audit(data, name, actor=actor, kind="process_validated", problems=problems)
        return problems

    def deploy(self, data: bytes | str, name: str, *, actor: str) -> list[DefinitionView]:
        """Validate and deploy; a refused deploy is audited too (its transaction deployed nothing)."""
        now = self._parts.clock.now()
        try:
            with transaction(self._sf) as session:
                rows = self._parts.definitions.deploy(session, data, name, actor=actor, now=now)
                for row, created in rows:
                    if created:
                        audit.append(session, at=now, actor=actor, kind="process_deployed",
                                     data={"key": row.key, "version": row.version, "sha256": row.sha256,
                                           "source": name})
                return [_definition_view(row, created) for row, created in rows]
        except DefinitionInvalid as exc:
            self._audit(data, name, actor=actor, kind="process_deploy_refused", problems=exc.problems)
            raise

    def trial_run(self, data: bytes | str, key: str, body: dict[str, Any]) -> dict[str, Any]:
        """Run a (draft) diagram in memory on a simulated clock (engine/bpmn/trial.py): nothing is stored."""
        validated = self._parts.definitions.validate(data, f"{key}.bpmn")
        info = validated.processes.get(key)
        if info is None:
            raise NotFound(f"the diagram has no process '{key}'")
        return trial.run(validated.parsed, info, body, validate_form=self._parts.runtime.validate_form)

    def list_definitions(self) -> list[DefinitionView]:
        with reading(self._sf) as session:
            counts = dict(session.execute(
                select(ProcessInstance.definition_id, func.count()).group_by(ProcessInstance.definition_id)).all())
            return [_definition_view(r, True, counts.get(r.id, 0)) for r in self._parts.definitions.versions(session)]

    def definition_xml(self, key: str, version: int) -> str:
        if not 1 <= version <= 2**31 - 1:
            raise NotFound(f"process '{key}' has no version {version}")
        with reading(self._sf) as session:
            row = session.scalars(select(ProcessDefinition).where(
                ProcessDefinition.key == key, ProcessDefinition.version == version)).first()
            if row is None:
                raise NotFound(f"process '{key}' has no version {version}")
            return row.bpmn_xml

    def diff(self, key: str, old_version: int, new_version: int) -> dict[str, Any]:
        return diff(self.definition_xml(key, old_version), self.definition_xml(key, new_version), key)

    def save_draft_diagram(self, key: str, xml: str, *, owner: str, base_version: int) -> None:
        now = self._parts.clock.now()
        with transaction(self._sf) as session:
            row = session.get(AnalystDraft, (owner, key))
            if row is None:
                session.add(AnalystDraft(owner=owner, key=key, base_version=base_version, bpmn_xml=xml, updated_at=now))
            else:
                row.bpmn_xml, row.base_version, row.updated_at = xml, base_version, now

    def draft_diagram(self, key: str, *, owner: str) -> str | None:
        with reading(self._sf) as session:
            row = session.get(AnalystDraft, (owner, key))
            return row.bpmn_xml if row else None

    def discard_draft_diagram(self, key: str, *, owner: str) -> None:
        with transaction(self._sf) as session:
            row = session.get(AnalystDraft, (owner, key))
            if row is not None:
                session.delete(row)

    def _audit(self, data: bytes | str, name: str, *, actor: str, kind: str, problems: list[DefinitionProblem]) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with transaction(self._sf) as session:
            audit.append(session, at=self._parts.clock.now(), actor=actor, kind=kind,
                         data={"source": name, "sha256": hashlib.sha256(raw).hexdigest(),
                               "valid": not problems, "problems": len(problems)})


def _definition_view(row: ProcessDefinition, created: bool, instances: int = 0) -> DefinitionView:
    return DefinitionView(row.key, row.version, row.deployed_at, row.deployed_by, row.sha256, row.source_name,
                          created, instances)
