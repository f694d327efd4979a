"""The kinds of submission, their questions, statuses and ratings (labels for both languages)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..appointments.fields import (
    applicant_types,
    clean_case_number,
    clean_licence,
    departments,
    purposes,
)
from ..judicial_aid.fields import clean_amount, clean_bank_account, mask_account


@dataclass(frozen=True)
class Question:
    """One answer a kind asks for on its details page."""

    name: str
    label: LazyString
    multiline: bool = True
    required: bool = True
    hint: LazyString | None = None
    # Cleans the answer or raises judicial_aid.fields.FieldProblem with what to type.
    clean: Callable[[str], str] | None = None
    # Shown only as its last four digits on every screen (bank accounts).
    masked: bool = False
    # A choice among these {value: label}, read when the form is built (a select).
    choices: Callable[[], Mapping[str, object]] | None = None

    def shown(self, value: str | None) -> str:
        if self.choices is not None and value:
            return str(self.choices().get(value, value))
        return mask_account(value) if self.masked and value else value or ""


@dataclass(frozen=True)
class Kind:
    key: str
    title: LazyString
    summary: LazyString
    may_be_anonymous: bool
    questions: tuple[Question, ...]
    corruption_note: bool = False  # reports: official corruption goes to 12388
    needs_files: bool = False  # proofs are part of the application: none, no sending
    # Only staff holding one of these roles see it (empty: the ordinary queue's handlers).
    staff_roles: tuple[str, ...] = ()
    # Its own statuses' order, instead of TRANSITIONS.
    transitions: dict[str, tuple[str, ...]] | None = None
    # With needs_files: what must be attached (said when nothing is, and at a kiosk).
    proofs: LazyString | None = None
    # Its answer is a mail the person acts on (an appointment's time): no address, no request.
    needs_email: bool = False


# What an e-mail address looks like; the rest is the mail server's to judge.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_NEEDED = _l("Enter your e-mail address: the answer to your request is sent there.")

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
        Kind(
            "judicial_aid",
            _l("Judicial aid (国家司法救助)"),
            _l(
                "Victims of crime in financial hardship, or their close relatives, apply for "
                "state judicial aid."
            ),
            False,
            (
                Question(
                    "case",
                    _l("The case: its number, or what happened, when and where"),
                    hint=_l(
                        "For example 示公刑立〔2025〕88号, or: "
                        "robbed on 3 May 2025 in Example Road."
                    ),
                ),
                Question("harm", _l("The harm you suffered")),
                Question(
                    "hardship",
                    _l("Your financial hardship"),
                    hint=_l(
                        "Income, medical costs, people you support, compensation not received."
                    ),
                ),
                Question(
                    "amount",
                    _l("Amount you ask for, in yuan"),
                    multiline=False,
                    hint=_l("A number, for example 20000."),
                    clean=clean_amount,
                ),
                Question(
                    "bank_account",
                    _l("Bank account for the payment"),
                    multiline=False,
                    hint=_l(
                        "The account number, in your own name or the applicant's; "
                        "only its last four digits are shown on screen."
                    ),
                    clean=clean_bank_account,
                    masked=True,
                ),
            ),
            needs_files=True,
            proofs=_l(
                "Attach your proofs before sending: a copy of your identity card and "
                "documents showing the harm and your hardship."
            ),
            staff_roles=("judicial_aid",),
            transitions={
                "received": ("accepted", "more_material", "not_accepted"),
                "more_material": ("accepted", "not_accepted"),
                "accepted": ("reviewing",),
                "reviewing": ("aid_granted", "aid_refused"),
                "aid_granted": ("paid",),
                "aid_refused": ("closed",),
                "paid": ("closed",),
                "not_accepted": ("closed",),
                "closed": (),
            },
        ),
        Kind(
            "lawyer_appointment",
            _l("Lawyers' appointments (辩护与代理预约)"),
            _l(
                "Defence lawyers, litigation agents and legal aid workers book file reading, "
                "a meeting with the prosecutor, written opinions or evidence collection."
            ),
            False,
            (
                Question("purpose", _l("What you ask for"), multiline=False, choices=purposes),
                Question("applicant_type", _l("You are"), multiline=False, choices=applicant_types),
                Question("law_firm", _l("Law firm or legal aid centre"), multiline=False),
                Question(
                    "licence",
                    _l("Practising-licence number"),
                    multiline=False,
                    hint=_l("The 17 digits on your practising licence (执业证号)."),
                    clean=clean_licence,
                ),
                Question(
                    "case_number",
                    _l("Case number"),
                    multiline=False,
                    hint=_l("As on the case documents, for example 深龙华检刑诉〔2019〕1247号."),
                    clean=clean_case_number,
                ),
                Question(
                    "department",
                    _l("Department handling the case, if we do not know the case number"),
                    multiline=False,
                    required=False,
                    hint=_l(
                        "Leave it empty when the case number is known to us; otherwise the "
                        "request cannot be sent without it."
                    ),
                    choices=departments,
                ),
                Question(
                    "client", _l("Your client (suspect, defendant or party)"), multiline=False
                ),
                Question(
                    "preferred_times",
                    _l("When you could come"),
                    required=False,
                    hint=_l("For example: weekday mornings next week, not Friday."),
                ),
            ),
            needs_files=True,
            proofs=_l(
                "Attach your proofs before sending: your practising certificate, the client's "
                "letter of authorisation and the letter from your law firm."
            ),
            staff_roles=("case_officer",),
            needs_email=True,
            # Only what the appointment says: the answer is the appointment's own status.
            transitions={"received": ()},
        ),
    )
}

# Kinds the ordinary submissions queue never shows (their own role handles them).
RESTRICTED_KINDS = tuple(key for key, kind in KINDS.items() if kind.staff_roles)

STATUSES: dict[str, LazyString] = {
    "received": _l("Received"),
    "accepted": _l("Accepted"),
    "more_material": _l("More material needed"),
    "transferred": _l("Transferred"),
    "not_accepted": _l("Not accepted"),
    "in_progress": _l("In progress"),
    "answered": _l("Answered"),
    "closed": _l("Closed"),
    # Judicial aid: 受理 (accepted) -> 审查 -> 决定 -> 发放
    "reviewing": _l("Under review (审查)"),
    "aid_granted": _l("Decided: aid granted (决定)"),
    "aid_refused": _l("Decided: aid refused (决定)"),
    "paid": _l("Aid paid (发放)"),
}

# Procedural decisions: each stops the 7-day clock and needs a reason.
PROCEDURAL = frozenset({"accepted", "more_material", "transferred", "not_accepted"})

# No clock runs any more: answered, closed, or handed over / refused with a reason.
FINISHED = ("answered", "closed", "transferred", "not_accepted", "aid_refused", "paid")

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


def transitions_for(kind: str, status: str) -> tuple[str, ...]:
    """The statuses that may follow `status` for this kind."""
    spec = KINDS.get(kind)
    table = spec.transitions if spec is not None and spec.transitions else TRANSITIONS
    return table.get(status, ())


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
