"""The persisted engine in-process: complete licence-issue procedures, the way the web app runs them.

The app is built exactly as ``web.create_app`` builds it (migrations, diagrams deployed, the licensing
service bound to the engine) on a simulated clock; a procedure is then what the portal and the staff do
through the API, minus HTTP: ``LicensingService.submit`` (which registers the application and starts
``licence_issue``), and for each of completeness_check → qualification_check → sign_licence the task list
lookup (``engine.officer.list_tasks``) and ``engine.officer.complete_task``. It ends with a signed licence.

Uploads and gateway seeds an applicant makes before submitting are prepared outside the timed region.
With ``documents="stub"`` the PDF/XMLDSig issuer is replaced by one that stores empty documents, which
leaves the engine and the licensing operations alone in the measurement.
"""

from __future__ import annotations

import copy
import hashlib
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.licensing.documents import DocumentIssuer
from engine.queries import TaskFilter
from engine.store.licensing_tables import Document

MINI_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STEPS = (("completeness_check", {"decision": "complete"}, "officer"),
         ("qualification_check", {"decision": "compliant"}, "officer"),
         ("sign_licence", {"decision": "sign"}, "signer"))
_serial = iter(range(10_000_000))
TERM_END = "2025-06-27T18:30:00+05:00"  # MORNING + 15 working days (A3.4)


class StubIssuer(DocumentIssuer):
    """Stores each document (kk, ru) without rendering the PDF or signing the XML."""

    def issue(self, session: Any, *, kind: str, number: str, context: dict[str, Any], template: str | None = None,
              signer_name: str, signed_at: datetime, application_id: str | None, instance_id: str | None,
              licence_number: str | None = None) -> list[Document]:
        rows = []
        for lang in ("kk", "ru"):
            row = Document(id=str(uuid.uuid4()), application_id=application_id, instance_id=instance_id,
                           licence_number=licence_number, kind=kind, lang=lang, number=number,
                           media_type="application/pdf", context={**context, "number": number, "lang": lang},
                           pdf=b"", pdf_sha256=hashlib.sha256(b"").hexdigest(), signed_xml=b"", signer=signer_name,
                           signed_at=signed_at)
            session.add(row)
            rows.append(row)
        session.flush()
        return rows


def valid_bin() -> str:
    """A new legal entity's BIN with a correct check digit (as tests/web/portal.valid_bin)."""
    while True:
        first = f"21034{next(_serial) % 1_000_000:06d}"
        for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
            rest = sum(int(d) * w for d, w in zip(first, weights, strict=True)) % 11
            if rest != 10:
                return first + str(rest)


def make_app(database_url: str, keys_dir: Path, *, now: str | None = None, demo: bool = False) -> Any:
    """The Flask app as production builds it (web.create_app with a web.config override), clock simulated."""
    from web import create_app

    app = create_app({"MIGRATE_ON_START": True, "DATABASE_URL": database_url, "CLOCK": "simulated", "DEMO": demo,
                      "KEYS_DIR": str(keys_dir), "RUN_SCHEDULER": False})
    if now is not None:
        app.extensions["licensing"].clock.set(datetime.fromisoformat(now))
    return app


