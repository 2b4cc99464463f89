"""Every write to the grants domain, one module per stage. Each service runs in a
transaction and records an audit event; a refused step raises ValidationError with
a German message and changes nothing. Import the steps from here:
`services.vote_close(...)`."""

from .applications import (
    application_accept_complete,
    application_create,
    application_request_revision,
    application_resubmit,
    application_submit,
    application_update,
    recommendation_create,
)
from .core import audit
from .funds import meetings_schedule
from .ledger import fiscal_year_budget_set, fiscal_year_create
from .letters import decision_letter_issue, document_correct
from .organisations import bank_change_confirm, bank_change_reject, organisation_update
from .payouts import appeal_waive, payout_record
from .reports import report_review, report_submit
from .steering import VoteClosed, conflict_declare, motion_put, vote_cast, vote_close

__all__ = [
    "VoteClosed", "appeal_waive", "application_accept_complete", "application_create",
    "application_request_revision", "application_resubmit", "application_submit", "application_update", "audit",
    "bank_change_confirm", "bank_change_reject", "conflict_declare", "decision_letter_issue", "document_correct",
    "fiscal_year_budget_set", "fiscal_year_create", "meetings_schedule", "motion_put", "organisation_update",
    "payout_record", "recommendation_create", "report_review", "report_submit", "vote_cast", "vote_close",
]  # fmt: skip
