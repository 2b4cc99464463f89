"""The steering group decides: votes, motions, recusal, closing, and what follows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import AgendaItem, Decision, FiscalYear, LedgerEntry, Meeting, Motion, Vote
from grants.status import Status
from tests import journey
from tests.steps import in_session, on_agenda, vote


@pytest.fixture
def item(application, people):
    return on_agenda(application, people["office"], amount=Decimal("2000"))


@pytest.fixture
def flow_item(fund, people, club):
    """An item put on the agenda through the real URLs and flow, for the tests that close it there."""
    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2000.00", reasoning="Sehr gutes Projekt.")
    return journey.open_item(application)


def close(item, actor, reasons=""):
    return services.vote_close(agenda_item=item, actor=actor, reasons=reasons)


def test_a_simple_majority_approves_and_commits_the_budget(item, people):
    vote(item, people["members"][:3], Vote.YES)
    vote(item, people["members"][3:5], Vote.NO)
    decision = close(item, people["chair"], reasons="Die Hallenmiete ist zu hoch angesetzt.").decision
    assert (decision.kind, decision.motion.votes_yes, decision.motion.votes_no) == (Decision.APPROVE, 3, 2)
    fiscal_year = FiscalYear.objects.get(fund=item.meeting.fund, year=decision.decided_at.year)
    assert fiscal_year.available == Decimal("38000.00")
    assert LedgerEntry.objects.get(kind="commit").amount == Decimal("2000.00")


def test_a_tie_on_an_approval_rejects(item, people):
    vote(item, people["members"][:2], Vote.YES)
    vote(item, people["members"][2:4], Vote.NO)
    assert close(item, people["chair"], reasons="Keine Mehrheit.").decision.kind == Decision.REJECT


def test_a_recused_member_cannot_vote_and_is_not_counted(item, people):
    member = people["members"][1]
    vote(item, [member], Vote.YES)
    services.conflict_declare(agenda_item=item, member=member, reason="Vorstand des Vereins")
    assert not Vote.objects.filter(member=member).exists()
    with pytest.raises(ValidationError, match="befangen"):
        services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    vote(item, [people["members"][0], *people["members"][2:4]], Vote.YES)
    decision = close(item, people["chair"]).decision
    assert (decision.kind, decision.motion.recused) == (Decision.DEFER, 1)  # 3 voters < quorum of 4


def test_a_member_without_voting_right_cannot_vote(item, people):
    in_session(item, [people["members"][5]])
    with pytest.raises(ValidationError, match="kein Stimmrecht"):
        services.vote_cast(agenda_item=item, member=people["members"][5], choice=Vote.YES)


def test_only_the_chair_closes_a_vote(item, people):
    vote(item, people["members"][:4], Vote.YES)
    with pytest.raises(ValidationError, match="Nur der Vorsitz"):
        close(item, people["members"][1])
    with pytest.raises(ValidationError, match="Nur der Vorsitz"):
        close(item, people["deputy"])  # the chair is not recused
    assert AgendaItem.objects.get(pk=item.pk).closed_at is None


# Rule 1: the reasons of a rejection come from the decision ------------------------


def test_a_failed_approval_needs_the_chairs_reasons_and_never_quotes_the_office(item, people):
    vote(item, people["members"][:2], Vote.YES)
    vote(item, people["members"][2:5], Vote.NO)
    with pytest.raises(ValidationError, match="Begründung"):
        close(item, people["chair"])
    assert Motion.objects.get(agenda_item=item).result == Motion.Result.OPEN  # nothing changed
    decision = close(item, people["chair"], reasons="Das Projekt wirkt nicht im Quartier.").decision
    assert decision.kind == Decision.REJECT
    assert decision.reasons == "Das Projekt wirkt nicht im Quartier."
    assert "Zustimmung empfohlen" not in decision.reasons


def test_the_close_page_offers_the_office_reasoning_only_where_the_body_follows_it(application, people):
    item = on_agenda(application, people["office"], motion="reject", reasoning="Das Projekt hat schon begonnen.")
    vote(item, people["members"][:4], Vote.YES)
    page = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    assert "Das Projekt hat schon begonnen." in page

    services.motion_put(agenda_item=item, actor=people["chair"], kind="approve", amount=Decimal("2400"))
    vote(item, people["members"][:1], Vote.YES)
    vote(item, people["members"][1:4], Vote.NO)
    page = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    assert "Das Projekt hat schon begonnen." not in page.split("<form")[1]


# Rule 2: the body decides on motions ---------------------------------------------------


def test_an_amended_motion_is_recorded_as_such_and_decides(item, people):
    services.motion_put(
        agenda_item=item, actor=people["chair"], kind="approve", amount=Decimal("1500"), conditions="Bericht an die LG"
    )
    vote(item, people["members"][:4], Vote.YES)
    decision = close(item, people["chair"], reasons="Nur die Honorare werden gefördert.").decision
    assert (decision.kind, decision.amount, decision.conditions) == ("approve", Decimal("1500.00"), "Bericht an die LG")
    assert decision.motion.amended and decision.motion.put_by == people["chair"]
    assert Motion.objects.get(agenda_item=item, result=Motion.Result.WITHDRAWN).amended is False


def test_putting_a_new_motion_withdraws_the_votes_on_the_old_one(item, people):
    vote(item, people["members"][:3], Vote.YES)
    motion = services.motion_put(agenda_item=item, actor=people["chair"], kind="approve", amount=Decimal("1800"))
    assert not motion.votes.exists()
    withdrawn = Motion.objects.get(agenda_item=item, result=Motion.Result.WITHDRAWN)
    assert withdrawn.votes_yes == 3


def test_the_body_can_approve_against_a_reject_recommendation(application, people):
    item = on_agenda(application, people["office"], motion="reject", reasoning="Bereits begonnen.")
    services.motion_put(agenda_item=item, actor=people["chair"], kind="approve", amount=Decimal("2400"))
    vote(item, people["members"][:4], Vote.YES)
    decision = close(item, people["chair"]).decision
    assert (decision.kind, decision.amount, decision.motion.amended) == ("approve", Decimal("2400.00"), True)
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_a_reject_recommendation_the_body_does_not_adopt_leaves_the_item_open_for_the_next_motion(application, people):
    item = on_agenda(application, people["office"], motion="reject", reasoning="Bereits begonnen.")
    vote(item, people["members"][:1], Vote.YES)
    vote(item, people["members"][1:4], Vote.NO)
    closed = close(item, people["chair"])
    assert closed.decision is None and closed.motion.result == Motion.Result.NOT_ADOPTED
    item.refresh_from_db()
    assert item.closed_at is None and not Decision.objects.exists()
    assert application.agenda_items.count() == 1  # not pushed to the next meeting
    page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert f'href="/tagesordnung/{item.pk}/antrag/"' in page


def test_the_body_can_defer_by_vote_to_a_meeting_it_chooses(item, people):
    later = Meeting.objects.filter(fund=item.meeting.fund, date__gt=item.meeting.date).order_by("date")[2]
    services.motion_put(agenda_item=item, actor=people["chair"], kind="defer", defer_to=later)
    vote(item, people["members"][:4], Vote.YES)
    decision = close(item, people["chair"]).decision
    assert decision.kind == Decision.DEFER
    item.application.refresh_from_db()
    assert item.application.meeting == later
    assert item.application.agenda_items.get(closed_at=None).meeting == later


def test_a_deferral_only_goes_to_a_later_meeting_of_the_same_body(item, people):
    earlier = Meeting.objects.filter(fund=item.meeting.fund, date__lt=item.meeting.date).first()
    with pytest.raises(ValidationError, match="spätere Sitzung"):
        services.motion_put(agenda_item=item, actor=people["chair"], kind="defer", defer_to=earlier)


def test_above_the_cap_a_failed_two_thirds_vote_leaves_room_for_a_reduced_amount(fund, people, club):
    from tests.factories import ApplicationFactory

    big = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1], requested_amount=Decimal("12000"),
                             own_funds=Decimal("3000"))  # fmt: skip
    item = on_agenda(big, people["office"], amount=Decimal("12000"))
    vote(item, people["members"][:3], Vote.YES)
    vote(item, people["members"][3:5], Vote.NO)
    closed = close(item, people["chair"])
    assert closed.decision is None and closed.motion.result == Motion.Result.NOT_ADOPTED  # 3 of 5 < 2/3

    services.motion_put(agenda_item=item, actor=people["chair"], kind="approve", amount=fund.cap)
    vote(item, people["members"][:3], Vote.YES)
    vote(item, people["members"][3:5], Vote.NO)
    decision = close(item, people["chair"], reasons="Über der Höchstgrenze nur anteilig.").decision
    assert (decision.kind, decision.amount) == ("approve", Decimal("5000.00"))


# Rule 3: a budget refusal is not a dead end --------------------------------------------


@pytest.fixture
def nearly_spent(item):
    """Only 1,200 EUR of this year's 40,000 EUR are left."""
    year = FiscalYear.objects.get(fund=item.meeting.fund, year=dt.date.today().year)
    services.ledger.ledger_book(fiscal_year=year, application=item.application, kind="commit",
                                amount=Decimal("38800.00"))  # fmt: skip
    return year


