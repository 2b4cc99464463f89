"""Reads that carry object-level permissions: every page loads its objects
through these, so another organisation's object is simply not found (404)."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import AgendaItem, Application, Document, Meeting, Organisation
from .roles import CHAIR, MEMBER, OFFICE, has_fund_role


def _office_funds(user):
    return user.fund_roles.filter(role=OFFICE).values("fund")


def _steering_funds(user):
    return user.fund_roles.filter(role__in=[MEMBER, CHAIR]).values("fund")


def applications_for_applicant(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation__members=user)
        .select_related("fund", "organisation", "meeting")
        .order_by("-created")
    )


def applications_for_office(user) -> QuerySet[Application]:
    return Application.objects.filter(fund__in=_office_funds(user)).select_related("fund", "organisation", "meeting")


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


def agenda_for_meeting(meeting, user) -> QuerySet[AgendaItem]:
    """The agenda with what a member sees: recommendation, votes, conflicts; never bank data."""
    return (
        meeting.agenda_items.select_related("application__organisation", "recommendation", "decision")
        .prefetch_related("votes__member", "conflicts__member")
        .order_by("position")
    )


def agenda_item_for_steering(user, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__fund__in=_steering_funds(user)).select_related("meeting__fund"), pk=pk
    )


def document_for_user(user, pk) -> Document:
    visible = Q(application__organisation__members=user) | Q(application__fund__in=_office_funds(user))
    return get_object_or_404(Document.objects.filter(visible).distinct().select_related("application"), pk=pk)


def can_see_bank_data(user, application) -> bool:
    """Only the office of the application's own fund sees bank data."""
    return has_fund_role(user, application.fund, OFFICE)


def can_vote(user, meeting) -> bool:
    return has_fund_role(user, meeting.fund, MEMBER, CHAIR, voting=True)


def organisation_for_member(user, pk) -> Organisation:
    return get_object_or_404(Organisation.objects.filter(members=user), pk=pk)
