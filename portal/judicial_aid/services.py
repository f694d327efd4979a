"""Handling judicial aid applications: who may see them, opening and revealing
(audited), moving through the stages, the decision with its letter, statistics.

Applications are submissions of the kind `judicial_aid`: the stages are its
statuses (see `submissions.types`), the decision letter is a reply, a 不满意
rating of it opens the usual follow-up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..staff.models import StaffUser
from ..submissions import services as submissions
from ..submissions.deadlines import Limits
from ..submissions.models import Submission
from ..submissions.services import SubmissionError, audit_action
from .fields import FieldProblem, mask_account, parse_amount
from .models import AidDecision

KIND = "judicial_aid"
ROLE = "judicial_aid"
# Follows up 不满意 ratings: reads the application rated, changes nothing.
READER = "supervisor"
DECISIONS = {"granted": "aid_granted", "refused": "aid_refused"}
# The statutory stages the applicant follows, each reached by one of its statuses.
STAGES: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("accepted", _l("Accepted (受理)"), ("accepted",)),
    ("reviewing", _l("Review (审查)"), ("reviewing",)),
    ("decided", _l("Decision (决定)"), ("aid_granted", "aid_refused")),
    ("paid", _l("Payment (发放)"), ("paid",)),
)


def may_handle(staff: StaffUser | None) -> bool:
    """Only the judicial aid role: moderators and report officers do not see these."""
    return staff is not None and staff.has_any_role(ROLE)


def may_read(staff: StaffUser, submission: Submission) -> bool:
    """The judicial aid role reads every application. A supervisor reads only one whose
    applicant rated a letter 不满意, to follow the rating up: never the others, and
    never the full account, the proofs or a step (`may_handle` guards those)."""
    if may_handle(staff):
        return True
    return staff.has_any_role(READER) and any(
        reply.rating is not None and reply.rating.rating == "unsatisfied"
        for reply in submission.replies
    )


def due(db: Session, now: datetime, limits: Limits) -> submissions.DueReport:
    """Applications whose acceptance or decision is overdue or due soon."""
    return submissions.due_report(db, now, limits, kinds=(KIND,))


def list_applications(db: Session) -> list[Submission]:
    return list(
        db.scalars(
            select(Submission)
            .where(Submission.kind == KIND, Submission.spam.is_(False))
            .order_by(Submission.received_at.desc(), Submission.id.desc())
        )
    )


def load(db: Session, submission_id: int) -> Submission | None:
    submission = db.get(Submission, submission_id)
    return submission if submission is not None and submission.kind == KIND else None


def open_application(db: Session, staff: StaffUser, submission: Submission) -> None:
    """Every opening is audited (the identity and the harm are on the page); only a
    handler's opening marks it read, a supervisor's leaves it as the handlers left it."""
    if may_handle(staff):
        submission.unread = False
    audit_action(db, staff, "judicial_aid.opened", submission)
    db.flush()


def reveal_account(db: Session, staff: StaffUser, submission: Submission) -> str:
    """The full bank account, for paying: audited each time it is shown."""
    audit_action(db, staff, "judicial_aid.account_revealed", submission)
    db.flush()
    return submissions.answers_of(submission).get("bank_account", "")


def masked_account(submission: Submission) -> str:
    return mask_account(submissions.answers_of(submission).get("bank_account"))


def stages(submission: Submission) -> list[tuple[object, str]]:
    """Each stage with "done", "current" or "todo", from the status history."""
    reached = {event.to_status for event in submission.events}
    states = [any(s in reached for s in statuses) for _key, _label, statuses in STAGES]
    last = max((i for i, done in enumerate(states) if done), default=-1)
    result = []
    for i, (_key, label, _statuses) in enumerate(STAGES):
        state = (
            "current"
            if i == last and submission.status != "closed"
            else ("done" if i <= last else "todo")
        )
        result.append((label, state))
    return result


def decide(
    db: Session,
    submission: Submission,
    *,
    outcome: str,
    amount: str,
    letter: str,
    staff: StaffUser,
    now: datetime,
    track_url: str,
) -> AidDecision:
    """The decision (决定): its letter goes to the applicant as a reply, the outcome
    and the amount granted are kept for the statistics."""
    status = DECISIONS.get(outcome)
    if status is None:
        raise SubmissionError(_l("Choose whether aid is granted or refused."), "outcome")
    fen = 0
    if outcome == "granted":
        try:
            fen = int(parse_amount(amount) * 100)
        except FieldProblem as problem:
            raise SubmissionError(problem.message, "amount") from None  # type: ignore[arg-type]
    submissions.post_reply(
        db, submission, letter, staff, now, track_url=track_url, new_status=status
    )
    submission.answered_at = now
    decision = AidDecision(
        submission_id=submission.id,
        outcome=outcome,
        amount_fen=fen,
        staff_id=staff.id,
        decided_at=now,
    )
    db.add(decision)
    audit_action(db, staff, "judicial_aid.decided", submission, outcome=outcome)
    db.flush()
    return decision


def move(
    db: Session,
    submission: Submission,
    to_status: str,
    reason: str,
    staff: StaffUser,
    now: datetime,
) -> None:
    """Any step but the decision, which goes with its letter (`decide`)."""
    if to_status in DECISIONS.values():
        raise SubmissionError(_l("Record the decision with its letter below."), "status")
    submissions.change_status(db, submission, to_status, reason, staff, now)


@dataclass
class MonthRow:
    month: str  # "2026-12"
    granted: int = 0
    refused: int = 0
    amount_fen: int = 0

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_fen) / 100


def statistics(db: Session) -> list[MonthRow]:
    """Decisions by month and outcome, with the total granted: counts and sums only,
    read from the decisions table (no name, account or text of any application)."""
    rows: dict[str, MonthRow] = defaultdict(lambda: MonthRow(""))
    for decided_at, outcome, fen in db.execute(
        select(AidDecision.decided_at, AidDecision.outcome, AidDecision.amount_fen)
    ):
        month = decided_at.strftime("%Y-%m")
        row = rows[month]
        row.month = month
        if outcome == "granted":
            row.granted += 1
            row.amount_fen += fen
        else:
            row.refused += 1
    return [rows[m] for m in sorted(rows, reverse=True)]


def record_statistics_view(db: Session, staff: StaffUser) -> None:
    audit.record(db, action="judicial_aid.statistics", actor=staff.username, actor_id=staff.id)
