"""Documents issued by the provider: PDF in Kazakh and Russian, and their signed XML."""

from __future__ import annotations

from engine.documents.grounds import GROUNDS, refusal_ground_text
from engine.documents.rendering import KINDS, render_html, render_pdf
from engine.documents.signing import (
    KeyFileSigner,
    Signer,
    VerifyResult,
    create_provider_keypair,
    document_xml,
    sign_document,
    verify_document,
)

__all__ = [
    "GROUNDS",
    "KINDS",
    "KeyFileSigner",
    "Signer",
    "VerifyResult",
    "create_provider_keypair",
    "document_xml",
    "refusal_ground_text",
    "render_html",
    "render_pdf",
    "sign_document",
    "verify_document",
]
