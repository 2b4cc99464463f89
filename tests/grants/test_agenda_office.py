"""The office's part in the agenda: items move to another meeting before the body takes them up,
the meeting page shows the fund's money, and the recommendation paper (Beschlussvorlage) is a
PDF with all its parts."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from grants.models import AuditEvent, Meeting
from grants.services.ledger import ledger_book
from tests import journey
from tests.factories import ApplicationFactory
from tests.steps import on_agenda


@pytest.fixture
def item(fund, people, club):
    application = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1], title="Nachtcafé")
    return on_agenda(application, people["office"], amount=Decimal("2000.00"), conditions="Aushang im Stadtteil.",
                     reasoning="Stärkt die Nachbarschaft am Abend.")  # fmt: skip


def test_the_office_moves_an_item_to_a_later_meeting(item, people):
    source = item.meeting
    target = Meeting.objects.filter(fund=source.fund, date__gt=source.date).order_by("date")[1]
    office = journey.login(people["office"])
    page = office.get(f"/sitzungen/{source.pk}/").content.decode()
    assert f'action="/tagesordnung/{item.pk}/verschieben/"' in page
    response = office.post(f"/tagesordnung/{item.pk}/verschieben/", {"meeting": target.pk}, follow=True)
    assert (
        f"Der Tagesordnungspunkt wurde in die Sitzung am {target.date:%d.%m.%Y} verschoben."
        in response.content.decode()
    )
    item.refresh_from_db()
    item.application.refresh_from_db()
    assert item.meeting == target and item.application.meeting == target
    assert AuditEvent.objects.filter(action="agenda_item_move", application=item.application).exists()
    assert "Nachtcafé" not in office.get(f"/sitzungen/{source.pk}/").content.decode()
    assert "Nachtcafé" in office.get(f"/sitzungen/{target.pk}/").content.decode()


def test_only_the_office_moves_and_only_before_the_body_takes_it_up(item, people):
    target = Meeting.objects.filter(fund=item.meeting.fund, date__gt=item.meeting.date).order_by("date").first()
    chair = journey.login(people["chair"])
    assert chair.post(f"/tagesordnung/{item.pk}/verschieben/", {"meeting": target.pk}).status_code == 404
    assert chair.post(f"/sitzungen/{item.meeting_id}/eroeffnen/").status_code == 302
    office = journey.login(people["office"])
    page = office.post(f"/tagesordnung/{item.pk}/verschieben/", {"meeting": target.pk}, follow=True).content.decode()
    assert "Wählen Sie die Sitzung" in page  # an open meeting offers no targets
    item.refresh_from_db()
    assert item.meeting != target


def test_the_meeting_page_shows_budget_committed_paid_and_available(item, people, fund):
    from django.db import transaction

    from grants.models import FiscalYear

    with transaction.atomic():
        year = FiscalYear.objects.select_for_update().get(fund=fund, year=2026)
        ledger_book(fiscal_year=year, application=item.application, kind="commit", amount=Decimal("5000.00"))
        ledger_book(fiscal_year=year, application=item.application, kind="payout", amount=Decimal("1250.00"))
    page = journey.login(people["members"][1]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "Haushaltsansatz 2026: 40.000,00 EUR, davon noch verfügbar: 35.000,00 EUR." in page
    assert "Gebunden 5.000,00 EUR, wieder freigegeben 0,00 EUR, ausgezahlt 1.250,00 EUR." in page


def test_the_recommendation_paper_is_a_pdf_with_its_parts(item, people, club):
    for user in (people["office"], people["members"][1]):
        response = journey.login(user).get(f"/akten/{item.application_id}/beschlussvorlage/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        text = " ".join(text.split())
        for part in (f"Beschlussvorlage {item.application.reference}", "Nachtcafé", "SV Harburg-Süd e.V.",
                     "bewilligt 2.000,00 EUR als Fehlbedarfsfinanzierung", "Auflagen: Aushang im Stadtteil.",
                     "Stärkt die Nachbarschaft am Abend.", "Noch verfügbar 40.000,00 EUR", "Olga Berg",
                     "Gesamtkosten 3.000,00 EUR"):  # fmt: skip
            assert part in text, (part, text)
        assert "DE89" not in text and club[0].email not in text
    assert journey.login(club[1]).get(f"/akten/{item.application_id}/beschlussvorlage/").status_code == 404


def test_a_paper_missing_a_mandatory_part_is_refused(item):
    from django.core.exceptions import ValidationError

    from grants.services import recommendation_paper_render

    recommendation = item.recommendation
    recommendation.reasoning = " "
    recommendation.save()
    with pytest.raises(ValidationError, match="reasoning"):
        recommendation_paper_render(item.application)
