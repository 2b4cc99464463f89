"""From the draft to the agenda: submission, references, meetings, recommendations."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from grants import services
from grants.models import Application, Recommendation
from grants.status import Status
from grants.templatetags.money import format_euro
from tests.factories import FundFactory
from workflows import api


def test_money_is_formatted_the_german_way():
    assert format_euro(Decimal("1234.5")) == "1.234,50 EUR"
    assert format_euro(Decimal("0")) == "0,00 EUR"


def test_submission_gives_the_funds_yearly_reference_and_the_next_meeting(application):
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0), tick=False):
        api.application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.reference == "VF-2026-0001"
    assert application.meeting.date == dt.date(2026, 12, 16)  # 3rd Wednesday, cut-off 1 December
    assert application.audit_events.filter(action="submit").exists()


def test_an_application_filed_after_the_cutoff_goes_to_the_following_meeting(application):
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False):
        api.application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.meeting.date == dt.date(2027, 1, 20)


def test_an_incomplete_draft_cannot_be_submitted(application):
    application.declared_truthful = False
    application.save(update_fields=["declared_truthful"])
    with pytest.raises(ValidationError, match="alle Erklärungen"):
        api.application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.reference is None


def test_only_a_member_of_the_organisation_submits(application, people):
    with pytest.raises(ValidationError, match="für diese Organisation zu handeln"):
        services.application_submit(application=application, actor=people["office"])


def test_a_fund_that_accepts_no_applications_refuses_a_new_draft(club):
    closed = FundFactory(accepts_applications=False, reference_prefix="ZU")
    with pytest.raises(ValidationError, match="nimmt zurzeit keine Anträge"):
        services.application_create(fund=closed, organisation=club[0], actor=club[1], data={}, cost_lines=[])


def test_a_transition_from_the_wrong_status_is_refused(application, people):
    with pytest.raises(ValidationError):
        services.application_accept_complete(application=application, actor=people["office"])
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_a_recommendation_to_approve_needs_an_amount_within_the_request(application, people):
    services.application_submit(application=application, actor=application.created_by)
    services.application_accept_complete(application=application, actor=people["office"])
    with pytest.raises(ValidationError, match="2.400,00 EUR"):
        services.recommendation_create(
            application=application, actor=people["office"], motion=Recommendation.APPROVE, amount=Decimal("2500"),
            financing_type="gap", conditions="", reasoning="x",
        )  # fmt: skip
    assert not application.recommendations.exists()


def test_the_recommendation_puts_its_motion_on_the_agenda(application, people):
    from tests.steps import on_agenda

    item = on_agenda(application, people["office"], amount=Decimal("2000"), conditions="Jugendbeauftragter")
    [motion] = item.motions.all()
    assert (motion.kind, motion.amount, motion.conditions, motion.amended) == (
        "approve", Decimal("2000.00"), "Jugendbeauftragter", False,
    )  # fmt: skip
