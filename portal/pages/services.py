"""Loading guide pages from content/pages/<slug>.<locale>.md."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import LOCALES
from ..content import LoadReport, read_content_file, unknown_keys
from ..db import utcnow
from ..markup import render_markdown
from ..page_cache import bump_generation
from .models import Page

KNOWN_KEYS = ("title", "summary", "order", "topics")
MAX_TOPICS = 400
_NAME = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,79})\.(?P<locale>[A-Za-z_]+)\.md$")


def _topic_words(value: object) -> list[str] | None:
    """The `topics` of a guide's front matter, a list of words or phrases; None if malformed."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        return None
    return [" ".join(w.split()) for w in value if w.strip()]


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
        problems = [unknown_keys(item.meta, KNOWN_KEYS)]
        title = item.meta.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append("field 'title' is missing or empty")
        summary = item.meta.get("summary", "")
        if not isinstance(summary, str):
            problems.append("field 'summary' must be text")
        position = item.meta.get("order", 100)
        if not isinstance(position, int):
            problems.append("field 'order' must be a whole number")
        topics = _topic_words(item.meta.get("topics", []))
        if topics is None:
            problems.append("field 'topics' must be a list of words or phrases")
        elif len("\n".join(topics)) > MAX_TOPICS:
            problems.append(f"field 'topics' must be at most {MAX_TOPICS} characters in all")
        if any(problems):
            for problem in filter(None, problems):
                report.problem(path, problem)
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
        page.title = str(title).strip()[:200]
        page.summary = str(summary).strip()[:400]
        page.position = int(position)
        page.topics = "\n".join(topics or [])
        page.body_markdown = item.body
        page.body_html = render_markdown(item.body)
        page.source_hash = item.digest
        page.updated_at = utcnow()
    if report.created or report.updated:
        bump_generation(db)
    db.flush()
    return report
