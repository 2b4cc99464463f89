"""Scenario 7, over the cap: a housing company asks for 12,000 EUR. The cap breach is flagged,
three quotes are required, only a two-thirds majority approves the full amount; otherwise the
chair puts a reduced 5,000 EUR to a simple-majority vote."""

import pytest

from grants.models import Motion
from tests import journey
from tests.workflows.test_process import pdf_text, wait_for_letter

BIG = {"title": "Quartiersbeleuchtung Phoenix-Viertel", "requested": "12000.00", "own": "3000.00",
       "costs": ("9000.00", "6000.00")}  # fmt: skip


@pytest.fixture
def on_agenda(fund, people, club):
    applicant = journey.login(club[1])
    form = journey.application_form(fund, **BIG)
    response = applicant.post(f"/antraege/neu/?fonds={fund.slug}", form)
    assert response.status_code == 302
    application = fund.applications.get()
    page = applicant.get(f"/antraege/{application.pk}/absenden/").content.decode()
    assert "über der Höchstgrenze des Fonds von 5.000,00 EUR" in page
    assert "Mehrheit von 2/3" in page
    assert "3 Vergleichsangebote" in page
    assert applicant.post(f"/antraege/{application.pk}/absenden/").status_code == 302
    application.refresh_from_db()

    office = journey.login(people["office"])
    assert "3 Vergleichsangebote" in office.get(f"/akten/{application.pk}/").content.decode()
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="12000.00", reasoning="Wirkt im ganzen Quartier.")
    item = journey.open_item(application)
    page = journey.login(people["members"][1]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "über der Höchstgrenze von 5.000,00 EUR: besondere Mehrheit nötig" in page
    return application


@pytest.mark.worker
def test_a_two_thirds_majority_approves_the_full_amount(on_agenda, people, celery_worker_process, smtp_sink):
    item = journey.vote_all(people["members"][:4], on_agenda)
    journey.vote_all(people["members"][4:5], on_agenda, choice="no")
    decision = journey.close_vote(people["chair"], item)  # 4 of 5 >= 2/3
    assert (decision.kind, str(decision.amount)) == ("approve", "12000.00")
    _message, pdf = wait_for_letter(smtp_sink)
    text = pdf_text(pdf)
    assert "12.000,00 EUR" in text and on_agenda.reference in text


@pytest.mark.worker
def test_without_two_thirds_a_reduced_amount_is_put_to_a_simple_majority(
    on_agenda, fund, people, celery_worker_process, smtp_sink
):
    item = journey.vote_all(people["members"][:3], on_agenda)
    journey.vote_all(people["members"][3:5], on_agenda, choice="no")
    chair = journey.login(people["chair"])
    assert "nicht die nötige Mehrheit" in chair.get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    assert journey.close_vote(people["chair"], item) is None  # 3 of 5 < 2/3: no rejection, the item stays open
    assert item.motions.get(result=Motion.Result.NOT_ADOPTED).votes_yes == 3

    page = chair.get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert f"/tagesordnung/{item.pk}/antrag/?kind=approve&amp;amount=5000.00" in page
    form = chair.get(f"/tagesordnung/{item.pk}/antrag/?kind=approve&amount=5000.00").content.decode()
    assert 'value="5000.00"' in form or 'value="5.000,00"' in form
    journey.put_motion(people["chair"], item, kind="approve", amount="5.000,00", financing_type="gap")
    journey.vote_all(people["members"][:3], on_agenda)
    journey.vote_all(people["members"][3:5], on_agenda, choice="no")
    assert "Begründung" in chair.get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    decision = journey.close_vote(
        people["chair"], item, reasons="Über der Höchstgrenze fand sich keine Zweidrittelmehrheit."
    )
    assert (decision.kind, str(decision.amount), decision.motion.amended) == ("approve", "5000.00", True)

    _message, pdf = wait_for_letter(smtp_sink)
    text = pdf_text(pdf)
    assert "5.000,00 EUR" in text
    assert "Über der Höchstgrenze fand sich keine Zweidrittelmehrheit." in text
    # Gap financing: the eligible costs shrink to what is financed, 3,000 own + 5,000 grant.
    assert "auf 8.000,00 EUR festgesetzt" in text
    assert "Summe = zuwendungsfähige Gesamtausgaben 8.000,00 EUR" in text
    fiscal_year = fund.fiscal_years.get(year=decision.decided_at.year)
    assert fiscal_year.available == fiscal_year.budget - decision.amount