class LicenceDriver:
    """Drives licence-issue procedures through the licensing service and the engine of one app."""

    def __init__(self, app: Any, *, documents: str = "real") -> None:
        self.services = app.extensions["licensing"]
        self.licensing = self.services.licensing
        self.engine = self.services.engine
        if documents == "stub":
            self.services.wiring.ports.services["documents"] = StubIssuer(self.licensing.issuer.keystore)

    def prepare(self, subtype: str = "I") -> dict[str, Any]:
        """What the applicant does before submitting: upload the files, pay the fee (untimed)."""
        lic = self.licensing

        def upload() -> str:
            return lic.store_file(owner="portal", name="doc.pdf", content=MINI_PDF, declared_type=None)["id"]

        bin_iin = valid_bin()
        if subtype == "I":
            centers: list[dict[str, Any]] = [{"address": "Екібастұз қ., Өнеркәсіп аймағы, 5",
                                              "power_source": "single_buyer"}]
            qualification: dict[str, Any] = {
                "hardware_registry_notice": "HW-2025-000123", "pool": {"name": "KZ Pool", "document": upload()},
                "data_center_document": upload(), "metering_document": upload(),
                "connected_before_2023_04_01": False, "grid_connection_document": upload()}
        else:
            centers = [{"address": "Астана қ., Технопарк, 1"}]
            qualification = {"hardware_registry_notice": "HW-2025-000777", "pool": None}
        body = {"procedure": "issue", "subtype": subtype,
                "applicant": {"kind": "legal_entity", "bin_iin": bin_iin, "name": "ТОО «Digital Mining KZ»",
                              "address": "Павлодар облысы, Екібастұз қ., Энергетиков к-сі, 12",
                              "email": "office@dmkz.kz", "phone": "+7 701 234 56 78"},
                "data_centers": centers, "qualification": qualification,
                "confirmations": {"official_contacts": True, "no_court_ban": True, "documents_true": True,
                                  "personal_data_consent": True},
                "signed_by": "Ахметов А.А."}
        fee = {"I": 2000, "II": 5}[subtype] * 3932  # MCI rates (A3.7) × the 2025 MCI
        lic.seed_gateway("payments", bin_iin, {"payments": [{"purpose": "licence_fee", "amount_kzt": fee,
                                                             "paid_at": "2025-06-02T12:00:00+05:00",
                                                             "reference": "PAY-1"}]})
        return body

    def submit(self, body: dict[str, Any]) -> str:
        application, created = self.licensing.submit(body, idempotency_key=str(uuid.uuid4()), portal_user="portal")
        assert created
        return str(application["id"])

    def complete(self, app_id: str, element: str, data: dict[str, Any], role: str) -> None:
        tasks, _ = self.engine.officer.list_tasks(TaskFilter(roles=[role], application_id=app_id))
        task = next(t for t in tasks if t.element == element)
        self.engine.officer.complete_task(task.id, data, actor=role, roles=[role])

    def run(self, body: dict[str, Any]) -> str:
        app_id = self.submit(body)
        for element, data, role in STEPS:
            self.complete(app_id, element, data, role)
        return app_id

    def check(self, app_id: str) -> None:
        result = self.licensing.get_application(app_id)
        if result["outcome"] != "issued" or not result["licence_number"]:
            raise RuntimeError(f"procedure {app_id} did not end with a licence: {result['status']}")


def licence_throughput(database_url: str, *, documents: str, count: int, runs: int,
                       inspect: Callable[[Any], Any] | None = None, growth: bool = False) -> dict[str, Any]:
    """Procedures per second in each of ``runs`` runs of ``count`` procedures (after one warm-up).

    ``inspect`` is called with the database engine at the end (storage is measured there). With ``growth``
    (PostgreSQL) the tables' growth over the ``runs × count`` procedures is measured too
    (``bench.storage.measure_growth``): every body is prepared (uploads, fee seeds) before the first
    ``VACUUM FULL`` snapshot, the second is taken after the last run, both outside the timed runs."""
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        from bench import storage
        from bench.common import MORNING

        app = make_app(database_url, Path(keys), now=MORNING)
        driver = LicenceDriver(app, documents=documents)
        db = app.extensions["licensing"].wiring.db
        try:
            driver.check(driver.run(driver.prepare()))  # warm-up: caches, connections, fonts
            rates, per_procedure = [], []
            prepared = [[driver.prepare() for _ in range(count)] for _ in range(runs)] if growth else []
            before = storage.snapshot(db) if growth else {}
            for run in range(runs):
                bodies = prepared[run] if growth else [driver.prepare() for _ in range(count)]
                start = time.perf_counter()
                ids = []
                for body in bodies:
                    t0 = time.perf_counter()
                    ids.append(driver.run(body))
                    per_procedure.append(time.perf_counter() - t0)
                rates.append(count / (time.perf_counter() - start))
                for app_id in ids:
                    driver.check(app_id)
            grown = storage.measure_growth(before, storage.snapshot(db), runs * count) if growth else None
            inspected = inspect(db) if inspect else None
            return {"rates": rates, "per_procedure_s": per_procedure, "inspected": inspected, "growth": grown}
        finally:
            db.dispose()


