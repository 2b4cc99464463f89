"""The end of a file's retention period (DSGVO, public records): the file goes to the archive as
one ZIP, then its personal data is deleted. Amounts, aims, neighbourhood and year stay, so the
file keeps counting in the statistics."""

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

from .. import selectors
from ..archive import file_archive
from ..models import Application, Organisation
from .core import audit

GONE = "–"  # what stands where personal data was


@transaction.atomic
def application_anonymise(*, application: Application) -> Path:
    """Archive the file, then delete its personal data; the deletion is audited without the data."""
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    archive = file_archive(application)
    path = (
        Path(settings.ARCHIVE_ROOT)
        / application.fund.slug
        / f"{application.reference or f'draft-{application.pk}'}.zip"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(archive)

    for document in application.documents.exclude(file=""):
        document.file.delete(save=False)
        document.save(update_fields=["file"])
    for attachment in application.attachments.exclude(file=""):  # quotes, statutes, receipts, photos
        attachment.file.delete(save=False)
        attachment.original_name = GONE
        attachment.save(update_fields=["file", "original_name"])
    application.revision_requests.update(message=GONE)
    application.payouts.update(account_holder=GONE, iban="")
    if hasattr(application, "report"):
        application.report.__class__.objects.filter(pk=application.report.pk).update(narrative=GONE, receipts=GONE)
        application.report.receipt_lines.update(payee=GONE, purpose=GONE)
    Notification.objects.filter(application=application).update(email="geloescht@invalid", context={})
    application.anonymised_at = timezone.now()
    application.save(update_fields=["anonymised_at"])
    organisation = application.organisation
    if not organisation.applications.filter(anonymised_at=None).exists():
        _organisation_anonymise(organisation)
    audit(actor=None, action="retention_anonymise", obj=application, application=application,
          after={"archive": path.name, "archive_sha256": hashlib.sha256(archive).hexdigest()})  # fmt: skip
    return path


def _organisation_anonymise(organisation: Organisation) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        contact_name=GONE, email="geloescht@invalid", phone="", street=GONE, postcode="", account_holder="", iban=""
    )
    organisation.bank_changes.all().delete()
    audit(actor=None, action="retention_anonymise", obj=organisation, after={"organisation": organisation.pk})


def retention_run(*, today: dt.date | None = None) -> list[Path]:
    """Archive and anonymise every file whose retention period has ended; safe to run twice."""
    return [application_anonymise(application=application)
            for application in selectors.due_for_retention(today or timezone.localdate())]  # fmt: skip
