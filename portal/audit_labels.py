"""What staff read for the codes the audit log stores: actions, kinds of record, and the
notes kept with document revisions.

This is the one list of audit actions: `audit.record` refuses an action missing here, so
a new action cannot reach the audit page as an untranslated code.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, LazyString] = {
    # Public questions and answers
    "answer.create": _l("Public answer drafted from a consultation"),
    "answer.edit": _l("Public answer edited"),
    "answer.mask": _l("Personal data masked in a public answer"),
    "answer.submit": _l("Public answer sent for approval"),
    "answer.approve": _l("Public answer approved and published"),
    "answer.withdraw": _l("Public answer withdrawn"),
    "answer.reopen": _l("Withdrawn public answer reopened as a draft"),
    # Lawyers' appointments
    "appointments.opened": _l("Lawyer's appointment request opened"),
    "appointments.accepted": _l("Lawyer's appointment accepted into a slot"),
    "appointments.proposed": _l("Another time proposed to a lawyer"),
    "appointments.refused": _l("Lawyer's appointment refused"),
    "appointments.slot_published": _l("Appointment slot published"),
    "appointments.slot_deleted": _l("Appointment slot deleted"),
    "staff.department": _l("Staff member's department set"),
    # Open days
    "booking.office_created": _l("Liaison office added"),
    "booking.office_updated": _l("Liaison office changed"),
    "booking.open_day_created": _l("Open day added"),
    "booking.open_day_updated": _l("Open day changed"),
    "booking.open_day_deleted": _l("Open day deleted"),
    "booking.session_created": _l("Open-day session added"),
    "booking.session_updated": _l("Open-day session changed"),
    "booking.session_deleted": _l("Open-day session deleted"),
    "booking.lottery_run": _l("Open-day draw run"),
    "booking.check_in_lookup": _l("Booking looked up at check-in"),
    "booking.check_in": _l("Visitor checked in"),
    "booking.attendees_sheet": _l("Attendee sheet viewed"),
    "booking.attendees_csv": _l("Attendee list downloaded"),
    # Case inquiry
    "cases.view": _l("Case viewed"),
    "cases.inquiry.party": _l("Case looked up by a party"),
    "cases.inquiry.code": _l("Case looked up by inquiry code"),
    "cases.access.request": _l("Case access requested"),
    "cases.access.view": _l("Case access request viewed"),
    "cases.access.proof": _l("Proof of identity for case access viewed"),
    "cases.access.approve": _l("Case access approved"),
    "cases.access.refuse": _l("Case access refused"),
    "cases.seal": _l("Case sealed"),
    "cases.import": _l("Cases imported"),
    "cases.import_failed": _l("Case import failed"),
    # Published documents
    "document.create": _l("Document created"),
    "document.edit": _l("Document edited"),
    "document.mask": _l("Personal data masked in a document"),
    "document.guard_override": _l("Personal-data check overridden"),
    "document.guard_allowed": _l("Personal data allowed in a loaded document"),
    "document.submit": _l("Document sent for approval"),
    "document.approve": _l("Document approved and published"),
    "document.withdraw": _l("Document withdrawn"),
    "document.attach": _l("File attached to a document"),
    # Keys and kiosks
    "keys.reencrypt": _l("Personal data re-encrypted with a new key"),
    "kiosk.register": _l("Kiosk registered"),
    "kiosk.reissue": _l("Kiosk enrolment code reissued"),
    "kiosk.enrol": _l("Kiosk enrolled"),
    "kiosk.revoke": _l("Kiosk revoked"),
    # Staff accounts
    "staff.create": _l("Staff account created"),
    "staff.enrol_2fa": _l("Two-step sign-in set up"),
    "staff.reset_2fa": _l("Two-step sign-in reset"),
    "staff.login": _l("Signed in"),
    "staff.login_failed": _l("Failed sign-in"),
    "staff.logout": _l("Signed out"),
    # Complaints, appeals, reports and consultations
    "submission.viewed": _l("Submission viewed"),
    "submission.identity_viewed": _l("Whistleblower's identity viewed"),
    "submission.recorded_in_person": _l("Submission recorded in person"),
    "submission.status": _l("Submission status changed"),
    "submission.reply": _l("Reply sent"),
    "submission.note": _l("Internal note added"),
    "submission.correction": _l("Correction added"),
    "submission.assign": _l("Submission assigned"),
    "submission.spam": _l("Marked as spam"),
    "submission.unspam": _l("Spam mark removed"),
    "submission.follow_up_done": _l("Unsatisfied rating followed up"),
    "submission.file_downloaded": _l("Attached file downloaded"),
    "submission.export": _l("Submissions exported"),
    "submission.filter_saved": _l("Queue filter saved"),
    "submission.filter_deleted": _l("Saved queue filter deleted"),
    # Judicial aid
    "judicial_aid.opened": _l("Judicial aid application opened"),
    "judicial_aid.account_revealed": _l("Bank account of a judicial aid application shown"),
    "judicial_aid.decided": _l("Judicial aid decided"),
    "judicial_aid.statistics": _l("Judicial aid statistics viewed"),
    # Questionnaires
    "survey.create": _l("Questionnaire created"),
    "survey.update": _l("Questionnaire changed"),
    "survey.new_version": _l("New questionnaire version made"),
    "survey.add_question": _l("Question added"),
    "survey.edit_question": _l("Question changed"),
    "survey.move_question": _l("Question moved"),
    "survey.remove_question": _l("Question removed"),
    "survey.publish": _l("Questionnaire opened for answers"),
    "survey.close": _l("Questionnaire closed"),
    "survey.invite": _l("Invitations issued"),
    "survey.return_visits": _l("Return-visit invitations issued"),
    "survey.export_csv": _l("Questionnaire answers exported"),
}

TARGET_LABELS: dict[str, LazyString] = {
    "access_proof": _l("Proof of identity"),
    "access_request": _l("Case access request"),
    "appointment_slot": _l("Appointment slot"),
    "booking": _l("Booking"),
    "case": _l("Case"),
    "document": _l("Document"),
    "kiosk": _l("Kiosk"),
    "office": _l("Liaison office"),
    "open_day": _l("Open day"),
    "open_day_session": _l("Open-day session"),
    "public_answer": _l("Public answer"),
    "questionnaire": _l("Questionnaire"),
    "staff_user": _l("Staff account"),
    "submission": _l("Submission"),
}

# Notes the portal writes with each revision of a document.
REVISION_NOTES: dict[str, LazyString] = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "personal data masked": _l("Personal data masked"),
}
LOADED_FROM = "loaded from "


def is_known_action(action: str) -> bool:
    return action in ACTION_LABELS


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def target_label(target_type: str | None) -> str:
    if not target_type:
        return ""
    return str(TARGET_LABELS.get(target_type, target_type))


def revision_note(note: str) -> str:
    """A revision's note as staff read it; a note typed by staff is shown as typed."""
    if note in REVISION_NOTES:
        return str(REVISION_NOTES[note])
    if note.startswith(LOADED_FROM):
        return _("Loaded from the file %(file)s", file=note[len(LOADED_FROM) :])
    return note
