"""The office's file: what the applicant entered and uploaded, the readable history, the process
chart with the current step, and internal notes that neither the applicant nor the steering group sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants import roles, services
from grants.models import AuditEvent, InternalNote
from tests import journey
from tests.factories import ApplicationFactory, FundRoleFactory, OrganisationFactory, UserFactory
from tests.samples import image_bytes, pdf_bytes, upload
from tests.steps import on_agenda
from workflows import api

NOTE = "Vorsitzende des Vereins rief an: Angebot kommt nächste Woche."


@pytest.fixture
def submitted(fund, club):
    organisation, user = club
    application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, title="Nachtcafé")
    api.application_submit(application=application, actor=user)
    application.refresh_from_db()
    return application


def test_the_file_shows_what_was_entered_the_history_and_the_current_step(submitted, people):
    page = journey.login(people["office"]).get(f"/akten/{submitted.pk}/").content.decode()
    for entered in ("Nachtcafé", "Freitags Fußball von 22 bis 24 Uhr", "Jugendliche von 14 bis 21 Jahren",
                    "Eißendorf", "Kostenposition 1", "2.400,00 EUR", "SV Harburg-Süd e.V."):  # fmt: skip
        assert entered in page, entered
    assert "Aktueller Schritt: <strong>Vollständigkeit prüfen</strong>" in page
    assert '<g id="check_completeness" transform="translate(' in page and 'class="new"' in page
    assert "<style" not in page.split('class="process-chart"')[1]  # the CSP allows no inline style
    assert "Antrag eingereicht" in page  # the history in plain German


def test_internal_notes_are_for_the_office_only(submitted, people, club, fund):
    office = journey.login(people["office"])
    response = office.post(f"/akten/{submitted.pk}/notizen/", {"text": NOTE})
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    page = office.get(f"/akten/{submitted.pk}/").content.decode()
    assert NOTE in page and "Olga Berg" in page
    event = AuditEvent.objects.get(action="note_add", application=submitted)
    assert NOTE not in str(event.after) and event.after == {"length": len(NOTE)}

    assert NOTE not in journey.login(club[1]).get(f"/antraege/{submitted.pk}/").content.decode()
    assert journey.login(club[1]).post(f"/akten/{submitted.pk}/notizen/", {"text": "x"}).status_code == 404
    on_agenda_application = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1])
    item = on_agenda(on_agenda_application, people["office"])
    office.post(f"/akten/{item.application_id}/notizen/", {"text": NOTE})
    member_page = journey.login(people["members"][1]).get(f"/akten/{item.application_id}/").content.decode()
    assert "Mitternachtsfußball" in member_page and NOTE not in member_page
    assert journey.login(people["members"][1]).post(f"/akten/{item.application_id}/notizen/",
                                                    {"text": "x"}).status_code == 404  # fmt: skip
    assert InternalNote.objects.count() == 2


def test_an_empty_note_is_refused_with_a_message(submitted, people):
    page = journey.login(people["office"]).post(f"/akten/{submitted.pk}/notizen/", {"text": "  "}, follow=True)
    assert "Dieses Feld ist zwingend erforderlich." in page.content.decode()
    assert not InternalNote.objects.exists()


def submitted_with(fund, club, *uploads):
    """A submitted application with the applicant's `uploads` (name, bytes, kind), added as a draft."""
    organisation, user = club
    application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, title="Flutlicht")
    attachments = [services.attachment_add(application=application, actor=user, kind=kind, upload=upload(name, data))
                   for name, data, kind in uploads]  # fmt: skip
    api.application_submit(application=application, actor=user)
    return application, attachments


def test_the_office_sees_the_uploads_and_downloads_them_others_get_404(people, club, fund):
    application, [quote, photo, _statutes] = submitted_with(
        fund, club, ("Angebot-Flutlicht.pdf", pdf_bytes(), "quote"), ("Training.png", image_bytes("PNG"), "photo"),
        ("Satzung.pdf", pdf_bytes(), "statutes"),
    )  # fmt: skip
    office = journey.login(people["office"])
    page = office.get(f"/akten/{application.pk}/").content.decode()
    uploads = page.split('id="attachments-heading"')[1].split("</table>")[0]
    assert f'<a href="/anlagen/{quote.pk}/">Angebot-Flutlicht.pdf</a>' in uploads
    assert "Training.png" in uploads and "Satzung.pdf" in uploads
    for kind in ("<td>Angebot</td>", "<td>Foto für den Verwendungsnachweis</td>", "<td>Satzung</td>"):
        assert kind in uploads
    assert f"{timezone.localtime(quote.uploaded_at):%d.%m.%Y, %H:%M} von {club[1].get_full_name()}" in uploads

    response = office.get(f"/anlagen/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()

    other_office = journey.login(FundRoleFactory(role=roles.OFFICE).user)
    stranger = journey.login(OrganisationFactory(members=[UserFactory()]).members.first())
    for client in (other_office, stranger):
        assert client.get(f"/akten/{application.pk}/").status_code == 404
        assert client.get(f"/anlagen/{quote.pk}/").status_code == 404


def test_the_file_reads_its_uploads_in_one_query_however_many(people, club, fund):
    one, _ = submitted_with(fund, club, ("Angebot.pdf", pdf_bytes(), "quote"))
    three, _ = submitted_with(fund, club, *[(f"Angebot {n}.pdf", pdf_bytes(), "quote") for n in range(3)])
    office = journey.login(people["office"])
    office.get(f"/akten/{three.pk}/")  # the session's and the caches' first reads
    counts = []
    for application in (one, three):
        with CaptureQueriesContext(connection) as captured:
            assert office.get(f"/akten/{application.pk}/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
