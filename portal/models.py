"""Every model, imported in one place so that the metadata is complete
(for Alembic's autogenerate and for the schema check in the tests)."""

from .answers.models import PublicAnswer
from .appointments.models import Appointment, AppointmentEvent, AppointmentSlot
from .audit import AuditEntry, AuditHead
from .booking.models import Booking, Office, OpenDay, OpenDaySession
from .cases.models import (  # noqa: F401
    AccessProof,
    AccessRequest,
    Case,
    CaseEvent,
    CaseImport,
    CaseInquiry,
    CaseParty,
    CoerciveMeasure,
)
from .db import Base
from .disclosure.models import (
    Document,
    DocumentAttachment,
    DocumentRevision,
    GuardOverride,
    SearchOutbox,
)
from .judicial_aid.models import AidDecision
from .kiosk.models import Kiosk, KioskUsage
from .mail import OutboxMail
from .page_cache import SiteGeneration
from .pages.models import Page
from .ratelimit import RateLimitCounter
from .staff.models import StaffUser
from .submissions.models import (
    ReplyRating,
    Submission,
    SubmissionAddition,
    SubmissionDraft,
    SubmissionEvent,
    SubmissionFile,
    SubmissionNote,
    SubmissionReply,
)
from .surveys.models import (
    Answer,
    Invitation,
    Option,
    Question,
    Questionnaire,
    ReturnVisit,
    SurveyResponse,
)

__all__ = [
    "AidDecision",
    "Appointment",
    "AppointmentEvent",
    "AppointmentSlot",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Booking",
    "Document",
    "DocumentAttachment",
    "DocumentRevision",
    "GuardOverride",
    "Kiosk",
    "KioskUsage",
    "Office",
    "OpenDay",
    "OpenDaySession",
    "OutboxMail",
    "Page",
    "PublicAnswer",
    "RateLimitCounter",
    "SearchOutbox",
    "SiteGeneration",
    "ReplyRating",
    "ReturnVisit",
    "StaffUser",
    "Submission",
    "SubmissionAddition",
    "SubmissionDraft",
    "SubmissionEvent",
    "SubmissionFile",
    "SubmissionNote",
    "SubmissionReply",
    "Answer",
    "Invitation",
    "Option",
    "Question",
    "Questionnaire",
    "SurveyResponse",
]
