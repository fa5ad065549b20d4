"""Issuing documents: render the PDF in kk and ru, sign its XML form, store both (R9, R17)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from engine import legal_time
from engine.store.licensing_tables import Document

LANGS = ("kk", "ru")


@dataclass
class DocumentIssuer:
    """Renders, signs and stores documents with the provider's key."""

    keys_dir: Path
    _signer: Any = None

    def signer(self) -> Any:
        if self._signer is None:
            from engine.documents import signing

            self._signer = signing.KeyFileSigner(self.keys_dir)
        return self._signer

    def trusted_cert_pem(self) -> bytes:
        return (self.keys_dir / "provider-cert.pem").read_bytes()

    def issue(
        self,
        session: Session,
        *,
        kind: str,
        number: str,
        context: dict[str, Any],
        template: str | None = None,
        signer_name: str,
        signed_at: datetime,
        application_id: str | None,
        instance_id: str | None,
        licence_number: str | None = None,
    ) -> list[Document]:
        from engine.documents import document_xml, render_pdf, sign_document

        rows = []
        for lang in LANGS:
            full = {**context, "number": number, "lang": lang}
            pdf = render_pdf(template or kind, lang, full)
            digest = hashlib.sha256(pdf).hexdigest()
            xml = document_xml(template or kind, lang, full, digest)
            signed = sign_document(xml, self.signer(), signer_name=signer_name, signed_at=signed_at)
            row = Document(id=str(uuid.uuid4()), application_id=application_id, instance_id=instance_id,
                           licence_number=licence_number, kind=kind, lang=lang, number=number,
                           media_type="application/pdf", context=full, pdf=pdf, pdf_sha256=digest,
                           signed_xml=signed, signer=signer_name, signed_at=signed_at)
            session.add(row)
            rows.append(row)
        session.flush()
        return rows

    def preview(self, kind: str, lang: str, context: dict[str, Any]) -> bytes:
        from engine.documents import render_pdf

        return render_pdf(kind, lang, {**context, "number": context.get("number") or "—", "lang": lang,
                                       "draft": True})

    def verify(self, signed_xml: bytes) -> dict[str, Any]:
        from engine.documents import verify_document

        result = verify_document(signed_xml, trusted_cert_pem=self.trusted_cert_pem())
        return {"valid": bool(result.valid), "signer": result.signer, "signed_at": result.signed_at,
                "reason": result.reason}


def ensure_keys(keys_dir: Path, now: datetime) -> None:
    """Create the provider's key pair on first start (a set-up step; a hardware signer can replace it)."""
    if (keys_dir / "provider-key.pem").exists():
        return
    from engine.documents.signing import create_provider_keypair

    keys_dir.mkdir(parents=True, exist_ok=True)
    create_provider_keypair(keys_dir, common_name="Digital-mining licensing service",
                            organization="Ministry of Digital Development, Innovation and Aerospace Industry "
                                         "of the Republic of Kazakhstan", now=now)


def local_iso(moment: datetime | None) -> str | None:
    return legal_time.iso(moment) if moment else None
