"""The business status of an application and its transitions, declared as data.

Only grants.services moves an application between states, and only the
workflow calls those services for process steps."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    REVISION = "revision", _("revision requested")
    ASSESSMENT = "assessment", _("in assessment")
    ON_AGENDA = "on_agenda", _("on the agenda")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    PAID = "paid", _("paid out")
    REPORTED = "reported", _("report submitted")
    REPAYMENT = "repayment", _("repayment claimed")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str
    staff_label: str
    applicant_label: str


TRANSITIONS = {
    "submit": Transition(
        (Status.DRAFT,), Status.SUBMITTED, _("Application submitted"), _("You submitted the application")
    ),
    "request_revision": Transition(
        (Status.SUBMITTED,), Status.REVISION, _("Revision requested"), _("The office asks for more information")
    ),
    "resubmit": Transition(
        (Status.REVISION,), Status.SUBMITTED, _("Revision received"), _("You sent the revised application")
    ),
    "accept_complete": Transition(
        (Status.SUBMITTED,), Status.ASSESSMENT, _("Application complete"), _("Your application is complete")
    ),
    "recommend": Transition(
        (Status.ASSESSMENT,), Status.ON_AGENDA, _("Recommendation made"), _("Your application is on the agenda")
    ),
    "recommend_incomplete": Transition(
        (Status.REVISION,),
        Status.ON_AGENDA,
        _("Rejection recommended: the revision was not answered"),
        _("Your application is on the agenda"),
    ),  # fmt: skip
    "defer": Transition(
        (Status.ON_AGENDA,), Status.ON_AGENDA, _("Deferred to the next meeting"), _("The decision was deferred")
    ),
    "approve": Transition((Status.ON_AGENDA,), Status.APPROVED, _("Approved"), _("Your application was approved")),
    "reject": Transition((Status.ON_AGENDA,), Status.REJECTED, _("Rejected"), _("Your application was rejected")),
    "remedy": Transition(
        (Status.REJECTED,),
        Status.APPROVED,
        _("Approved on the objection (remedy)"),
        _("Your objection succeeded: the application is approved"),
    ),
    "pay": Transition((Status.APPROVED,), Status.PAID, _("Paid out"), _("The grant was paid out")),
    "report": Transition((Status.PAID,), Status.REPORTED, _("Report submitted"), _("You submitted the report")),
    "request_report_changes": Transition(
        (Status.REPORTED,), Status.PAID, _("Report returned"), _("The office asks you to complete the report")
    ),
    "close": Transition((Status.REPORTED,), Status.CLOSED, _("File closed"), _("The file is closed")),
    "claim_repayment": Transition(
        (Status.PAID, Status.REPORTED),
        Status.REPAYMENT,
        _("Repayment claimed"),
        _("The office claims money back from you"),
    ),  # fmt: skip
    "repayment_receive": Transition(
        (Status.REPAYMENT,),
        Status.CLOSED,
        _("Repayment received, file closed"),
        _("Your repayment was received and the file is closed"),
    ),  # fmt: skip
    "withdraw": Transition(
        (Status.DRAFT, Status.SUBMITTED, Status.REVISION, Status.ASSESSMENT),
        Status.WITHDRAWN,
        _("Withdrawn by the applicant"),
        _("You withdrew the application"),
    ),
}


# What the office reads in a file's history for every other recorded step, in plain words.
EVENT_LABELS = {
    "application_create": _("Draft started"),
    "application_update": _("Application changed"),
    "revision_request": _("Revision request sent"),
    "recommendation_create": _("Recommendation recorded"),
    "vote_cast": _("Vote cast"),
    "conflict_declare": _("Conflict of interest declared"),
    "motion_put": _("Motion put to the vote"),
    "vote_close": _("Vote closed"),
    "decision_record": _("Decision recorded"),
    "letter_issue": _("Letter issued"),
    "letter_correct": _("Corrected letter issued"),
    "appeal_waive": _("Right of appeal waived"),
    "payout_record": _("Payout recorded"),
    "report_submit": _("Report submitted"),
    "report_review": _("Report checked"),
    "instalment_request": _("Instalment requested"),
    "payout_order_issue": _("Payout order issued"),
    "conditions_met": _("Conditions recorded as met"),
    "repayment_hearing": _("Hearing before the repayment claim sent"),
    "repayment_decide": _("Revocation and repayment decision issued"),
    "change_request": _("Change requested"),
    "change_decide": _("Change request decided"),
    "objection_record": _("Objection received"),
    "objection_decide": _("Objection decided"),
    "referral_schedule": _("Put on a meeting's agenda"),
    "note_add": _("Internal note written"),
    "completeness_checklist": _("Completeness checklist confirmed"),
    "revision_extend": _("Revision deadline extended"),
    "revision_remind": _("Applicant reminded of the revision"),
    "revision_overdue": _("Revision deadline passed: the office decides"),
    "agenda_item_move": _("Moved to another meeting"),
    "circular_deadline_move": _("Deadline of the written procedure moved"),
    "circular_remind": _("Members reminded of the written procedure"),
    "task_assign": _("Task assigned"),
    "task_release": _("Task given back to the queue"),
}
