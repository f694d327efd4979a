"""The kinds of submission, their questions, statuses and ratings (labels for both languages)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Question:
    """One answer a kind asks for on its details page."""

    name: str
    label: LazyString
    multiline: bool = True
    required: bool = True
    hint: LazyString | None = None


@dataclass(frozen=True)
class Kind:
    key: str
    title: LazyString
    summary: LazyString
    may_be_anonymous: bool
    questions: tuple[Question, ...]
    corruption_note: bool = False  # reports: official corruption goes to 12388


SUBJECT = Question(
    "subject",
    _l("Subject"),
    multiline=False,
    hint=_l("A few words that name the matter, for example: appeal against a decision."),
)
FACTS = Question(
    "facts", _l("What happened"), hint=_l("When, where, who was involved, what happened.")
)
REQUEST = Question("request", _l("What you ask us to do"))
CASE_NUMBER = Question(
    "case_number",
    _l("Case or decision number, if you have one"),
    multiline=False,
    required=False,
    hint=_l("For example 示检刑不诉〔2023〕17号."),
)
DECIDED_BY = Question(
    "decided_by", _l("Which authority made the decision you appeal against"), multiline=False
)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "complaint",
            _l("Complaint (控告)"),
            _l("Complain about an unlawful act that harmed your rights or those of others."),
            False,
            (
                SUBJECT,
                Question("accused", _l("Who you complain about"), multiline=False),
                FACTS,
                REQUEST,
                CASE_NUMBER,
            ),
        ),
        Kind(
            "criminal_appeal",
            _l("Criminal appeal (刑事申诉)"),
            _l("Appeal against an effective criminal judgment or a procuratorate's decision."),
            False,
            (
                SUBJECT,
                CASE_NUMBER,
                DECIDED_BY,
                Question("grounds", _l("Why you think the decision is wrong")),
                REQUEST,
            ),
        ),
        Kind(
            "civil_appeal",
            _l("Civil or administrative appeal (民事/行政申诉)"),
            _l("Ask us to supervise an effective civil or administrative judgment."),
            False,
            (
                SUBJECT,
                CASE_NUMBER,
                DECIDED_BY,
                Question("grounds", _l("Why you think the decision is wrong")),
                REQUEST,
            ),
        ),
        Kind(
            "compensation",
            _l("State compensation (国家赔偿)"),
            _l("Claim compensation for harm caused by a procuratorate exercising its powers."),
            False,
            (
                SUBJECT,
                CASE_NUMBER,
                Question("harm", _l("The harm you suffered and its cause")),
                Question("amount", _l("What compensation you claim")),
            ),
        ),
        Kind(
            "report",
            _l("Report (举报)"),
            _l("Report illegal acts by judicial staff. You may report anonymously."),
            True,
            (
                SUBJECT,
                Question("person_name", _l("Name of the person reported"), multiline=False),
                Question("person_unit", _l("Their unit"), multiline=False),
                Question("person_position", _l("Their position"), multiline=False, required=False),
                Question(
                    "other_persons",
                    _l("Other people reported, if any"),
                    required=False,
                    hint=_l("One per line: name, unit, position."),
                ),
                Question("when", _l("When it happened"), multiline=False),
                Question("where", _l("Where it happened"), multiline=False),
                Question("facts", _l("What happened")),
                Question("evidence", _l("Evidence and where it comes from"), required=False),
                Question("witnesses", _l("Witnesses"), required=False),
                REQUEST,
            ),
            corruption_note=True,
        ),
        Kind(
            "consultation",
            _l("Consultation (咨询)"),
            _l("Ask a question about the law or about our work."),
            False,
            (SUBJECT, Question("question", _l("Your question"))),
        ),
        Kind(
            "suggestion",
            _l("Suggestion (建议)"),
            _l("Tell us how we could do our work better. You may stay anonymous."),
            True,
            (SUBJECT, Question("suggestion", _l("Your suggestion"))),
        ),
    )
}

STATUSES: dict[str, LazyString] = {
    "received": _l("Received"),
    "accepted": _l("Accepted"),
    "more_material": _l("More material needed"),
    "transferred": _l("Transferred"),
    "not_accepted": _l("Not accepted"),
    "in_progress": _l("In progress"),
    "answered": _l("Answered"),
    "closed": _l("Closed"),
}

# Procedural decisions: each stops the 7-day clock and needs a reason.
PROCEDURAL = frozenset({"accepted", "more_material", "transferred", "not_accepted"})

# No clock runs any more: answered, closed, or handed over / refused with a reason.
FINISHED = ("answered", "closed", "transferred", "not_accepted")

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("accepted", "more_material", "transferred", "not_accepted"),
    "more_material": ("accepted", "transferred", "not_accepted"),
    "accepted": ("in_progress", "answered"),
    "in_progress": ("answered",),
    "answered": ("in_progress", "closed"),
    "transferred": ("closed",),
    "not_accepted": ("closed",),
    "closed": (),
}

RATINGS: dict[str, LazyString] = {
    "satisfied": _l("Satisfied (满意)"),
    "fair": _l("Basically satisfied (基本满意)"),
    "unsatisfied": _l("Not satisfied (不满意)"),
}

CHANNELS: dict[str, LazyString] = {
    "online": _l("Online"),
    "in_person": _l("In person"),
}

IDENTITY_FIELDS: dict[str, LazyString] = {
    "name": _l("Full name"),
    "id_number": _l("Identity card number"),
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
}
