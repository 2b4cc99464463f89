"""Rules of the fund as the services apply them."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from grants import services
from grants.models import AgendaItem, Application, Decision, FiscalYear, LedgerEntry, Recommendation, Vote
from grants.status import Status
from grants.templatetags.money import format_euro
from workflows import api
from workflows.demo import accept_complete, draft, recommend


@pytest.fixture
def application(fund, club):
    organisation, user = club
    return draft(fund, organisation, user, "Mitternachtsfußball", Decimal("2400"), Decimal("3000"))


def on_agenda(application, people, *, motion="approve", amount=Decimal("2000")):
    """Move the application through the flow onto the next meeting's agenda."""
    api.submit(application=application, actor=application.created_by)
    accept_complete(application, people["office"])
    recommend(application, people["office"], motion=motion, amount=amount)
    return application.agenda_items.get(closed_at=None)


def vote(item, members, choice):
    for member in members:
        services.vote_cast(agenda_item=item, member=member, choice=choice)


def test_money_is_formatted_the_german_way():
    assert format_euro(Decimal("1234.5")) == "1.234,50 EUR"
    assert format_euro(Decimal("0")) == "0,00 EUR"


def test_submission_gives_a_yearly_reference_and_the_next_meeting(application, people):
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0), tick=False):
        api.submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.reference == "VF-2026-0001"
    assert application.meeting.date == dt.date(2026, 12, 16)  # 3rd Wednesday, cut-off 1 December
    assert application.audit_events.filter(action="submit").exists()


def test_an_application_filed_after_the_cutoff_goes_to_the_following_meeting(application, people):
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False):
        api.submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.meeting.date == dt.date(2027, 1, 20)


def test_an_incomplete_draft_cannot_be_submitted(application):
    application.declared_truthful = False
    application.save(update_fields=["declared_truthful"])
    with pytest.raises(ValidationError, match="alle Erklärungen"):
        api.submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.reference is None


def test_a_transition_from_the_wrong_status_is_refused(application, people):
    with pytest.raises(ValidationError):
        services.application_accept_complete(application=application, actor=people["office"])
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_a_simple_majority_approves_and_commits_the_budget(application, people):
    item = on_agenda(application, people)
    vote(item, people["members"][:3], Vote.YES)
    vote(item, people["members"][3:5], Vote.NO)
    decision = api.close_vote(agenda_item=item, actor=people["chair"])
    assert (decision.kind, decision.votes_yes, decision.votes_no) == (Decision.APPROVE, 3, 2)
    fiscal_year = FiscalYear.objects.get(fund=application.fund, year=decision.decided_at.year)
    assert services.fiscal_year_available(fiscal_year) == Decimal("38000.00")


def test_a_tie_rejects(application, people):
    item = on_agenda(application, people)
    vote(item, people["members"][:2], Vote.YES)
    vote(item, people["members"][2:4], Vote.NO)
    assert api.close_vote(agenda_item=item, actor=people["chair"]).kind == Decision.REJECT


def test_above_the_cap_only_a_two_thirds_majority_approves(fund, club, people):
    organisation, user = club
    big = draft(fund, organisation, user, "Quartiersbeleuchtung", Decimal("12000"), Decimal("15000"))
    item = on_agenda(big, people, amount=Decimal("12000"))
    vote(item, people["members"][:3], Vote.YES)
    vote(item, people["members"][3:5], Vote.NO)
    assert api.close_vote(agenda_item=item, actor=people["chair"]).kind == Decision.REJECT  # 3 of 5 < 2/3


def test_a_recused_member_cannot_vote_and_is_not_counted(application, people):
    item = on_agenda(application, people)
    member = people["members"][1]
    services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    services.conflict_declare(agenda_item=item, member=member, reason="Vorstand des Vereins")
    assert not item.votes.filter(member=member).exists()
    with pytest.raises(ValidationError, match="befangen"):
        services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    vote(item, [people["members"][0], *people["members"][2:4]], Vote.YES)
    decision = api.close_vote(agenda_item=item, actor=people["chair"])
    assert (decision.kind, decision.recused) == (Decision.DEFER, 1)  # 3 voters < quorum of 4


def test_a_member_without_voting_right_cannot_vote(application, people):
    item = on_agenda(application, people)
    with pytest.raises(ValidationError, match="kein Stimmrecht"):
        services.vote_cast(agenda_item=item, member=people["members"][5], choice=Vote.YES)


def test_only_the_chair_closes_a_vote(application, people):
    item = on_agenda(application, people)
    vote(item, people["members"][:4], Vote.YES)
    with pytest.raises(ValidationError, match="Nur der Vorsitz"):
        api.close_vote(agenda_item=item, actor=people["members"][1])
    assert AgendaItem.objects.get(pk=item.pk).closed_at is None


def test_an_approval_beyond_the_available_budget_is_refused(application, people):
    fiscal_year = FiscalYear.objects.get(fund=application.fund, year=dt.date.today().year)
    LedgerEntry.objects.create(
        fiscal_year=fiscal_year, application=application, kind=LedgerEntry.COMMIT, amount=Decimal("38800.00")
    )
    item = on_agenda(application, people)
    vote(item, people["members"][:4], Vote.YES)
    with pytest.raises(ValidationError, match="nur noch 1.200,00 EUR frei"):
        api.close_vote(agenda_item=item, actor=people["chair"])
    assert AgendaItem.objects.get(pk=item.pk).closed_at is None
    assert not Decision.objects.exists()


def test_a_recommendation_to_approve_needs_an_amount_within_the_request(application, people):
    api.submit(application=application, actor=application.created_by)
    services.application_accept_complete(application=application, actor=people["office"])
    with pytest.raises(ValidationError):
        services.recommendation_create(
            application=application,
            actor=people["office"],
            motion=Recommendation.APPROVE,
            amount=Decimal("2500"),
            financing_type="gap",
            conditions="",
            reasoning="x",
        )


def test_payout_waits_until_the_decision_is_final(application, people, celery_eager):
    from workflows.tasks import issue_decision_letter

    item = on_agenda(application, people)
    vote(item, people["members"][:4], Vote.YES)
    decision = api.close_vote(agenda_item=item, actor=people["chair"])
    issue_decision_letter(decision.pk)
    with pytest.raises(ValidationError, match="noch nicht bestandskräftig"):
        services.payout_record(
            application=application, actor=people["office"], amount=Decimal("2000"), paid_on=dt.date.today()
        )
    api.waive_appeal(application=application, actor=application.created_by)
    services.payout_record(
        application=application, actor=people["office"], amount=Decimal("2000"), paid_on=dt.date.today()
    )
    application.refresh_from_db()
    assert application.status == Status.PAID
    assert application.report_due == application.end_date + dt.timedelta(weeks=8)
