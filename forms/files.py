"""Uploaded files: what they really are, judged by their bytes, never by their name or declared type."""

from __future__ import annotations

import filetype

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_MEDIA_TYPES = ("application/pdf", "image/png", "image/jpeg")
_PDF_MAGIC = b"%PDF-"  # the header must open the file; filetype would take a bare "%PDF"
_IMAGE_TYPES = ("image/png", "image/jpeg")


def sniff_media_type(content: bytes) -> str | None:
    """``application/pdf``, ``image/png`` or ``image/jpeg`` from the content's magic bytes; None for
    anything else (empty, other types, unknown)."""
    if not isinstance(content, bytes | bytearray | memoryview):
        return None
    head = bytes(content[:8192])
    if head.startswith(_PDF_MAGIC):
        return "application/pdf"
    kind = filetype.image_match(head) if head else None
    if kind is not None and kind.mime in _IMAGE_TYPES:
        return str(kind.mime)
    return None
