"""Reissue of a licence on the grounds of arts. 33–34 of the Law on permits and notifications (R11–R15).

What the new licence carries, per ground (``changes`` of the application):

- ``rename_or_relocate``: ``name`` and/or ``address`` of the holder.
- ``reorganization``: ``merger``, ``transformation`` and ``accession`` pass the licence to one legal successor
  (``changes.successors[0]`` = {bin_iin, name, address}; by default the applicant); ``division`` ends the old
  holder and gives each successor its own licence (``changes.successors``, each may carry its ``data_centers``);
  ``spin_off`` keeps the old holder's licence (reissued with the data centres it keeps, ``changes.data_centers``)
  and gives each spun-off successor a licence for the data centres it takes.
- ``dc_relocation`` and ``power_source_change`` (subtype I only, refused at submission for subtype II):
  ``changes.data_centers``.
- ``subtype_rename`` and ``legal_requirement``: the licence is re-issued with the same data and the note.

The old licence stops being active at the moment the new one is signed, never before. A suspended licence may
be reissued (the change of a holder's name or a data centre does not cure a violation), and the suspension
carries over to the new licence until its end. A reissue of a revoked or already reissued licence is registered
like any other and refused with reasons (:func:`reissue_obstacle` names the ground for the officer's review).
"""

from __future__ import annotations

from typing import Any

from engine import legal_time
from engine.errors import ProcessFailure
from engine.licensing import notices, numbers, validity
from engine.licensing import register as licence_register
from engine.licensing.acts import issue_document, notify
from engine.operations import OperationCall
from engine.store.licensing_tables import Application, Licence


def _successors(app: Application, old_snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    body = app.body
    changes = body.get("changes") or {}
    grounds = set(body.get("grounds") or [])
    holder = dict(old_snapshot["holder"])
    data_centers = changes.get("data_centers") or old_snapshot.get("data_centers", [])
    if "rename_or_relocate" in grounds:
        holder.update({k: changes[k] for k in ("name", "address") if changes.get(k)})
    if "reorganization" in grounds:
        form = body.get("reorganization_form")
        successors = [s for s in changes.get("successors") or [] if isinstance(s, dict)]
        applicant = body.get("applicant", {})
        if form in ("merger", "transformation", "accession"):
            first = successors[0] if successors else applicant
            holder = {"name": first.get("name", holder["name"]), "bin_iin": first.get("bin_iin", holder["bin_iin"]),
                      "address": first.get("address", holder.get("address")), "kind": "legal_entity"}
        elif form in ("division", "spin_off"):
            result = []
            if form == "spin_off":
                result.append({"holder": holder, "data_centers": changes.get("data_centers") or data_centers})
            for s in successors or [applicant]:
                result.append({"holder": {"name": s.get("name"), "bin_iin": s.get("bin_iin"),
                                          "address": s.get("address"), "kind": "legal_entity"},
                               "data_centers": s.get("data_centers") or data_centers})
            return result
    return [{"holder": holder, "data_centers": data_centers}]


def reissue_obstacle(session: Any, number: str | None, at: Any) -> dict[str, Any] | None:
    """Why the licence cannot be reissued at ``at`` — revoked (LPN.45) or already replaced — as a finding with
    the refusal ground A3.10.7 and kk/ru/en texts; None when it can be."""
    licence = session.get(Licence, number) if number else None
    state = licence_register.current_state(session, licence.number, at) if licence else None
    status = licence_register.status_at(state, at) if state else None
    if licence is None or status not in ("revoked", "replaced"):
        return None
    if status == "revoked":
        texts = (f"{licence.number} лицензиясынан айырылған (РХЗ 45-бабы): оны қайта ресімдеуге болмайды",
                 f"лицензия № {licence.number} отозвана (ст. 45 Закона о разрешениях): переоформление невозможно",
                 f"licence {licence.number} was revoked (LPN.45): it cannot be reissued")
    else:
        texts = (f"{licence.number} лицензиясы бұрын {licence.replaced_by} болып қайта ресімделген",
                 f"лицензия № {licence.number} уже переоформлена на № {licence.replaced_by}",
                 f"licence {licence.number} was already reissued as {licence.replaced_by}")
    return {"licence_number": licence.number, "status": status, "ground": "A3.10.7",
            "text_kk": texts[0], "text_ru": texts[1], "text_en": texts[2]}


def issue_reissued_licence(call: OperationCall, app: Application, context: dict[str, Any]) -> dict[str, Any]:
    session, now = call.step.session, call.step.now
    old = session.get(Licence, app.licence_number)
    if old is None:
        raise ProcessFailure(f"licence {app.licence_number} is not in the register")
    state = licence_register.current_state(session, old.number, now)
    if state is None or licence_register.status_at(state, now) in ("revoked", "replaced"):
        raise ProcessFailure(f"licence {old.number} can no longer be reissued")
    suspended_until = state.status_until if licence_register.status_at(state, now) == "suspended" else None
    created: list[str] = []
    documents: list[str] = []
    for part in _successors(app, state.snapshot):
        number = numbers.licence_number(session, now, old.subtype)
        annex_number = f"{number}/1"
        annexes = [{"number": annex_number, "issued_at": legal_time.iso(now), "data_centers": part["data_centers"]}]
        holder = part["holder"]
        if not holder.get("bin_iin") or not holder.get("name"):
            raise ProcessFailure("every successor needs a name and a BIN")
        licence_register.create(session, number=number, subtype=old.subtype, holder=holder,
                                data_centers=part["data_centers"], annexes=annexes, pool=state.snapshot.get("pool"),
                                issued_at=now, application_id=app.id, instance_id=call.step.instance.id,
                                replaces=old.number)
        if suspended_until is not None:
            licence_register.change(session, number, status="suspended", at=now, until=suspended_until,
                                    reason=f"suspension of {old.number} carried over",
                                    instance_id=call.step.instance.id)
        ctx = {**context, "holder": holder, "data_centers": part["data_centers"], "licence_number": number,
               "replaces": old.number, "subtype": old.subtype, "annex_number": annex_number}
        documents += issue_document(call, app, "licence", ctx, template="reissued_licence", number=number,
                            licence_number=number)
        documents += issue_document(call, app, "annex", ctx, number=annex_number, licence_number=number)
        created.append(number)
    app.licence_number, app.outcome = created[0], "reissued"
    for number in created:  # the reissued licence keeps the original term (LDA art. 9)
        validity.start(call, app, number)
    notify(call, app, "reissued", notices.render("reissued", licence=", ".join(created), replaces=old.number))
    call.step.audit("licence_reissued", element=call.element, clause="R15",
                    data={"replaces": old.number, "licences": created, "grounds": app.body.get("grounds")})
    return {"outcome": "reissued", "licence_number": created[0], "licences": created, "replaces": old.number,
            "documents": documents}