def test_an_approval_beyond_the_money_left_keeps_the_item_open_and_shows_what_is_left(item, people, nearly_spent):
    vote(item, people["members"][:4], Vote.YES)
    closed = close(item, people["chair"], reasons="Gekürzt.")
    assert closed.decision is None and closed.motion.result == Motion.Result.OVER_BUDGET
    item.refresh_from_db()
    assert item.closed_at is None
    page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "1.200,00 EUR" in page
    assert f"/tagesordnung/{item.pk}/antrag/?kind=approve&amp;amount=1200.00" in page
    assert f"/tagesordnung/{item.pk}/antrag/?kind=defer&amp;target=next_year" in page


def test_the_chair_can_then_put_the_available_amount(item, people, nearly_spent):
    vote(item, people["members"][:4], Vote.YES)
    close(item, people["chair"])
    services.motion_put(agenda_item=item, actor=people["chair"], kind="approve", amount=Decimal("1200"))
    vote(item, people["members"][:4], Vote.YES)
    decision = close(item, people["chair"], reasons="Mehr ist im Haushaltsjahr nicht verfügbar.").decision
    assert decision.amount == Decimal("1200.00")
    nearly_spent.refresh_from_db()
    assert nearly_spent.available == Decimal("0.00")


def test_or_defer_to_the_first_meeting_of_the_next_fiscal_year(item, people, nearly_spent):
    client = journey.login(people["chair"])
    page = client.get(f"/tagesordnung/{item.pk}/antrag/?kind=defer&target=next_year").content.decode()
    first_next_year = Meeting.objects.filter(fund=item.meeting.fund, date__year=dt.date.today().year + 1).first()
    assert (
        f'value="{first_next_year.pk}" id="id_defer_to_1" checked' in page
        or f'value="{first_next_year.pk}" selected' in page
    )
    journey.put_motion(people["chair"], item, kind="defer", defer_to=first_next_year.pk)
    vote(item, people["members"][:4], Vote.YES)
    decision = close(item, people["chair"]).decision
    assert decision.kind == Decision.DEFER
    assert item.application.agenda_items.get(closed_at=None).meeting == first_next_year


