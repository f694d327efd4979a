"""Results: counts and percentages, the satisfaction index, trends, and the CSV export.

Satisfaction index
------------------
Every rating answer gets a weight from PORTAL_SATISFACTION_WEIGHTS (by default
满意 satisfied = 100, 基本满意 fairly satisfied = 60, 不满意 dissatisfied = 0, and
on the 1–5 scale 5 = 100, 4 = 75, 3 = 50, 2 = 25, 1 = 0). The index of a group of
answers is the mean of their weights:

    index = Σ weight(answer) / number of rating answers      (0–100, one decimal)

Ratings from other capabilities (for example the rating a citizen gives after a
reply to a complaint) join the same figures through `register_rating_source`:
a source is a function returning `Rating(department, kind, value, rated_on)`.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..disclosure.guard import find_personal_data, mask
from .labels import CHANNEL_LABELS, SOURCE_LABELS, option_label
from .models import RATING_KINDS, Answer, Option, Question, Questionnaire, SurveyResponse

DEFAULT_WEIGHTS = "satisfied=100,fairly=60,dissatisfied=0,5=100,4=75,3=50,2=25,1=0"
SOURCES_KEY = "portal.surveys.rating_sources"
LABELS_KEY = "portal.surveys.rating_kind_labels"


def parse_weights(raw: str) -> dict[str, float]:
    """Read `value=weight,...`; a malformed setting stops the app with a clear message."""
    weights: dict[str, float] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        key, sep, number = item.partition("=")
        try:
            weight = float(number)
        except ValueError:
            weight = -1.0
        if not sep or not key.strip() or not 0 <= weight <= 100:
            raise ValueError(
                f"PORTAL_SATISFACTION_WEIGHTS: {item!r} is not value=weight with a weight of 0-100"
            )
        weights[key.strip()] = weight
    return weights


def satisfaction_index(values: Iterable[str], weights: Mapping[str, float]) -> float | None:
    """The mean weight of the rating values that have a weight; None if there are none."""
    scores = [weights[v] for v in values if v in weights]
    return round(sum(scores) / len(scores), 1) if scores else None


@dataclass(frozen=True)
class Rating:
    """One rating from any source: what the results pages aggregate."""

    department: str
    kind: str  # "questionnaire", or a source's own kind (e.g. a kind of submission)
    value: str  # an option value: satisfied, fairly, dissatisfied, or 1-5
    rated_on: date


RatingSource = Callable[[Session], Iterable[Rating]]


def register_rating_source(
    app: Flask, source: RatingSource, kind_labels: Mapping[str, object] | None = None
) -> None:
    """Let another capability feed its ratings into the results pages.

    `kind_labels` names its kinds on the results pages (lazy strings, translated there).
    """
    app.extensions.setdefault(SOURCES_KEY, []).append(source)
    app.extensions.setdefault(LABELS_KEY, {}).update(kind_labels or {})


def kind_label(app: Flask, kind: str) -> str:
    labels = {**SOURCE_LABELS, **app.extensions.get(LABELS_KEY, {})}
    return str(labels.get(kind, kind))


def questionnaire_ratings(db: Session, tz: ZoneInfo, family_id: int | None = None) -> list[Rating]:
    """Every rating answer given to any questionnaire (or to every version of one)."""
    query = (
        select(Questionnaire.department, Option.value, SurveyResponse.submitted_at)
        .join(Answer, Answer.option_id == Option.id)
        .join(Question, Question.id == Answer.question_id)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .join(Questionnaire, Questionnaire.id == SurveyResponse.questionnaire_id)
        .where(Question.kind.in_(RATING_KINDS))
    )
    if family_id is not None:
        query = query.where(Questionnaire.family_id == family_id)
    rows = db.execute(query).all()
    return [
        Rating(department or "", "questionnaire", value, at.astimezone(tz).date())
        for department, value, at in rows
    ]


def all_ratings(db: Session, app: Flask, tz: ZoneInfo) -> list[Rating]:
    ratings = questionnaire_ratings(db, tz)
    for source in app.extensions.get(SOURCES_KEY, []):
        ratings.extend(source(db))
    return ratings


@dataclass
class Row:
    label: str
    count: int
    percent: float
    index: float | None = None


def _rows(counts: Mapping[str, int], total: int) -> list[Row]:
    return [
        Row(label, count, round(100 * count / total, 1) if total else 0.0)
        for label, count in counts.items()
    ]


def grouped_index(
    ratings: Sequence[Rating], key: Callable[[Rating], str], weights: Mapping[str, float]
) -> list[Row]:
    """The index and the number of ratings per group, groups in sorted order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for rating in ratings:
        if rating.value in weights:
            groups[key(rating)].append(rating.value)
    return [
        Row(name, len(values), 0.0, satisfaction_index(values, weights))
        for name, values in sorted(groups.items())
    ]


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    index: float | None = None


def question_results(
    db: Session, q: Questionnaire, weights: Mapping[str, float]
) -> tuple[int, list[QuestionResult]]:
    """The number of responses, and counts and percentages for each question."""
    responses = db.scalars(
        select(SurveyResponse.id).where(SurveyResponse.questionnaire_id == q.id)
    ).all()
    answers = db.scalars(
        select(Answer)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(SurveyResponse.questionnaire_id == q.id)
        .order_by(Answer.id)
    ).all()
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    results = []
    for question in q.questions:
        given = by_question.get(question.id, [])
        answered = len({a.response_id for a in given})
        result = QuestionResult(question, answered)
        if question.kind == "text":
            result.texts = [safe_text(a.text or "") for a in given]
        else:
            chosen = defaultdict(int)
            for answer in given:
                chosen[answer.option_id] += 1
            counts = {option_label(o): chosen.get(o.id, 0) for o in question.options}
            result.rows = _rows(counts, answered)
            if question.kind in RATING_KINDS:
                values = {o.id: o.value for o in question.options}
                result.index = satisfaction_index(
                    (values[a.option_id] for a in given if a.option_id in values), weights
                )
        results.append(result)
    return len(responses), results


def safe_text(text: str) -> str:
    """Free text with identity numbers, phones, cards and e-mail addresses masked."""
    return mask(text, find_personal_data(text))


def _cell(value: str) -> str:
    """Neutralise cells a spreadsheet would run as a formula."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def export_csv(db: Session, q: Questionnaire, tz: ZoneInfo) -> str:
    """One row per response: its number, date and channel, then each answer.

    No personal data: no addresses, no tokens, no invitation codes, and typed
    personal data in free text masked.
    """
    labels = {o.id: option_label(o) for question in q.questions for o in question.options}
    responses = db.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.questionnaire_id == q.id)
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
    ).all()
    answers = db.scalars(
        select(Answer)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(SurveyResponse.questionnaire_id == q.id)
        .order_by(Answer.id)
    ).all()
    grid: dict[tuple[int, int], list[str]] = defaultdict(list)
    for answer in answers:
        value = (
            labels.get(answer.option_id, "") if answer.option_id else safe_text(answer.text or "")
        )
        grid[(answer.response_id, answer.question_id)].append(value)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["response", "date", "channel", *[f"Q{n}. {x.text}" for n, x in enumerate(q.questions, 1)]]
    )
    for number, response in enumerate(responses, 1):
        writer.writerow(
            [
                number,
                response.submitted_at.astimezone(tz).date().isoformat(),
                str(CHANNEL_LABELS.get(response.channel, response.channel)),
                *[_cell("; ".join(grid.get((response.id, x.id), []))) for x in q.questions],
            ]
        )
    return out.getvalue()
