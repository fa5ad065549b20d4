"""Documents issued by the provider: PDF in Kazakh and Russian, and their signed XML."""

from __future__ import annotations

from engine.documents.grounds import GROUNDS, refusal_ground_text
from engine.documents.rendering import KINDS, render_html, render_pdf

__all__ = ["GROUNDS", "KINDS", "refusal_ground_text", "render_html", "render_pdf"]
