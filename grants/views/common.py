"""What the portal's views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..status import TRANSITIONS


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def history(application, *, applicant: bool) -> list:
    """The application's steps as (when, label), in the applicant's or the staff's words."""
    label = "applicant_label" if applicant else "staff_label"
    events = application.audit_events.filter(action__in=TRANSITIONS).order_by("at")
    return [(event.at, getattr(TRANSITIONS[event.action], label)) for event in events]
