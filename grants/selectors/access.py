"""Reads scoped to a user: every page loads its objects through these, so another
organisation's or fund's object is simply not found (404)."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import AgendaItem, Application, BankAccountChange, Document, Fund, Meeting, Organisation
from ..roles import OFFICE, STEERING, has_fund_role
from .files import RUNNING_GRANT


def _office_funds(user):
    return user.fund_roles.filter(role=OFFICE).values("fund")


def _steering_funds(user):
    return user.fund_roles.filter(role__in=STEERING).values("fund")


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


def application_for_staff(user, pk) -> Application:
    """An application for the office of its fund, or for its steering group once on an agenda."""
    visible = Q(fund__in=_office_funds(user)) | Q(fund__in=_steering_funds(user), agenda_items__isnull=False)
    queryset = Application.objects.filter(visible).distinct().select_related("fund", "organisation", "meeting")
    return get_object_or_404(queryset.prefetch_related("cost_lines", "aims", "recommendations"), pk=pk)


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
    return get_object_or_404(meetings_for_steering(user), pk=pk)


def agenda_item_for_steering(user, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__fund__in=_steering_funds(user)).select_related(
            "meeting__fund", "application", "recommendation"
        ),
        pk=pk,
    )


def document_for_user(user, pk) -> Document:
    visible = Q(application__organisation__members=user) | Q(application__fund__in=_office_funds(user))
    return get_object_or_404(Document.objects.filter(visible).distinct().select_related("application"), pk=pk)


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
