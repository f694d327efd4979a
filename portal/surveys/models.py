"""Questionnaires (versioned), their questions and options, responses, answers and invitations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow

# Kinds of question. The rating and yes/no kinds get fixed options with stable values.
KINDS = ("single", "multiple", "rating3", "rating5", "text", "yesno")
CHOICE_KINDS = frozenset({"single", "multiple", "rating3", "rating5", "yesno"})
RATING_KINDS = frozenset({"rating3", "rating5"})
FIXED_VALUES: dict[str, tuple[str, ...]] = {
    "rating3": ("satisfied", "fairly", "dissatisfied"),
    "rating5": ("5", "4", "3", "2", "1"),
    "yesno": ("yes", "no"),
}
AUDIENCES = ("public", "invitation")
STATUSES = ("draft", "published", "closed", "superseded")


class Questionnaire(Base):
    """One version of a questionnaire. Versions of the same questionnaire share `family_id`."""

    __tablename__ = "questionnaires"
    __table_args__ = (UniqueConstraint("family_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int | None] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")
    # English wording; empty means English pages show the Chinese (marked as Chinese).
    title_en: Mapped[str] = mapped_column(String(200), default="")
    introduction_en: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(120), default="")
    audience: Mapped[str] = mapped_column(String(20), default="public")
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )


class Question(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Questions with the same section heading, one after another, form a section.
    section: Mapped[str] = mapped_column(String(200), default="")
    section_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    min_choices: Mapped[int | None] = mapped_column(Integer)
    max_choices: Mapped[int | None] = mapped_column(Integer)
    max_length: Mapped[int | None] = mapped_column(Integer)
    # Shown only when the answer to an earlier question includes this option. No foreign
    # key (options already point at questions): the service checks it is an earlier question's.
    condition_option_id: Mapped[int | None] = mapped_column(Integer)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question",
        order_by="Option.position",
        cascade="all, delete-orphan",
    )


class Option(Base):
    __tablename__ = "survey_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A stable value for the fixed kinds ("satisfied", "4", "yes"); empty for staff's own options.
    value: Mapped[str] = mapped_column(String(40), default="")
    label: Mapped[str] = mapped_column(String(300), default="")
    label_en: Mapped[str] = mapped_column(String(300), default="")

    question: Mapped[Question] = relationship(back_populates="options")


class Invitation(Base):
    """A single-use code for a return visit. Only a keyed hash of the code is kept."""

    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_by_mail: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReturnVisit(Base):
    """Who was invited from a list (open-day attendees, submitters, case parties), so that
    nobody is invited twice to the same questionnaire (any version of it). The person is
    kept only as a keyed hash of their reference in the list."""

    __tablename__ = "survey_return_visits"
    __table_args__ = (UniqueConstraint("family_id", "person_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(Integer)
    person_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))  # open_day, answered, closed_case
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitations.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyResponse(Base):
    """One person's answers. The token or the invitation is unique: nothing is stored twice."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # online, kiosk, invitation
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitations.id"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(Base):
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("survey_options.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
