"""The end of the retention period: the file goes to the archive as a ZIP (read back here), its
personal data is deleted, the deletion is audited without the data, and the statistics still
count it. And a person can download everything stored about them."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from grants import selectors, services
from grants.models import Attachment, AuditEvent, Organisation
from tests import journey
from tests.samples import pdf_bytes
from tests.steps import on_agenda, vote


@pytest.fixture
def closed(application, people, settings, tmp_path):
    """A file approved, paid, reported and closed, with its letter."""
    settings.ARCHIVE_ROOT = tmp_path / "archive"
    item = on_agenda(application, people["office"], amount=Decimal("2400"))
    vote(item, people["members"][:4], "yes")
    decision = services.vote_close(agenda_item=item, actor=people["chair"]).decision
    services.decision_letter_issue(decision=decision)
    services.appeal_waive(application=application, actor=application.created_by)
    services.payout_record(application=application, actor=people["office"], amount=Decimal("2400"),
                           paid_on=timezone.localdate())  # fmt: skip
    services.report_submit(application=application, actor=application.created_by, narrative="Lief gut, danke Erika.",
                           actual_costs=Decimal("3000"), unused_amount=Decimal("0"),
                           receipts="01.03. Sporthalle Eißendorf, Miete, 3.000,00 EUR")  # fmt: skip
    services.report_review(application=application, actor=people["office"], accepted=True, note="Gut.")
    application.refresh_from_db()
    return application


def test_a_closed_file_past_its_period_is_archived_anonymised_and_still_counted(closed, settings, people):
    organisation = closed.organisation
    receipt = Attachment.objects.create(
        application=closed, kind=Attachment.Kind.RECEIPT, original_name="Quittung-Erika-Muster.pdf",
        content_type="application/pdf", size=len(pdf_bytes()), uploaded_by=closed.created_by,
        uploaded_at=timezone.now(), file=ContentFile(pdf_bytes(), name="upload.pdf"),
    )  # fmt: skip
    stored = Path(receipt.file.path)
    statistics = selectors.yearly_statistics(closed.fund)
    iban, email = organisation.iban, organisation.email
    assert services.retention_run() == []  # ten years have not passed

    with time_machine.travel(timezone.now() + dt.timedelta(days=365 * 10 + 10)):
        [path] = services.retention_run()
        assert services.retention_run() == []  # nothing twice

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("file.json"))
        manifest = json.loads(archive.read("manifest.json"))["sha256"]
        letters = [name for name in names if name.startswith("letters/")]
        assert data["organisation"]["iban"] == iban and data["application"]["reference"] == closed.reference
        assert letters and archive.read(letters[0]).startswith(b"%PDF")
        assert "audit.csv" in names and set(manifest) == set(names) - {"manifest.json"}
        assert archive.read(f"attachments/{receipt.pk}-receipt-Quittung-Erika-Muster.pdf") == pdf_bytes()

    closed.refresh_from_db()
    organisation.refresh_from_db()
    assert closed.anonymised_at is not None
    assert (organisation.iban, organisation.contact_name, organisation.phone) == ("", "–", "")
    assert email != organisation.email and "Erika" not in closed.report.narrative
    assert closed.payouts.get().iban == "" and not closed.documents.get().file
    receipt.refresh_from_db()
    assert not receipt.file and receipt.original_name == "–" and not stored.exists()
    # What was deleted is not found, for the office as for anyone: no error page.
    office = journey.login(people["office"])
    assert office.get(f"/dokumente/{closed.documents.get().pk}/").status_code == 404
    assert office.get(f"/anlagen/{receipt.pk}/").status_code == 404
    page = office.get(f"/akten/{closed.pk}/").content.decode()
    assert "am Ende der Aufbewahrungsfrist gelöscht" in page
    assert f"/dokumente/{closed.documents.get().pk}/" not in page  # neither downloaded nor corrected
    assert selectors.yearly_statistics(closed.fund) == statistics  # amounts, aims, year remain
    event = AuditEvent.objects.filter(action="retention_anonymise", application=closed).get()
    assert iban not in str(event.after) and event.after["archive"] == path.name


def test_a_file_of_an_organisation_with_a_running_grant_keeps_the_organisations_contact(closed, people):
    from tests.factories import ApplicationFactory

    running = ApplicationFactory(fund=closed.fund, organisation=closed.organisation, created_by=closed.created_by)
    services.application_submit(application=running, actor=running.created_by)
    with time_machine.travel(timezone.now() + dt.timedelta(days=365 * 10 + 10)):
        services.retention_run()
    assert Organisation.objects.get(pk=closed.organisation_id).iban == closed.organisation.iban


def test_a_draft_never_submitted_goes_after_a_year(application, settings, tmp_path):
    settings.ARCHIVE_ROOT = tmp_path
    with time_machine.travel(timezone.now() + dt.timedelta(days=366 + 1)):
        [path] = services.retention_run()
    assert path.name == f"draft-{application.pk}.zip"


def test_a_person_downloads_everything_stored_about_them(closed):
    response = journey.login(closed.created_by).post("/konto/meine-daten/")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        account = json.loads(archive.read("account.json"))
    assert account["email"] == closed.created_by.email
    assert f"applications/{closed.reference}/file.json" in names
    assert any(name.startswith(f"applications/{closed.reference}/letters/") for name in names)
    assert "emails.json" in names and "my-actions.csv" in names
