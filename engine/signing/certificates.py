"""X.509 certificates of signers: the demo CA, personal and system certificates, and their checks.

A personal certificate names its holder as NCA RK certificates do: the common name is the person's full
name and the subject's serialNumber is "IIN" followed by the 12 digits of the holder's IIN.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "DEMO"
IIN_PREFIX = "IIN"
CERT_YEARS = 30  # demo certificates cover any moment the simulated clock can be set to


@dataclass(frozen=True)
class Issued:
    key_pem: bytes
    cert_pem: bytes


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now - dt.timedelta(days=365 * CERT_YEARS // 2), now + dt.timedelta(days=365 * CERT_YEARS // 2)


def create_demo_ca(now: dt.datetime) -> Issued:
    """A self-signed certification authority, marked DEMO in its subject: never a trust root in production."""
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{DEMO_MARK} — not a certification authority"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"{DEMO_MARK} licensing test CA (not NCA RK)")])
    start, end = _window(now)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return Issued(_pem(key), cert.public_bytes(serialization.Encoding.PEM))


def _fit(text: str, limit: int = 64) -> str:
    """At most ``limit`` bytes of UTF-8 (X.509's upper bound for names), cut at a character boundary."""
    return text.encode()[:limit].decode(errors="ignore")


def issue(ca: Issued, *, common_name: str, now: dt.datetime, iin: str | None = None,
          organization: str | None = None, non_repudiation: bool = True) -> Issued:
    """A signing certificate issued by ``ca``: a person's (with ``iin``) or the system's (without)."""
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    key = _key()
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                  x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name))]
    if iin is not None:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"{IIN_PREFIX}{iin}"))
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization)))
    start, end = _window(now)
    cert = (x509.CertificateBuilder().subject_name(x509.Name(attributes)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=non_repudiation,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         key_cert_sign=False, crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    return Issued(_pem(key), cert.public_bytes(serialization.Encoding.PEM))


def load(cert_pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(cert_pem)


def iin_of(cert: x509.Certificate) -> str | None:
    """The IIN in the subject's serialNumber ("IIN" + 12 digits), as NCA RK writes it."""
    for attribute in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER):
        value = str(attribute.value)
        if value.startswith(IIN_PREFIX) and len(value) == len(IIN_PREFIX) + 12 and value[3:].isdigit():
            return value[3:]
    return None


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def problem(cert: x509.Certificate, roots: list[x509.Certificate], at: dt.datetime) -> str | None:
    """Why ``cert`` cannot prove a signature made at ``at``, or None: chain to a root, validity, key usage."""
    issuer = next((root for root in roots if root.subject == cert.issuer), None)
    if issuer is None:
        return "the certificate was not issued by a configured trust root"
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError) as exc:
        return f"the certificate's chain to the trust root does not hold ({type(exc).__name__})"
    for certificate, what in ((cert, "the certificate"), (issuer, "the trust root")):
        if not certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc:
            return f"{what} was not valid at the signing moment"
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "the certificate states no key usage"
    if not (usage.digital_signature or usage.content_commitment):
        return "the certificate's key usage allows no signature (digitalSignature / nonRepudiation)"
    return None
