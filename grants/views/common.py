"""What the portal's views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..status import EVENT_LABELS, TRANSITIONS


def posted(request):
    """The submitted data, or None on GET: a POST without fields must still bind (and fail)."""
    return request.POST if request.method == "POST" else None


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def history(application, *, applicant: bool) -> list:
    """The application's steps as (when, label, who): for the applicant its status changes in
    the applicant's words, for the office every recorded step in plain German."""
    if applicant:
        events = application.audit_events.filter(action__in=TRANSITIONS).order_by("at", "pk")
        return [(event.at, TRANSITIONS[event.action].applicant_label, None) for event in events]
    events = application.audit_events.select_related("actor").order_by("at", "pk")
    return [(event.at, _staff_label(event.action), event.actor) for event in events]


def _staff_label(action: str) -> str:
    if action in TRANSITIONS:
        return TRANSITIONS[action].staff_label
    return EVENT_LABELS.get(action, action)
