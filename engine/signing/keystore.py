"""Signing keys and trust roots on disk (``LICENSING_KEYS_DIR``).

- ``system-key.pem`` / ``system-cert.pem``: the system's own certificate, which signs system notices
  (receipts). In production the operator puts the certificate NCA RK issued to the system there; on first
  start without one, the demo CA issues it (and such a certificate verifies only where the demo CA is trusted).
- ``demo-ca/``: the demo CA, created by the project and marked DEMO; a trust root only when ``trust_demo``
  is on (``--demo``, the simulated clock, tests), never silently in production.
- ``demo-staff/``: each demo staff account's own key and certificate (IIN in the subject's serialNumber).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from engine.errors import NotConfigured
from engine.signing import certificates
from engine.signing.certificates import Issued

SYSTEM_NAME = "Лицензиялау жүйесі"  # the certificate's common name (X.509 allows 64 bytes)
SYSTEM_TITLE = {"kk": "Цифрлық майнинг лицензиялау жүйесі (жүйелік сертификат)",
                "ru": "Система лицензирования цифрового майнинга (системный сертификат)"}
SYSTEM_ORGANIZATION = "ЦДИАӨМ / МЦРИАП РК"
# the names the demo certificates carry (a certificate names a person, never a login)
DEMO_PERSONS = {
    "signer": "Сейітқали Ерлан Маратұлы",
    "head": "Жұмабекова Әйгерім Серікқызы",
    "officer": "Омарова Әйгерім Болатқызы",
    "officer2": "Нұрланов Нұрлан Асқарұлы",
    "admin": "Бекова Гүлнар Сәкенқызы",
    "analyst": "Ким Дмитрий Олегович",
    "auditor": "Ахметова Сания Қайратқызы",
    "quality": "Серікбаева Динара Ержанқызы",
}


def _write(path: Path, issued: Issued) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key_path = path.with_name(path.name + "-key.pem")
    key_path.write_bytes(issued.key_pem)
    key_path.chmod(0o600)
    path.with_name(path.name + "-cert.pem").write_bytes(issued.cert_pem)


def _read(path: Path) -> Issued | None:
    key_path, cert_path = path.with_name(path.name + "-key.pem"), path.with_name(path.name + "-cert.pem")
    if not key_path.exists() or not cert_path.exists():
        return None
    return Issued(key_path.read_bytes(), cert_path.read_bytes())


def iin_check_digit(first11: str) -> int | None:
    for weights in (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)):
        rest = sum(int(d) * w for d, w in zip(first11, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def demo_iin(username: str) -> str:
    """A well-formed IIN (born 1 January 1980) that is the same for a user name on every machine."""
    counter = int(hashlib.sha256(username.encode()).hexdigest()[:8], 16)
    while True:
        first = f"8001013{counter % 10000:04d}"
        digit = iin_check_digit(first)
        if digit is not None:
            return first + str(digit)
        counter += 1


@dataclass
class Keystore:
    keys_dir: Path
    trust_demo: bool = False
    trust_root_files: list[Path] = field(default_factory=list)

    @property
    def _ca_path(self) -> Path:
        return self.keys_dir / "demo-ca" / "ca"

    def ensure(self, now: dt.datetime) -> None:
        """Create the demo CA and the system certificate on first start (demo, simulated and test runs).

        In production nothing is made up: the system's certificate (issued by NCA RK) and the trust roots
        must be configured, or the start is refused with what is missing.
        """
        if not self.trust_demo:
            missing = self.production_gaps()
            if missing:
                raise NotConfigured("signing is not configured: " + "; ".join(missing))
            return
        ca = _read(self._ca_path)
        if ca is None:
            ca = certificates.create_demo_ca(now)
            _write(self._ca_path, ca)
        if _read(self.keys_dir / "system") is None:
            _write(self.keys_dir / "system", certificates.issue(ca, common_name=SYSTEM_NAME, now=now,
                                                                organization=SYSTEM_ORGANIZATION,
                                                                non_repudiation=False))

    def production_gaps(self) -> list[str]:
        """What a production start lacks for signing and verifying acts (empty when nothing)."""
        gaps = []
        if _read(self.keys_dir / "system") is None:
            gaps.append(f"put the certificate NCA RK issued to the system and its key in "
                        f"{self.keys_dir}/system-cert.pem and system-key.pem (LICENSING_KEYS_DIR)")
        if not self.trust_root_files:
            gaps.append("list the NCA RK root and intermediate certificates in LICENSING_TRUST_ROOTS")
        gaps += [f"trust root file {path} does not exist" for path in self.trust_root_files if not Path(path).is_file()]
        return gaps

    def system(self) -> Issued:
        issued = _read(self.keys_dir / "system")
        if issued is None:
            raise FileNotFoundError(f"no system certificate in {self.keys_dir}")
        return issued

    def system_certificate(self) -> x509.Certificate:
        return certificates.load(self.system().cert_pem)

    def demo_personal(self, username: str, *, full_name: str, now: dt.datetime) -> tuple[Issued, str]:
        """The demo account's own key and certificate (made on first use) and its IIN; demo/tests only."""
        if not self.trust_demo:
            raise PermissionError("demo certificates are used only in demo, simulated or test runs")
        safe = "".join(c for c in username if c.isalnum() or c in "-_") or "user"
        path = self.keys_dir / "demo-staff" / safe
        iin = demo_iin(username)
        issued = _read(path)
        if issued is None or certificates.iin_of(certificates.load(issued.cert_pem)) != iin:
            ca = _read(self._ca_path)
            assert ca is not None, "Keystore.ensure() creates the demo CA first"
            issued = certificates.issue(ca, common_name=DEMO_PERSONS.get(username, full_name), iin=iin, now=now)
            _write(path, issued)
        return issued, iin

    def roots(self) -> list[x509.Certificate]:
        roots = []
        for path in self.trust_root_files:
            roots += x509.load_pem_x509_certificates(Path(path).read_bytes())
        demo = _read(self._ca_path)
        if self.trust_demo and demo is not None:
            roots.append(certificates.load(demo.cert_pem))
        return roots
