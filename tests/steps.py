"""Service-level steps for the rule tests: the grants services called directly, without the
flow or the URLs (journey.py drives those). Each states the facts it uses."""

from decimal import Decimal

from grants import services
from grants.models import AgendaItem, Application


def on_agenda(
    application: Application,
    office,
    *,
    motion="approve",
    amount=Decimal("2000.00"),
    financing_type="gap",
    conditions="",
    reasoning="Sehr gutes Projekt, Zustimmung empfohlen.",
) -> AgendaItem:
    """Submit the draft, find it complete and recommend it, which puts it on the next agenda."""
    services.application_submit(application=application, actor=application.created_by)
    services.application_accept_complete(application=application, actor=office)
    services.recommendation_create(
        application=application, actor=office, motion=motion, amount=amount if motion == "approve" else Decimal(0),
        financing_type=financing_type, conditions=conditions, reasoning=reasoning,
    )  # fmt: skip
    return application.agenda_items.get(closed_at=None)


def vote(item: AgendaItem, members, choice: str) -> None:
    """The members, present in the meeting (opened and the item called if need be), vote."""
    in_session(item, members)
    for member in members:
        services.vote_cast(agenda_item=item, member=member, choice=choice)


def chair_of(item):
    return item.meeting.fund.roles.filter(role="chair").first().user


def in_session(item: AgendaItem, present) -> None:
    """Open the item's meeting (if need be), add `present` to the attendance and call the item."""
    from accounts.models import User

    chair, meeting = chair_of(item), item.meeting
    meeting.refresh_from_db()
    if meeting.status == "planned":
        services.meeting_open(meeting=meeting, actor=chair)
    already = set(meeting.attendance.values_list("member_id", flat=True))
    attending = User.objects.filter(pk__in=already | {member.pk for member in present})
    services.attendance_record(meeting=meeting, actor=chair, present=list(attending))
    services.item_open(agenda_item=item, actor=chair)
