"""What the portal's views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from .. import selectors
from ..status import EVENT_LABELS, TRANSITIONS


def posted(request):
    """The submitted data, or None on GET: a POST without fields must still bind (and fail)."""
    return request.POST if request.method == "POST" else None


def office_file(request, pk):
    """The application for the office of its fund; 404 for everyone else."""
    application = selectors.application_for_office(request.user, pk)
    if application is None:
        raise Http404
    return application


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


# What someone typed when their session had ended: kept in the new session, offered again after sign-in.
KEPT_INPUT = "kept_input"
NOT_KEPT = {"csrfmiddlewaretoken", "password", "password1", "password2"}


def keep_input(request) -> None:
    """Remember a POST's fields (never passwords or files) for the page it was sent to."""
    data = request.POST.copy()
    for name in NOT_KEPT:
        data.pop(name, None)
    request.session[KEPT_INPUT] = {"path": request.path, "data": data.urlencode()}


def kept_input(request):
    """The fields kept for this page, once, or None."""
    from django.http import QueryDict

    kept = request.session.get(KEPT_INPUT)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEPT_INPUT]
    return QueryDict(kept["data"])


def login_required_keeping_input(view):
    """Like login_required, but a form sent after the session ended is kept and shown again after sign-in."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            keep_input(request)
        return redirect_to_login(request.get_full_path())

    return guarded
