"""Several funds in one installation: each with its own office, body, rules, budget and
letterhead; the applicant chooses; neither fund sees the other."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from grants import services
from grants.models import Application, Vote
from tests import journey
from tests.conftest import steering_group
from tests.factories import FundFactory, OrganisationFactory
from tests.steps import in_session


@pytest.fixture
def other_fund(db):
    return FundFactory(
        name="Präventionsfonds Süderelbe", slug="suederelbe", reference_prefix="PR", owner_body="Bezirksamt Süderelbe",
        office_name="Präventionsbüro Süderelbe", cap=Decimal("3000.00"), quorum=3,
    )  # fmt: skip


@pytest.fixture
def other_people(other_fund):
    return steering_group(other_fund)


@pytest.fixture
def applicant_of_two(club):
    """The club's treasurer also acts for a neighbourhood group."""
    organisation, user = club
    group = OrganisationFactory(name="Nachbarn am Deich", legal_form="informal", members=[user])
    return user, organisation, group


def test_the_applicant_chooses_the_fund_and_the_organisation(fund, other_fund, applicant_of_two):
    user, club, group = applicant_of_two
    client = journey.login(user)
    page = client.get("/antraege/neu/").content.decode()
    for name in (fund.name, other_fund.name, club.name, group.name):
        assert name in page
    assert 'name="title"' not in page  # nothing is picked for the user

    page = client.get(f"/antraege/neu/?fonds={other_fund.slug}&organisation={group.pk}").content.decode()
    assert 'name="title"' in page and other_fund.name in page
    response = client.post(
        f"/antraege/neu/?fonds={other_fund.slug}&organisation={group.pk}", journey.application_form(other_fund)
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.fund, application.organisation) == (other_fund, group)
    client.post(f"/antraege/{application.pk}/absenden/")
    application.refresh_from_db()
    assert application.reference.startswith("PR-") and application.meeting.fund == other_fund


def test_a_choice_outside_the_users_organisations_is_asked_again(fund, applicant_of_two):
    user, _club, _group = applicant_of_two
    stranger = OrganisationFactory()
    page = journey.login(user).get(f"/antraege/neu/?fonds={fund.slug}&organisation={stranger.pk}").content.decode()
    assert 'name="title"' not in page and "error-summary" in page


def test_a_single_fund_and_organisation_need_no_choice(fund, club):
    page = journey.login(club[1]).get("/antraege/neu/").content.decode()
    assert 'name="title"' in page


def test_two_funds_side_by_side_see_nothing_of_each_other(fund, people, other_fund, other_people, club):
    office, other_office = journey.login(people["office"]), journey.login(other_people["office"])
    ours = journey.apply(journey.login(club[1]), fund, title="Nachtcafé")
    theirs = journey.apply(journey.login(club[1]), other_fund, title="Deichlauf")
    assert "Nachtcafé" in office.get("/geschaeftsstelle/").content.decode()
    assert "Deichlauf" not in office.get("/geschaeftsstelle/").content.decode()
    assert "Nachtcafé" not in other_office.get("/geschaeftsstelle/").content.decode()
    assert office.get(f"/akten/{theirs.pk}/").status_code == 404
    assert other_office.get(f"/akten/{ours.pk}/").status_code == 404

    for client, application in ((office, ours), (other_office, theirs)):
        journey.check_complete(client, application)
        journey.recommend(client, application, amount="2400.00")
    their_item = journey.open_item(theirs)
    chair = journey.login(people["chair"])
    assert chair.get(f"/sitzungen/{their_item.meeting_id}/").status_code == 404
    assert chair.get(f"/tagesordnung/{their_item.pk}/abschliessen/").status_code == 404
    assert chair.post(f"/tagesordnung/{their_item.pk}/abstimmen/", {"choice": "yes"}).status_code == 404
    assert (
        journey.login(other_people["chair"]).get(f"/sitzungen/{journey.open_item(ours).meeting_id}/").status_code == 404
    )

    # Their body decides by its own quorum of three, and books against its own budget.
    journey.vote_all(other_people["members"][:3], theirs)
    decision = journey.close_vote(other_people["chair"], their_item)
    assert decision.kind == "approve"
    assert other_fund.fiscal_years.get(year=decision.decided_at.year).available == Decimal("37600.00")
    assert fund.fiscal_years.get(year=decision.decided_at.year).available == Decimal("40000.00")

    letter = services.decision_letter_issue(decision=decision)
    with letter.file.open("rb") as pdf:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Bezirksamt Süderelbe" in text and "Präventionsbüro Süderelbe" in text
    assert "Bezirksamt Harburg" not in text


def test_a_chair_of_one_fund_has_no_chair_controls_in_the_other(fund, people, other_fund, club):
    from grants import roles
    from tests.factories import FundRoleFactory

    member_there = people["chair"]  # chairs our fund, sits as a plain member in the other
    FundRoleFactory(fund=other_fund, user=member_there, role=roles.MEMBER)
    other = steering_group(other_fund)
    theirs = journey.apply(journey.login(club[1]), other_fund)
    journey.check_complete(journey.login(other["office"]), theirs)
    journey.recommend(journey.login(other["office"]), theirs, amount="2400.00")
    item = journey.open_item(theirs)
    in_session(item, [member_there])
    client = journey.login(member_there)
    page = client.get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert f"/tagesordnung/{item.pk}/abstimmen/" in page
    assert f"/tagesordnung/{item.pk}/abschliessen/" not in page
    assert client.get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 403
    services.vote_cast(agenda_item=item, member=member_there, choice=Vote.YES)
