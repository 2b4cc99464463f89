"""Reads for the public pages: nothing personal, only the fund's own data."""

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Fund, FundPage, Meeting


def public_funds() -> QuerySet[Fund]:
    return Fund.objects.order_by("name")


def upcoming_meetings(fund: Fund, limit: int = 4) -> list[Meeting]:
    today = timezone.localdate()
    meetings = fund.meetings.filter(date__gte=today).exclude(status=Meeting.Status.CLOSED).order_by("date")
    return list(meetings[:limit])


def public_fund_facts(fund: Fund) -> dict:
    return {
        "fund": fund,
        "aims": list(fund.aims.all()),
        "meetings": upcoming_meetings(fund),
        "today": timezone.localdate(),
        "pages": list(fund.pages.all()),
        "kinds": FundPage.Kind,
    }
