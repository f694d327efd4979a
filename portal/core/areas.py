"""The public areas of the portal, in the order the home page and menu show them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Area:
    slug: str
    title: LazyString
    summary: LazyString
    offline: LazyString
    endpoint: str | None = None  # the area's own page, once its online service exists
    icon: str = "guides"  # a name in templates/_icons.html, shared with the kiosk's tiles


AREAS: tuple[Area, ...] = (
    Area(
        "documents",
        _l("Published documents"),
        _l("Read and search the legal documents, case information and announcements we publish."),
        _l("You can also ask for a published document at the reception of the procuratorate."),
        "disclosure.register",
        "documents",
    ),
    Area(
        "case-inquiry",
        _l("Case inquiry"),
        _l("Parties, relatives and lawyers can look up the procedural status of a case."),
        _l(
            "Parties and their lawyers can ask about a case by calling 12309 "
            "or at the reception, with their identity card."
        ),
        "cases.start",
        "inquiry",
    ),
    Area(
        "lawyers",
        _l("Lawyers' appointments"),
        _l(
            "Defence lawyers and litigation agents book file reading, a meeting with the "
            "prosecutor, written opinions or evidence collection."
        ),
        _l(
            "Lawyers can book at the reception of the procuratorate with their practising "
            "certificate, the letter of authorisation and their law firm's letter."
        ),
        "appointments.index",
        "inquiry",
    ),
    Area(
        "complaints",
        _l("Complaints and reports"),
        _l("Make a complaint, an appeal or a report, ask a question, and follow the reply."),
        _l(
            "You can make a complaint, appeal or report by calling 12309, on the national "
            "12309 website, by letter, or in person at the reception."
        ),
        "submissions.index",
        "submit",
    ),
    Area(
        "answers",
        _l("Questions and answers"),
        _l("Answers to questions people have asked us, by topic, before you write your own."),
        _l("You can ask a question by calling 12309 or at the reception."),
        "answers.list_answers",
        "answers",
    ),
    Area(
        "open-days",
        _l("Open days"),
        _l("Book a visit to a procuratorate open day at one of our liaison offices."),
        _l("To book a visit to an open day, call the number below during office hours."),
        "booking.list_open_days",
        "booking",
    ),
    Area(
        "questionnaires",
        _l("Questionnaires"),
        _l("Tell us how satisfied you are with our work."),
        _l("You can give your opinion of our work by calling 12309 or in person."),
        "surveys.list_questionnaires",
        "surveys",
    ),
)

AREAS_BY_SLUG = {area.slug: area for area in AREAS}
