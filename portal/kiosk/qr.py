"""QR codes drawn into the page, for what a kiosk visitor carries away on a phone."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(data: str, title: str = "", scale: int = 4) -> Markup:
    """An inline SVG QR code (no extra request, allowed by the CSP), named by `title`."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, border=2, title=title or None)
    return Markup(svg)  # noqa: S704 - segno writes the markup; title is escaped by segno
