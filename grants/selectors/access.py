"""Reads scoped to a user: every page loads its objects through these, so another
organisation's or fund's object is simply not found (404)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import AgendaItem, Application, Attachment, BankAccountChange, Document, Fund, Meeting, Organisation
from ..roles import OFFICE, STEERING, has_fund_role
from .files import RUNNING_GRANT, application_notices, latest_decision


def _office_funds(user):
    return user.fund_roles.filter(role=OFFICE).values("fund")


def _steering_funds(user):
    return user.fund_roles.filter(role__in=STEERING).values("fund")


def office_funds(user) -> QuerySet[Fund]:
    return Fund.objects.filter(pk__in=_office_funds(user)).order_by("name")


def open_funds() -> QuerySet[Fund]:
    return Fund.objects.filter(accepts_applications=True).order_by("name")


def organisations_of(user) -> QuerySet[Organisation]:
    return user.organisations.order_by("name")


def organisation_for_member(user, pk) -> Organisation:
    return get_object_or_404(organisations_of(user), pk=pk)


def applications_for_applicant(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation__members=user)
        .select_related("fund", "organisation", "meeting")
        .order_by("-created")
    )


def application_for_applicant(user, pk) -> Application:
    return get_object_or_404(applications_for_applicant(user).prefetch_related("cost_lines", "aims"), pk=pk)


def _file(queryset, pk) -> Application | None:
    queryset = queryset.select_related("fund", "organisation", "meeting")
    return queryset.prefetch_related("cost_lines", "aims", "recommendations").filter(pk=pk).first()


def application_for_office(user, pk) -> Application | None:
    """The whole file, for the office of the application's fund."""
    return _file(Application.objects.filter(fund__in=_office_funds(user)), pk)


class ForSteering:
    """What a steering member may read of an object: the names listed, nothing else. A template
    that asks for anything more (an IBAN, a phone number, the payouts) gets nothing."""

    def __init__(self, obj, names, **replaced):
        self._obj, self._names, self._replaced = obj, frozenset(names), replaced

    def __getattr__(self, name):
        if name in self._replaced:
            return self._replaced[name]
        if name in self._names:
            return getattr(self._obj, name)
        raise AttributeError(name)


STEERING_SEES = [
    "pk", "reference", "title", "summary", "aims", "target_group", "neighbourhood", "start_date", "end_date",
    "cost_lines", "total_cost", "own_funds", "own_work", "third_party_funds", "third_party_status",
    "requested_amount", "financing_total", "status", "get_status_display", "meeting", "fund", "submitted_at",
    "declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy",
]  # fmt: skip
STEERING_SEES_OF_ORGANISATION = ["name", "legal_form", "get_legal_form_display", "charitable"]


def file_for_steering(user, pk) -> dict:
    """What a steering member needs to decide, once the application is on an agenda of their fund:
    the project, its costs and financing, the organisation's name and legal form, the office's
    recommendation and the decision. Never bank data, contact details, payouts, reports or notes."""
    application = _file(Application.objects.filter(fund__in=_steering_funds(user), agenda_items__isnull=False), pk)
    if application is None:
        raise Http404
    organisation = ForSteering(application.organisation, STEERING_SEES_OF_ORGANISATION)
    return {
        "application": ForSteering(application, STEERING_SEES, organisation=organisation),
        "recommendation": application.recommendations.first(),
        "decision": latest_decision(application),
        "notices": application_notices(application),
    }


def application_for_paper(user, pk) -> Application:
    """An application whose recommendation paper the user may read: the office of its fund, and its
    steering group once it is on an agenda (the paper holds no bank data and no contact details)."""
    readers = Q(fund__in=_office_funds(user)) | Q(fund__in=_steering_funds(user), agenda_items__isnull=False)
    found = Application.objects.filter(readers).values("pk").distinct()
    return get_object_or_404(Application.objects.select_related("fund", "organisation"), pk=pk, pk__in=found)


def meetings_for_steering(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(fund__in=_steering_funds(user)).select_related("fund")


def meeting_calendar(user) -> QuerySet[Meeting]:
    """Upcoming meetings, and past ones that had items, with their item counts."""
    return (
        meetings_for_steering(user)
        .annotate(item_count=Count("agenda_items"))
        .filter(Q(date__gte=timezone.localdate()) | Q(item_count__gt=0))
        .order_by("date")
    )


def meeting_for_steering(user, pk) -> Meeting:
    """A meeting of the user's body, or, for the office of the fund, to record the votes of the room."""
    body = Q(fund__in=_steering_funds(user)) | Q(fund__in=_office_funds(user))
    meetings = Meeting.objects.filter(body).select_related("fund").prefetch_related("fund__roles", "attendance")
    return get_object_or_404(meetings, pk=pk)


def agenda_item_for_steering(user, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__fund__in=_steering_funds(user)).select_related(
            "meeting__fund", "application", "recommendation"
        ),
        pk=pk,
    )


def agenda_item_for_office(user, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__fund__in=_office_funds(user)).select_related("meeting__fund", "application"),
        pk=pk,
    )


def document_for_user(user, pk) -> Document:
    """A letter for its organisation and its fund's office; meeting papers for the fund's body and
    office. 404 for everyone else, and for a letter deleted at the end of the file's retention period."""
    visible = (
        Q(application__organisation__members=user)
        | Q(application__fund__in=_office_funds(user))
        | Q(meeting__fund__in=_steering_funds(user))
        | Q(meeting__fund__in=_office_funds(user))
    )
    documents = Document.objects.filter(visible).exclude(file="").distinct().select_related("application", "meeting")
    return get_object_or_404(documents, pk=pk)


def attachment_for_user(user, pk) -> Attachment:
    """An upload for its organisation's members and its fund's office; 404 for everyone else,
    the same answer as for a file that does not exist (or whose upload was deleted with the file's
    personal data at the end of its retention period)."""
    visible = Q(application__organisation__members=user) | Q(application__fund__in=_office_funds(user))
    uploads = Attachment.objects.filter(visible).exclude(file="").distinct().select_related("application")
    return get_object_or_404(uploads, pk=pk)


def document_for_office(user, pk) -> Document:
    return get_object_or_404(
        Document.objects.filter(application__fund__in=_office_funds(user)).select_related(
            "application__fund", "decision"
        ),
        pk=pk,
    )


def bank_changes_for_office(user) -> QuerySet[BankAccountChange]:
    """Pending bank account changes of organisations with a running grant in the user's funds."""
    organisations = Application.objects.filter(fund__in=_office_funds(user), status__in=RUNNING_GRANT).values(
        "organisation"
    )
    return (
        BankAccountChange.objects.filter(status=BankAccountChange.Status.PENDING, organisation__in=organisations)
        .select_related("organisation", "requested_by")
        .order_by("requested_at")
    )


def bank_change_for_office(user, pk) -> BankAccountChange:
    return get_object_or_404(bank_changes_for_office(user), pk=pk)


def is_office(user, fund) -> bool:
    return has_fund_role(user, fund, OFFICE)


def can_vote(user, meeting) -> bool:
    return has_fund_role(user, meeting.fund, *STEERING, voting=True)