# -- the engine alone: the example diagram ------------------------------------------------------------------------


def example_wiring(database_url: str) -> Any:
    from tests.support import make_engine

    wiring, _clock = make_engine(database_url, datetime.fromisoformat("2025-03-20T14:00:00+00:00"))
    return wiring


def example_procedure(wiring: Any, serial: int) -> None:
    """start → review completed → payment message → end (tests/integration/test_engine__runtime.py)."""
    engine = wiring.engine
    app_id = f"app-{serial}"
    instance = engine.officer.start_instance("example_review", {"registered_at": "2025-03-20T19:00:00+05:00",
                                                        "application_id": app_id}, actor="portal",
                                     business_key=app_id)
    tasks, _ = engine.officer.list_tasks(TaskFilter(roles=["officer"], application_id=app_id))
    engine.officer.complete_task(tasks[0].id, {"decision": "complete"}, actor="officer", roles=["officer"])
    done = engine.officer.deliver_message(instance.id, "payment_confirmed", {"paid": True}, actor="gateway")
    if done.status != "completed":
        raise RuntimeError("example_review did not complete")


def example_throughput(database_url: str, *, count: int, runs: int) -> dict[str, Any]:
    wiring = example_wiring(database_url)
    serial = iter(range(10_000_000))
    try:
        example_procedure(wiring, next(serial))
        rates = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(count):
                example_procedure(wiring, next(serial))
            rates.append(count / (time.perf_counter() - start))
        return {"rates": rates}
    finally:
        wiring.db.dispose()


# -- the engine alone on the licence-issue diagram: operations answer the bare run's canned results ----------------


def canned_registry() -> Any:
    """The shipped operations, with the licence-issue ones answering canned JSON (as bench.bare does)."""
    from bench.bare import CANNED
    from bench.common import MORNING
    from engine.bootstrap import default_registry

    registry = default_registry()
    results = dict(CANNED["results"])
    # the bare run's moments lie far ahead of the wall clock; the engine's clock stands at MORNING, so the
    # registration answers the real terms of an application registered then (15 working days: 27 June)
    results["register_application"] = {**results["register_application"], "registered_at": MORNING,
                                       "total_term_due": TERM_END, "expected_result_at": TERM_END}
    for name, result in results.items():
        registry.register(name, description="bench: canned result")(lambda call, r=result: copy.deepcopy(r))
    return registry


def canned_wiring(database_url: str) -> Any:
    from bench.bare import LICENCE_DIAGRAM
    from bench.common import MORNING
    from engine.bootstrap import build_engine, make_db_engine
    from engine.clock import SimulatedClock

    wiring = build_engine(make_db_engine(database_url), clock=SimulatedClock(datetime.fromisoformat(MORNING)),
                          operations=canned_registry(), create_schema=True)
    wiring.engine.analyst.deploy(LICENCE_DIAGRAM.read_bytes(), "licence_issue/licence_issue.bpmn", actor="bench")
    return wiring


def canned_procedure(wiring: Any) -> None:
    from bench.bare import CANNED

    engine = wiring.engine
    app_id = str(uuid.uuid4())
    engine.officer.start_instance("licence_issue", {**copy.deepcopy(CANNED["inputs"]), "application_id": app_id},
                          actor="portal", business_key=app_id)
    for element, data, role in STEPS:
        tasks, _ = engine.officer.list_tasks(TaskFilter(roles=[role], application_id=app_id))
        task = next(t for t in tasks if t.element == element)
        view = engine.officer.complete_task(task.id, data, actor=role, roles=[role])
    if view.status != "completed":
        raise RuntimeError("the canned licence issue did not complete")


def canned_throughput(database_url: str, *, count: int, runs: int) -> dict[str, Any]:
    wiring = canned_wiring(database_url)
    try:
        canned_procedure(wiring)
        rates = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(count):
                canned_procedure(wiring)
            rates.append(count / (time.perf_counter() - start))
        return {"rates": rates}
    finally:
        wiring.db.dispose()
