"""Every write to the grants domain, one module per stage. Each service runs in a
transaction and records an audit event; a refused step raises ValidationError with
a German message and changes nothing. Import the steps from here:
`services.vote_close(...)`."""

from . import changes, instalments, repayments  # noqa: F401
from .applications import (  # noqa: F401
    application_accept_complete,
    application_begin,
    application_create,
    application_request_revision,
    application_resubmit,
    application_section_save,
    application_submit,
    application_update,
    application_withdraw,
    recommendation_create,
    revision_overdue,
    revision_overdue_decide,
)
from .attachments import attachment_add, attachment_remove  # noqa: F401
from .changes import change_decide, change_request, objection_decide, objection_record  # noqa: F401
from .circular import (  # noqa: F401
    circular_ballot_cast,
    circular_close,
    circular_deadline_move,
    circular_remind,
    circular_start,
)
from .core import audit  # noqa: F401
from .declarations import flag_dismiss, tie_declare, tie_withdraw  # noqa: F401
from .instalments import conditions_met_record, instalment_pay, instalment_request, payout_order_issue  # noqa: F401
from .ledger import fiscal_year_budget_set, fiscal_year_create  # noqa: F401
from .letters import decision_letter_issue, document_correct, receipt_letter_issue  # noqa: F401
from .meetings import (  # noqa: F401
    agenda_item_move,
    attendance_record,
    item_open,
    meeting_close,
    meeting_open,
    meetings_schedule,
)
from .notes import note_add  # noqa: F401
from .organisations import (  # noqa: F401
    bank_change_confirm,
    bank_change_reject,
    invitation_accept,
    member_invite,
    organisation_create,
    organisation_leave,
    organisation_update,
)
from .papers import (  # noqa: F401
    agenda_pack_render,
    meeting_invitation_refused,
    meeting_invite,
    minutes_approve,
    recommendation_paper_render,
)
from .payouts import appeal_waive, payout_record  # noqa: F401
from .referrals import change_schedule, objection_schedule  # noqa: F401
from .repayments import (  # noqa: F401
    repayment_claim,
    repayment_decide,
    repayment_hearing,
    repayment_overdue_tell,
    repayment_receive,
)
from .reports import report_check, report_review, report_submit, report_submit_simple  # noqa: F401
from .retention import application_anonymise, retention_run  # noqa: F401
from .steering import VoteClosed, conflict_declare, motion_put, vote_cast, vote_close, votes_record  # noqa: F401
