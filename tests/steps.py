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
    for member in members:
        services.vote_cast(agenda_item=item, member=member, choice=choice)
