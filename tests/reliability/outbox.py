from grants.models import Application
from notifications.models import Notification
from tests.factories import ApplicationFactory


def outbox_rows(fund, club, emails, template="decision_letter") -> list[int]:
    """Rows written to the outbox without publishing (the tests publish them to their own Redis)."""
    organisation, user = club
    application = Application.objects.filter(reference="VF-2026-0999").first() or ApplicationFactory(
        fund=fund, organisation=organisation, created_by=user, reference="VF-2026-0999"
    )
    rows = Notification.objects.bulk_create(
        Notification(email=email, template=template, application=application, dedupe_key=f"rel:{email}")
        for email in emails
    )
    return [row.pk for row in rows]


def count(**filters) -> int:
    return Notification.objects.filter(**filters).count()
