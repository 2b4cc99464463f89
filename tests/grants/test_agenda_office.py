"""The office's part in the agenda: an application joins the meeting whose cut-off it met when it
became complete, items move to another meeting before the body takes them up,
the meeting page shows the fund's money, and the recommendation paper (Beschlussvorlage) is a
PDF with all its parts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
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
        year = FiscalYear.objects.select_for_update(no_key=True).get(fund=fund, year=2026)
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


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


def apply_on(fund, club, day: dt.date):
    with on(day):
        return journey.apply(journey.login(club[1]), fund)


def complete_and_recommend_on(application, people, day: dt.date):
    """The office finds the application complete and recommends it on `day`, through its tasks."""
    with on(day):
        office = journey.login(people["office"])
        journey.check_complete(office, application)
        application.refresh_from_db()
        completed_for = application.meeting
        journey.recommend(office, application, amount="2000.00")
    application.refresh_from_db()
    assert application.completed_at.date() == day
    assert application.meeting == completed_for == application.agenda_items.get().meeting
    return application


def meeting_after(fund, day: dt.date) -> Meeting:
    """The first meeting whose cut-off lies on or after `day`."""
    return Meeting.objects.filter(fund=fund, cutoff__gte=day).order_by("date").first()


def test_an_application_complete_by_the_cutoff_goes_on_that_meetings_agenda(fund, people, club):
    december = meeting_after(fund, dt.date(2026, 12, 1))
    application = apply_on(fund, club, dt.date(2026, 11, 2))
    complete_and_recommend_on(application, people, december.cutoff)  # the cut-off day itself still counts
    assert application.meeting == december


def test_an_application_submitted_in_time_but_complete_after_the_cutoff_goes_to_the_following_meeting(
    fund, people, club
):
    december = meeting_after(fund, dt.date(2026, 12, 1))
    january = meeting_after(fund, december.cutoff + dt.timedelta(days=1))
    february = meeting_after(fund, january.cutoff + dt.timedelta(days=1))
    application = apply_on(fund, club, dt.date(2026, 11, 20))
    assert application.meeting == december  # submitted before December's cut-off
    complete_and_recommend_on(application, people, december.cutoff + dt.timedelta(days=2))
    assert application.meeting == january
    with on(december.date):
        office = journey.login(people["office"])
        assert application.title not in office.get(f"/sitzungen/{december.pk}/").content.decode()
        assert application.title in office.get(f"/sitzungen/{january.pk}/").content.decode()
        item = application.agenda_items.get()  # the office can still move it
        assert office.post(f"/tagesordnung/{item.pk}/verschieben/", {"meeting": february.pk}).status_code == 302
    item.refresh_from_db()
    application.refresh_from_db()
    assert item.meeting == february and application.meeting == february
