"""Use cases of the portal and the register: files, applications, documents, licences, pool notices."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

import forms
from engine import audit, inspection, legal_time
from engine.clock import Clock
from engine.errors import Conflict, FieldProblem, InvalidInput, NotFound
from engine.gateway import Gateway, HttpGateway, HttpGatewayClient, SimulatedGateway, UnconfiguredGateway
from engine.licensing import (
    complaints,
    hearing,
    notices,
    numbers,
    ownership,
    register,
    suspensions,
    task_rules,
    terms_table,
)
from engine.licensing.acts import PROCESS_OF, start_procedure
from engine.licensing.documents import DocumentIssuer
from engine.licensing.gateway_store import DbSeedStore, seed
from engine.licensing.operations import on_term_breach
from engine.runtime.step import Ports
from engine.signing.keystore import Keystore
from engine.store.licensing_tables import (
    Application,
    CabinetNotice,
    Document,
    Licence,
    PoolNotice,
)
from engine.store.tables import ProcessInstance, StoredFile, Timer
from engine.transactions import reading, transaction

if TYPE_CHECKING:  # the wiring is built by engine.bootstrap, which imports this domain's operations
    from engine.bootstrap import Wiring

def build_licensing(*, clock: Clock, keys_dir: Path, gateway: HttpGatewayClient | None = None,
                    simulated_gateway: bool = True, trust_demo: bool = False, trust_roots: tuple[Path, ...] = (),
                    signer_position: str = "", verify_base_url: str = "") -> tuple[LicensingService, Ports]:
    """The service and its ports. The gateway: over HTTP when a client is given, else the simulation when
    allowed (simulated clock or demo), else one that fails every call (an incident, never a finding).
    ``trust_demo``: the demo CA is a trust root and issues demo staff certificates (never in production)."""
    keystore = Keystore(keys_dir, trust_demo=trust_demo, trust_root_files=list(trust_roots))
    keystore.ensure(clock.now())
    kk, _, ru = signer_position.partition(" / ")
    issuer = DocumentIssuer(keystore, signer_position={"kk": kk.strip(), "ru": (ru or kk).strip()},
                            verify_base_url=verify_base_url)
    ports = Ports({"documents": issuer, "seed_store": DbSeedStore, "on_term_breach": on_term_breach,
                   "task_rules": task_rules.check,
                   "gateway": _gateway_opener(gateway, simulated_gateway)})
    return LicensingService(clock=clock, issuer=issuer), ports


def _gateway_opener(client: HttpGatewayClient | None, simulated: bool) -> Callable[[Any], Gateway]:
    """What a step asks the gateway through; HTTP exchanges go to the instance's audit log."""
    if client is not None:
        return lambda step: HttpGateway(client, record=lambda exchange: step.audit(
            "gateway_call", data=exchange, actor="system"))
    if simulated:
        return lambda step: SimulatedGateway(DbSeedStore(step.session))
    return lambda step: UnconfiguredGateway()


def _problems(errors: list[Any]) -> list[FieldProblem]:
    return [FieldProblem(e.field, e.message) for e in errors]


