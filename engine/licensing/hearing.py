"""The applicant's voice at the hearing (R10): a position or objection, with files, stated through the portal
before the hearing is held. The officer reads it with the application; the minutes of the hearing record it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine import audit, legal_time
from engine.errors import Conflict, FieldProblem, InvalidInput
from engine.licensing import notices, ownership
from engine.store.tables import HumanTask, StoredFile
from engine.transactions import transaction

MAX_TEXT = 20000


def state_position(service: Any, app_id: str, body: Any, *, user: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    text, documents = body.get("text"), body.get("documents", [])
    problems = []
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        problems.append(FieldProblem("text", f"the position's text is required (at most {MAX_TEXT} characters)"))
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        problems.append(FieldProblem("documents", "a list of file ids from POST /api/v1/files"))
    if problems:
        raise InvalidInput(problems)
    now = service.clock.now()
    with transaction(service._sf) as session:
        app = ownership.application(session, app_id, user)
        for i, file_id in enumerate(documents):
            row = session.get(StoredFile, file_id)
            if row is None or row.owner != user.username:
                raise InvalidInput(f"unknown file id '{file_id}': upload it with POST /api/v1/files",
                                   field=f"documents.{i}")
        hearing = session.scalars(select(HumanTask).where(HumanTask.instance_id == app.instance_id,
                                                          HumanTask.element == "hearing",
                                                          HumanTask.status == "open")).first()
        if hearing is None:
            raise Conflict("no hearing is pending for this application: a position is stated after the "
                           "preliminary decision and before the hearing is held (R10)")
        entry = {"at": legal_time.iso(now), "text": text, "documents": documents, "by": user.username}
        app.positions = [*(app.positions or []), entry]
        audit.append(session, at=now, actor=user.username, kind="position_stated", instance_id=app.instance_id,
                     element="hearing", clause="R10", data=entry)
        notices.post(session, at=now, kind="position_received", bin_iin=app.bin_iin, application_id=app.id,
                     licence_number=app.licence_number, instance_id=app.instance_id, element="hearing", clause="R10",
                     texts={"kk": "Алдын ала шешім бойынша ұстанымыңыз қабылданды; ол тыңдауда қаралады (10-тармақ).",
                            "ru": "Ваша позиция по предварительному решению принята и будет рассмотрена "
                                  "на заслушивании (п. 10).",
                            "en": "Your position on the preliminary decision was received; it will be heard (R10)."})
    return service.get_application(app_id, user=user)


def minutes_with_positions(minutes: str, positions: list[dict[str, Any]] | None) -> str:
    """The hearing minutes with the positions the applicant stated before it (R10)."""
    stated = [f"Позиция заявителя / өтініш берушінің ұстанымы ({p['at']}): {p['text']}"
              + (f" [{len(p['documents'])} файл]" if p.get("documents") else "") for p in positions or []]
    return "\n".join([minutes, *stated]) if stated else minutes