# Rule 7: a recused chair ------------------------------------------------------------------


def test_a_recused_chair_neither_votes_nor_closes_and_the_deputy_closes(flow_item, people):
    item = flow_item
    chair, deputy = people["chair"], people["deputy"]
    services.conflict_declare(agenda_item=item, member=chair, reason="Vorsitzende des Vereins")
    in_session(item, [chair])
    with pytest.raises(ValidationError, match="befangen"):
        services.vote_cast(agenda_item=item, member=chair, choice=Vote.YES)
    vote(item, people["members"][1:5], Vote.YES)
    with pytest.raises(ValidationError, match="Nur der Vorsitz"):
        close(item, chair)
    assert journey.login(chair).get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 403
    page = journey.login(deputy).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert f'href="/tagesordnung/{item.pk}/abschliessen/"' in page

    decision = journey.close_vote(deputy, item, reasons="Gekürzt auf das Notwendige.")
    assert (decision.kind, decision.signed_by, decision.presided_as) == ("approve", deputy, "deputy")
    assert decision.motion.closed_by == deputy
    page = journey.login(deputy).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "stellvertretender Vorsitz" in page


# The meeting page -------------------------------------------------------------------------


def vote_controls(client, item):
    page = client.get(f"/sitzungen/{item.meeting_id}/").content.decode()
    return f'action="/tagesordnung/{item.pk}/abstimmen/"' in page


def test_a_member_who_declares_a_conflict_loses_the_vote_controls(item, people):
    member = journey.login(people["members"][1])
    assert not vote_controls(member, item)  # the meeting is not in session yet
    in_session(item, [people["members"][1]])
    assert vote_controls(member, item)
    member.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"})
    assert Vote.objects.count() == 1
    response = member.post(f"/tagesordnung/{item.pk}/befangenheit/", {"reason": "Vorstand des Vereins"})
    assert response.status_code == 302
    assert not vote_controls(member, item)
    assert not Vote.objects.exists()
    member.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"})
    assert not Vote.objects.exists()


def test_a_member_without_voting_right_sees_no_vote_controls(item, people):
    in_session(item, people["members"])
    assert not vote_controls(journey.login(people["members"][5]), item)


def test_only_the_presiding_member_may_open_the_closing_and_motion_pages(item, people):
    for url in (f"/tagesordnung/{item.pk}/abschliessen/", f"/tagesordnung/{item.pk}/antrag/"):
        assert journey.login(people["members"][1]).get(url).status_code == 403
        assert journey.login(people["chair"]).get(url).status_code == 200


def test_people_outside_the_steering_group_get_404_on_meetings_and_items(item, club, people):
    assert journey.login(club[1]).get(f"/sitzungen/{item.meeting_id}/").status_code == 404
    for outsider in (club[1], people["office"]):  # the office sees the meeting, to record the room's votes
        client = journey.login(outsider)
        assert client.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"}).status_code == 404
        assert client.get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 404
        assert client.get(f"/tagesordnung/{item.pk}/antrag/").status_code == 404


def test_the_meeting_page_runs_the_same_queries_for_few_and_many_items(fund, people, club):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ApplicationFactory

    def add_items(count):
        for _ in range(count):
            application = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1])
            item = on_agenda(application, people["office"], amount=Decimal("2400"))
            vote(item, people["members"][:2], Vote.YES)
            services.motion_put(agenda_item=item, actor=people["chair"], kind="approve", amount=Decimal("2000"))
            vote(item, people["members"][:4], Vote.YES)
        services.vote_close(agenda_item=item, actor=people["chair"], reasons="Gekürzt.")
        return item.meeting_id

    def queries(meeting_id):
        client = journey.login(people["chair"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/sitzungen/{meeting_id}/").status_code == 200
        return len(captured)

    meeting_id = add_items(2)
    few = queries(meeting_id)
    add_items(4)
    assert queries(meeting_id) == few
