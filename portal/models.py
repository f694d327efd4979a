"""Every model, imported in one place so that the metadata is complete
(for Alembic's autogenerate and for the schema check in the tests)."""

from .audit import AuditEntry, AuditHead
from .db import Base
from .disclosure.models import (
    Document,
    DocumentAttachment,
    DocumentRevision,
    GuardOverride,
    SearchOutbox,
)
from .mail import OutboxMail
from .page_cache import SiteGeneration
from .pages.models import Page
from .staff.models import StaffUser
from .surveys.models import Answer, Invitation, Option, Question, Questionnaire, SurveyResponse

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Base",
    "Document",
    "DocumentAttachment",
    "DocumentRevision",
    "GuardOverride",
    "OutboxMail",
    "Page",
    "SearchOutbox",
    "SiteGeneration",
    "StaffUser",
    "Answer",
    "Invitation",
    "Option",
    "Question",
    "Questionnaire",
    "SurveyResponse",
]
