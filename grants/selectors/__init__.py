"""Reads, one module per kind: access.py (scoped to a user: 404 for what is not theirs),
steering.py (the agenda, motions and votes), files.py (the facts rules and services work on).
Import them from here: `selectors.latest_decision(...)`."""

from .access import (  # noqa: F401
    agenda_item_for_steering,
    application_for_applicant,
    application_for_staff,
    applications_for_applicant,
    bank_change_for_office,
    bank_changes_for_office,
    can_vote,
    document_for_office,
    document_for_user,
    is_office,
    meeting_calendar,
    meeting_for_steering,
    meetings_for_steering,
    open_funds,
    organisation_for_member,
    organisations_of,
)
from .files import (  # noqa: F401
    application_notices,
    current_fiscal_year,
    documents_of,
    draft_facts,
    has_running_grant,
    latest_decision,
    offices_to_tell,
    paid_total,
    payable_from,
    pending_bank_change,
    submission_problems,
)
from .steering import (  # noqa: F401
    VotePreview,
    agenda_for_meeting,
    agenda_for_member,
    defer_targets,
    motion_initial,
    motion_tally,
    next_meeting,
    open_motion,
    presiding_role_on,
    presiding_roles,
    vote_close_preview,
)
