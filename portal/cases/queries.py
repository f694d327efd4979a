"""What the case records say about how this office numbers its cases."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Case

# Enough recent numbers to see which case types the office handles now.
_SAMPLE = 2000


def common_number_prefixes(db: Session, limit: int = 6) -> list[str]:
    """The most used prefixes before 〔 (agency and case type, e.g. 深龙华检刑诉) of
    recent cases, most used first; empty when no case has been imported."""
    keys = db.scalars(select(Case.number_key).order_by(Case.id.desc()).limit(_SAMPLE))
    counts = Counter(key.split("〔", 1)[0] for key in keys if "〔" in key)
    counts.pop("", None)
    return [prefix for prefix, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]
