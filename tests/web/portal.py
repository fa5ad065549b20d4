"""A small client of the public API (CONTRACT.md), used by the API tests like an outside portal would."""

from __future__ import annotations

import io
import uuid
from typing import Any

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Api:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def token(self, user: str) -> str:
        if user not in self.tokens:
            r = self.client.post("/api/v1/auth/token", json={"username": user, "password": user})
            assert r.status_code == 200, r.get_json()
            self.tokens[user] = r.get_json()["token"]
        return self.tokens[user]

    def headers(self, user: str, **extra: str) -> dict[str, str]:
        # the tests read the API's messages in English; tests/web/test_i18n_catalogs.py asks for kk and ru
        return {"Authorization": f"Bearer {self.token(user)}", "Accept-Language": "en", **extra}

    def get(self, path: str, user: str = "admin", **kw: Any) -> Any:
        return self.client.get(path, headers=self.headers(user), **kw)

    def post(self, path: str, body: Any = None, user: str = "portal", headers: dict[str, str] | None = None) -> Any:
        return self.client.post(path, json=body, headers={**self.headers(user), **(headers or {})})

    def put(self, path: str, body: Any, user: str = "admin") -> Any:
        return self.client.put(path, json=body, headers=self.headers(user))

    # -- simulation -------------------------------------------------------------------------------

    def set_clock(self, moment: str) -> dict[str, Any]:
        r = self.put("/api/v1/admin/clock", {"now": moment})
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def seed(self, registry: str, bin_iin: str, body: dict[str, Any]) -> None:
        r = self.put(f"/api/v1/admin/gateway/{registry}/{bin_iin}", body)
        assert r.status_code == 200, r.get_json()

    def pay(self, bin_iin: str, amount_kzt: int, paid_at: str, purpose: str = "licence_fee") -> None:
        self.seed("payments", bin_iin, {"payments": [{"purpose": purpose, "amount_kzt": amount_kzt,
                                                      "paid_at": paid_at, "reference": "PAY-1"}]})

    # -- portal -----------------------------------------------------------------------------------

    def upload(self, content: bytes = PDF, name: str = "doc.pdf", user: str = "portal") -> str:
        r = self.client.post("/api/v1/files", data={"file": (io.BytesIO(content), name)},
                             headers=self.headers(user), content_type="multipart/form-data")
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    def submit(self, body: dict[str, Any], key: str | None = None) -> Any:
        return self.post("/api/v1/applications", body, headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def application(self, app_id: str, user: str = "portal") -> dict[str, Any]:
        r = self.get(f"/api/v1/applications/{app_id}", user=user)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    # -- staff ------------------------------------------------------------------------------------

    def tasks(self, app_id: str, user: str = "officer") -> list[dict[str, Any]]:
        r = self.get(f"/api/v1/tasks?application={app_id}", user=user)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def complete(self, task_id: str, data: dict[str, Any], user: str = "officer") -> Any:
        return self.post(f"/api/v1/tasks/{task_id}/complete", {"data": data}, user=user)

    def do(self, app_id: str, element: str, data: dict[str, Any], user: str = "officer") -> dict[str, Any]:
        """Complete the open task ``element`` of the application; fail loudly if it is not open."""
        tasks = [t for t in self.tasks(app_id, user=user) if t["element"] == element]
        assert tasks, f"no open task {element}; open: {[t['element'] for t in self.tasks(app_id, user=user)]}"
        r = self.complete(tasks[0]["id"], data, user=user)
        assert r.status_code == 200, r.get_json()
        return r.get_json()


def issue_body(api: Api, subtype: str = "I", *, bin_iin: str | None = None, isolated: bool = False,
               name: str = "ТОО «Digital Mining KZ»") -> dict[str, Any]:
    """A complete application (CONTRACT.md) with its files uploaded."""
    bin_iin = bin_iin or valid_bin()
    applicant = {"kind": "legal_entity", "bin_iin": bin_iin, "name": name,
                 "address": "Павлодар облысы, Екібастұз қ., Энергетиков к-сі, 12",
                 "email": "office@dmkz.kz", "phone": "+7 701 234 56 78"}
    confirmations = {"official_contacts": True, "no_court_ban": True, "documents_true": True,
                     "personal_data_consent": True}
    if subtype == "I":
        source = "isolated_generator" if isolated else "single_buyer"
        qualification: dict[str, Any] = {
            "hardware_registry_notice": "HW-2025-000123",
            "pool": {"name": "KZ Pool", "document": api.upload()},
            "data_center_document": api.upload(),
            "metering_document": api.upload(),
            "connected_before_2023_04_01": False,
        }
        if not isolated:
            qualification["grid_connection_document"] = api.upload()
        centers = [{"address": "Екібастұз қ., Өнеркәсіп аймағы, 5", "power_source": source}]
    else:
        qualification = {"hardware_registry_notice": "HW-2025-000777", "pool": None}
        centers = [{"address": "Астана қ., Технопарк, 1"}]
    return {"procedure": "issue", "subtype": subtype, "applicant": applicant, "data_centers": centers,
            "qualification": qualification, "confirmations": confirmations, "signed_by": "Ахметов А.А."}


FEE_KZT = {"I": 2000, "II": 5}
_serial = iter(range(10000, 99999))


def check_digit(first11: str) -> int | None:
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        rest = sum(int(d) * w for d, w in zip(first11, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def valid_bin(prefix: str = "2103400") -> str:
    """A BIN with a correct check digit (a legal entity registered in March 2021)."""
    while True:
        first = f"{prefix}{next(_serial) % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)


MCI_KZT = {2025: 3932, 2026: 4325}  # the monthly calculation index by year (republican budget laws)


def pay_fee(api: Api, body: dict[str, Any], paid_at: str, mci: int | None = None) -> None:
    """Pay the licence fee in full at ``paid_at``: the subtype's MCI count at that year's index (A3.7)."""
    api.pay(body["applicant"]["bin_iin"], FEE_KZT[body["subtype"]] * (mci or MCI_KZT[int(paid_at[:4])]), paid_at)


def drive_to_licence(api: Api, app_id: str) -> dict[str, Any]:
    """Complete, qualify and sign: the happy path to a licence."""
    api.do(app_id, "completeness_check", {"decision": "complete"})
    api.do(app_id, "qualification_check", {"decision": "compliant"})
    api.do(app_id, "sign_licence", {"decision": "sign"}, user="signer")
    return api.application(app_id)


def reissue_body(holder_body: dict[str, Any], licence_number: str, grounds: list[str], **extra: Any) -> dict[str, Any]:
    """A reissue application (A9/A10) by the holder of ``licence_number``."""
    body = {"procedure": "reissue", "licence_number": licence_number, "grounds": grounds,
            "applicant": holder_body["applicant"], "confirmations": holder_body["confirmations"],
            "signed_by": holder_body["signed_by"], "changes": {}, "documents": []}
    body.update(extra)
    return body


def issued_licence(api: Api, subtype: str = "I", paid_at: str = "2025-06-02T12:00:00+05:00") -> tuple[dict, str]:
    """Drive a new application to a licence; returns (application body, licence number)."""
    body = issue_body(api, subtype)
    pay_fee(api, body, paid_at)
    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    done = drive_to_licence(api, r.get_json()["id"])
    return body, done["licence_number"]
