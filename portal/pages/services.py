"""Loading guide pages from content/pages/<slug>.<locale>.md."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import LOCALES
from ..content import LoadReport, read_content_file
from ..db import utcnow
from ..markup import render_markdown
from ..page_cache import bump_generation
from .models import Page

_NAME = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,79})\.(?P<locale>[A-Za-z_]+)\.md$")


def load_pages(db: Session, pages_dir: Path, report: LoadReport | None = None) -> LoadReport:
    """Create or update one Page per file; running it twice changes nothing."""
    report = report or LoadReport()
    existing = {(p.slug, p.locale): p for p in db.scalars(select(Page))}
    for path in sorted(pages_dir.glob("*.md")):
        match = _NAME.match(path.name)
        if not match or match["locale"] not in LOCALES:
            report.problem(
                path, f"the file name must be <slug>.<locale>.md with locale in {LOCALES}"
            )
            continue
        try:
            item = read_content_file(path)
        except ValueError as exc:
            report.problem(path, str(exc))
            continue
        title = item.meta.get("title")
        if not isinstance(title, str) or not title.strip():
            report.problem(path, "field 'title' is missing or empty")
            continue
        summary = item.meta.get("summary", "")
        if not isinstance(summary, str):
            report.problem(path, "field 'summary' must be text")
            continue
        position = item.meta.get("order", 100)
        if not isinstance(position, int):
            report.problem(path, "field 'order' must be a whole number")
            continue
        key = (match["slug"], match["locale"])
        page = existing.get(key)
        if page is not None and page.source_hash == item.digest:
            report.unchanged += 1
            continue
        if page is None:
            page = Page(slug=key[0], locale=key[1])
            db.add(page)
            report.created += 1
        else:
            report.updated += 1
        page.title = title.strip()[:200]
        page.summary = summary.strip()[:400]
        page.position = position
        page.body_markdown = item.body
        page.body_html = render_markdown(item.body)
        page.source_hash = item.digest
        page.updated_at = utcnow()
    if report.created or report.updated:
        bump_generation(db)
    db.flush()
    return report