class LicensingService:
    def __init__(self, *, clock: Clock, issuer: DocumentIssuer) -> None:
        self.clock = clock
        self.issuer = issuer
        self.wiring: Wiring | None = None

    def bind(self, wiring: Wiring) -> None:
        self.wiring = wiring
        terms_table.load(wiring.engine.session_factory)  # the legal terms in force come from the database

    @property
    def _sf(self):  # type: ignore[no-untyped-def]
        assert self.wiring is not None
        return self.wiring.engine.session_factory

    # -- files ----------------------------------------------------------------------------------------------

    def store_file(self, *, owner: str, name: str, content: bytes, declared_type: str | None) -> dict[str, Any]:
        if not content:
            raise InvalidInput("the file is empty", field="file")
        if len(content) > forms.MAX_UPLOAD_BYTES:
            raise InvalidInput(f"the file is larger than {forms.MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
        media_type = forms.sniff_media_type(content)
        if media_type is None:
            raise InvalidInput("only PDF, PNG and JPEG files are accepted (checked by content)", field="file")
        file_id = str(uuid.uuid4())
        with transaction(self._sf) as session:
            session.add(StoredFile(id=file_id, owner=owner, name=name[:300] or "file", media_type=media_type,
                                   size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
                                   uploaded_at=self.clock.now()))
        return {"id": file_id, "media_type": media_type, "size": len(content),
                "declared_type_matches": declared_type in (None, "", media_type)}

    def get_file(self, file_id: str, *, user: Any) -> StoredFile:
        with reading(self._sf) as session:
            row = ownership.stored_file(session, file_id, user)
            session.expunge(row)
            return row

    # -- applications ----------------------------------------------------------------------------------------

    def submit(self, body: Any, *, idempotency_key: str, portal_user: str) -> tuple[dict[str, Any], bool]:
        """Validate, register and start the procedure; returns (application, created)."""
        if not idempotency_key or len(idempotency_key) > 200:
            raise InvalidInput("the Idempotency-Key header is required (at most 200 characters)",
                               field="Idempotency-Key")
        if not isinstance(body, dict):
            raise InvalidInput("the body must be a JSON object", field="")
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        existing = self._by_idempotency(portal_user, idempotency_key)
        if existing is not None:
            if existing[1] != digest:
                raise Conflict("this Idempotency-Key was used with a different body")
            return self.get_application(existing[0]), False
        now = self.clock.now()
        body = self._with_licence_subtype(body)
        problems = _problems(forms.validate_application(body, submitted_on=legal_time.to_local(now).date()))
        if problems:
            raise InvalidInput(problems)
        procedure = body["procedure"]
        with transaction(self._sf) as session:
            ownership.check_acts_for(session, portal_user, body["applicant"]["bin_iin"])
            problems = self._check_references(session, body, portal_user)
            if problems:
                raise InvalidInput(problems)
            licence = None
            if procedure == "reissue":
                licence = self._reissue_target(session, body, portal_user)
            elif procedure == "annex":
                licence = self._annex_target(session, body, portal_user, now)
            app = Application(
                id=str(uuid.uuid4()), number=numbers.application_number(session, now), procedure=procedure,
                subtype=body.get("subtype") or (licence.subtype if licence else None),
                bin_iin=body["applicant"]["bin_iin"], applicant_name=body["applicant"]["name"],
                applicant_key=body["applicant"]["name"].casefold(),
                licence_number=body.get("licence_number"), body=body, portal_user=portal_user,
                idempotency_key=idempotency_key, body_sha256=digest, submitted_at=now, status="submitted",
            )
            session.add(app)
            session.flush()
            assert self.wiring is not None
            data = {"application": body, "application_id": app.id, "application_number": app.number,
                    "subtype": app.subtype, "submitted_at": legal_time.iso(now)}
            if licence is not None:
                data["licence_number"] = licence.number
            instance = start_procedure(session, self.wiring.engine.runtime, PROCESS_OF[procedure], data,
                                       actor=portal_user, application_id=app.id)
            app.instance_id = instance.id
            audit.append(session, at=now, actor=portal_user, kind="application_submitted", instance_id=instance.id,
                         clause="R4", data={"application_id": app.id, "number": app.number,
                                            "procedure": procedure, "idempotency_key": idempotency_key})
            app_id, instance_id = app.id, instance.id
        # the gateway checks run in steps of their own: an outage leaves the application registered, waiting
        self.wiring.engine.operator.run_continuations(instance_id=instance_id)
        return self.get_application(app_id), True

    def _by_idempotency(self, portal_user: str, key: str) -> tuple[str, str] | None:
        with reading(self._sf) as session:
            row = session.execute(select(Application.id, Application.body_sha256).where(
                Application.portal_user == portal_user, Application.idempotency_key == key)).first()
            return (row[0], row[1]) if row else None

    def _check_references(self, session: Any, body: dict[str, Any], portal_user: str) -> list[FieldProblem]:
        problems = []
        for path, file_id in forms.file_refs(body):
            row = session.get(StoredFile, file_id) if isinstance(file_id, str) else None
            if row is None or row.owner != portal_user:
                problems.append(FieldProblem(path, f"unknown file id '{file_id}': upload it with POST /api/v1/files"))
        return problems

    def _with_licence_subtype(self, body: dict[str, Any]) -> dict[str, Any]:
        """An annex application carries the licence's subtype (the register's, unless the applicant named one)."""
        if body.get("procedure") != "annex" or "subtype" in body or not isinstance(body.get("licence_number"), str):
            return body
        with reading(self._sf) as session:
            licence = session.get(Licence, body["licence_number"])
        return {**body, "subtype": licence.subtype} if licence is not None else body

    def _annex_target(self, session: Any, body: dict[str, Any], portal_user: str, now: datetime) -> Licence:
        number = body.get("licence_number")
        licence = session.get(Licence, number)
        if licence is None or not ownership.owns_licence(session, licence, portal_user):
            raise InvalidInput(f"unknown licence '{number}'", field="licence_number")
        if licence.holder_bin_iin != body["applicant"]["bin_iin"]:
            raise InvalidInput("the applicant is not the holder of this licence", field="applicant.bin_iin")
        if body.get("subtype") != licence.subtype:
            raise InvalidInput(f"licence {number} is subtype {licence.subtype}", field="subtype")
        status = register.as_of(session, licence.number, now)["status"]
        if status != "active":
            raise Conflict(f"licence {number} is {status}: an annex is added only to an active licence")
        return licence

    def _reissue_target(self, session: Any, body: dict[str, Any], portal_user: str) -> Licence:
        number = body.get("licence_number")
        licence = session.get(Licence, number)
        if licence is None or not ownership.owns_licence(session, licence, portal_user):
            raise InvalidInput(f"unknown licence '{number}'", field="licence_number")
        # a revoked or already replaced licence is not malformed input: the reissue is registered and refused
        # with reasons by the procedure (engine/licensing/reissue.py, reissue_obstacle)
        if licence.holder_bin_iin != body["applicant"]["bin_iin"] and "reorganization" not in body.get("grounds", []):
            raise InvalidInput("the applicant is not the holder of this licence", field="applicant.bin_iin")
        subtype_only = {"dc_relocation", "power_source_change"} & set(body.get("grounds", []))
        if subtype_only and licence.subtype != "I":
            raise InvalidInput(f"grounds {', '.join(sorted(subtype_only))} apply to subtype I licences only "
                               f"(licence {number} is subtype {licence.subtype})", field="grounds")
        return licence

    def get_application(self, app_id: str, *, user: Any = None) -> dict[str, Any]:
        with reading(self._sf) as session:
            if user is None:  # the system itself (internal callers)
                app = session.get(Application, app_id)
                if app is None:
                    raise NotFound(f"application {app_id} does not exist")
            else:
                app = ownership.application(session, app_id, user)
            instance = session.get(ProcessInstance, app.instance_id) if app.instance_id else None
            timers = list(session.scalars(select(Timer).where(Timer.instance_id == app.instance_id)
                                          .order_by(Timer.due_at, Timer.id))) if app.instance_id else []
            notices = session.scalars(select(CabinetNotice).where(CabinetNotice.application_id == app.id)
                                      .order_by(CabinetNotice.id))
            seen: set[tuple[str, str]] = set()
            deadlines = []
            for t in timers:
                if t.clause and (t.clause, t.name) not in seen and (t.attached_to is None or t.clause != ""):
                    seen.add((t.clause, t.name))
                    deadlines.append({"name": t.name, "clause": t.clause, "due_at": legal_time.iso(t.due_at),
                                      "element": t.element, "met": _term_met(t, instance),
                                      "term": _term_state(t, instance), "fired_at": _iso(t.fired_at)})
            return {
                "id": app.id, "number": app.number, "procedure": app.procedure, "subtype": app.subtype,
                "status": _status(app, instance), "submitted_at": legal_time.iso(app.submitted_at),
                "registered_at": _iso(app.registered_at), "expected_result_at": _iso(app.expected_result_at),
                "deadlines": deadlines, "outcome": app.outcome, "licence_number": app.licence_number
                if app.outcome in ("issued", "reissued") or app.procedure in ("reissue", "annex") else None,
                "decided_at": _iso(app.decided_at), "refusal_grounds": app.refusal_grounds,
                "positions": app.positions or [],
                "notices": [{"at": legal_time.iso(n.at), "kind": n.kind, "text_kk": n.text_kk,
                             "text_ru": n.text_ru, "text_en": n.text_en} for n in notices],
                "instance_id": app.instance_id,
                "applicant": {"bin_iin": app.bin_iin, "name": app.applicant_name},
                "warnings": [w.as_dict() for w in forms.application_warnings(
                    app.body, submitted_on=legal_time.to_local(app.submitted_at).date())],
            }

    def application_body(self, app_id: str) -> dict[str, Any]:
        with reading(self._sf) as session:
            app = session.get(Application, app_id)
            if app is None:
                raise NotFound(f"application {app_id} does not exist")
            return dict(app.body)

    # -- documents ------------------------------------------------------------------------------------------------

    def documents(self, app_id: str, *, user: Any) -> list[dict[str, Any]]:
        self.get_application(app_id, user=user)
        with reading(self._sf) as session:
            rows = session.scalars(select(Document).where(Document.application_id == app_id)
                                   .order_by(Document.signed_at, Document.kind, Document.lang))
            return [_doc(r) for r in rows]

    def positions(self, app_id: str) -> list[dict[str, Any]]:
        """The positions the applicant stated on the preliminary decision (R10): text, files, when and by whom."""
        with reading(self._sf) as session:
            app = session.get(Application, app_id)
            return list(app.positions or []) if app is not None else []

    def instance_record(self, instance_id: str, application_id: str | None) -> dict[str, Any]:
        """For the auditor: the acts an instance issued with each one's verification, and the notices of its
        application (the cabinet's view)."""
        with reading(self._sf) as session:
            rows = list(session.scalars(select(Document).where(Document.instance_id == instance_id)
                                        .order_by(Document.signed_at, Document.kind, Document.lang)))
            verdicts = {d.id: self.issuer.verify(session, d) for d in rows}
            cabinet: list[CabinetNotice] = list(session.scalars(
                select(CabinetNotice).where(CabinetNotice.application_id == application_id)
                .order_by(CabinetNotice.id))) if application_id else []
            return {"documents": [_doc(d) for d in rows], "verdicts": verdicts,
                    "notices": [{"id": n.id, "at": n.at, "kind": n.kind, "text_kk": n.text_kk, "text_ru": n.text_ru,
                                 "text_en": n.text_en} for n in cabinet]}

    def document(self, doc_id: str, *, user: Any) -> Document:
        with reading(self._sf) as session:
            row = ownership.document(session, doc_id, user)
            session.expunge(row)
            return row

    def verify_document(self, doc_id: str, *, user: Any) -> dict[str, Any]:
        self.document(doc_id, user=user)  # the caller may read it
        with reading(self._sf) as session:
            row = session.get(Document, doc_id)
            assert row is not None
            result = self.issuer.verify(session, row)
        return {**result, "number": row.number, "kind": row.kind, "lang": row.lang}

    def verify_number(self, number: str) -> dict[str, Any]:
        """Public: is every act with this number valid, and who signed it when (no personal data)."""
        with reading(self._sf) as session:
            rows = list(session.scalars(select(Document).where(Document.number == number)
                                        .order_by(Document.kind, Document.lang)))
            if not rows:
                raise NotFound(f"no act has the number {number}")
            documents = []
            for row in rows:
                result = self.issuer.verify(session, row)
                documents.append({"kind": row.kind, "lang": row.lang, "valid": result["valid"],
                                  "signed_by": result["signer"], "position": result["position"],
                                  "signed_at": result["signed_at"]})
        return {"number": number, "documents": documents}

    # -- register --------------------------------------------------------------------------------------------------

    def licence(self, number: str, *, user: Any, at: datetime | None = None) -> dict[str, Any]:
        with reading(self._sf) as session:
            ownership.licence(session, number, user)
            return register.as_of(session, number, at or self.clock.now())

    def pool_notice(self, number: str, body: Any, *, user: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise InvalidInput("the body must be a JSON object")
        problems: list[FieldProblem] = []
        changed_at = _parse_moment(body.get("changed_at"), "changed_at", problems)
        pool = body.get("pool")
        if not isinstance(pool, dict) or not isinstance(pool.get("name"), str) or not str(pool["name"]).strip():
            problems.append(FieldProblem("pool.name", "the pool's name is required"))
        if problems:
            raise InvalidInput(problems)
        assert changed_at is not None
        now = self.clock.now()
        if changed_at > now:
            raise InvalidInput("the change cannot be in the future", field="changed_at")
        due = legal_time.add_working_days(changed_at, 2)
        late = now > due
        with transaction(self._sf) as session:
            licence = ownership.licence(session, number, user)
            session.add(PoolNotice(licence_number=number, changed_at=changed_at, received_at=now, due_at=due,
                                   late=late, pool=pool, submitted_by=user.username))
            register.change(session, number, status=register.current_state(session, number).status,  # type: ignore[union-attr]
                            at=now, reason="pool information changed (R16)" + (" — late notice" if late else ""),
                            until=register.current_state(session, number).status_until,  # type: ignore[union-attr]
                            snapshot_update={"pool": pool})
            audit.append(session, at=now, actor=user.username, kind="pool_notice", clause="R16",
                         data={"licence": number, "changed_at": legal_time.iso(changed_at),
                               "due_at": legal_time.iso(due), "late": late, "pool": pool})
            notices.post(session, at=now, kind="pool_notice_received", bin_iin=licence.holder_bin_iin,
                         licence_number=number, clause="R16", texts={
                             "kk": f"Пул туралы хабарлама қабылданды (лицензия № {number})"
                                   + (" — мерзімі өткен" if late else ""),
                             "ru": f"Уведомление об изменении пула принято (лицензия № {number})"
                                   + (" — с нарушением срока" if late else ""),
                             "en": f"Pool change notice received (licence {number})" + (" — late" if late else "")})
        return {"due_at": legal_time.iso(due), "late": late, "received_at": legal_time.iso(now),
                "licence_number": number}

    def state_position(self, app_id: str, body: Any, *, user: Any) -> dict[str, Any]:
        """The applicant's position before the hearing (R10): engine/licensing/hearing.py."""
        return hearing.state_position(self, app_id, body, user=user)

    # -- complaints and suspensions (engine/licensing/complaints.py, suspensions.py) ------------------------------

    def file_complaint(self, body: Any, *, user: Any) -> dict[str, Any]:
        return complaints.file_complaint(self, body, user=user)

    def court_appeal(self, complaint_id: str, body: Any, *, user: Any) -> dict[str, Any]:
        return complaints.court_appeal(self, complaint_id, body, user=user)

    def start_suspension(self, number: str, body: Any, *, user: Any) -> dict[str, Any]:
        return suspensions.start_suspension(self, number, body, user=user)

    def report_remedy(self, instance_id: str, body: Any, *, user: Any) -> dict[str, Any]:
        return suspensions.report_remedy(self, instance_id, body, user=user)

    # -- the legal terms in force and their four-eyes changes (engine/licensing/terms_table.py) ------------------

    def legal_terms(self) -> list[dict[str, Any]]:
        return terms_table.listing(self._sf)

    def term_proposals(self) -> list[dict[str, Any]]:
        return terms_table.proposals(self._sf)

    def propose_term_change(self, body: dict[str, Any], *, user: Any) -> dict[str, Any]:
        return terms_table.propose(self._sf, body, actor=user.username, now=self.clock.now())

    def approve_term_change(self, proposal_id: str, *, user: Any) -> dict[str, Any]:
        return terms_table.approve(self._sf, proposal_id, actor=user.username, now=self.clock.now())

    def seed_gateway(self, registry: str, bin_iin: str, body: Any) -> dict[str, Any]:
        with transaction(self._sf) as session:
            return seed(session, registry, bin_iin, body, now=self.clock.now())


def _parse_moment(value: Any, field: str, problems: list[FieldProblem]) -> datetime | None:
    if not isinstance(value, str):
        problems.append(FieldProblem(field, "an ISO-8601 moment with offset is required"))
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.append(FieldProblem(field, "not an ISO-8601 moment"))
        return None
    if moment.tzinfo is None:
        problems.append(FieldProblem(field, "the moment needs a time zone offset"))
        return None
    return moment


def _iso(value: datetime | None) -> str | None:
    return legal_time.iso(value) if value else None


def _term_state(timer: Timer, instance: ProcessInstance | None) -> str:
    """kept / breached / not_completed / pending: the same verdict the auditors' views show."""
    return inspection.term_outcome(due_at=timer.due_at, fired_at=timer.fired_at, cancelled_at=timer.cancelled_at,
                                   instance_status=instance.status if instance else "running",
                                   instance_ended_at=instance.ended_at if instance else None)


def _term_met(timer: Timer, instance: ProcessInstance | None) -> bool | None:
    """True only when kept (the action came before the due moment); None while pending or not completed."""
    return {"kept": True, "breached": False}.get(_term_state(timer, instance))


def _status(app: Application, instance: ProcessInstance | None) -> str:
    if app.outcome:
        return "completed"
    if instance is None:
        return app.status
    if instance.status != "running":
        return instance.status
    return app.status


def _doc(row: Document) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "lang": row.lang, "number": row.number, "media_type": row.media_type,
            "signed_at": legal_time.iso(row.signed_at), "signer": row.signer, "licence_number": row.licence_number}

