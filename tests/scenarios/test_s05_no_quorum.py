"""Scenario 5, no quorum.

Two applications are on the same meeting's agenda. Only three members with a vote
take part (the fund's quorum is four), so when the chair closes each vote the item
is deferred to the next meeting, and the Celery worker process tells each applicant
by e-mail: the next meeting's date and that the quorum was not reached. Each
process waits again for the steering group; at the next meeting four members vote
yes and the item is approved.
"""

from decimal import Decimal

import pytest

from grants.models import Decision, Meeting, Motion
from tests import journey
from tests.conftest import wait_until
from tests.factories import OrganisationFactory, UserFactory
from tests.workflows.test_process import letter_mails
from workflows.flows import ApplicationFlow

QUORUM_NOT_REACHED = "Das Quorum wurde nicht erreicht."


def mails_to(sink, address, subject):
    return [message for message in sink.messages if message["To"] == address and subject in message["Subject"]]


def waits_for_the_body(application) -> bool:
    return application.process.task_set.filter(flow_task=ApplicationFlow.await_decision, status="NEW").count() == 1


@pytest.fixture
def two_applicants(club):
    """The sports club and a residents' association, each with its own login."""
    user = UserFactory(email="vorstand@buergerverein-heimfeld.example.org")
    return [club, (OrganisationFactory(name="Bürgerverein Heimfeld e.V.", members=[user]), user)]


@pytest.mark.worker
def test_without_quorum_both_items_are_deferred_the_applicants_told_and_the_next_meeting_decides(
    fund, people, two_applicants, smtp_sink, celery_worker_process
):
    office = journey.login(people["office"])
    applications = []
    for (_organisation, user), title in zip(two_applicants, ["Mitternachtsfußball", "Heimfeld räumt auf"], strict=True):
        application = journey.apply(journey.login(user), fund, title=title)
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2400.00")
        applications.append(application)
    first_meeting = journey.open_item(applications[0]).meeting
    assert journey.open_item(applications[1]).meeting == first_meeting
    next_meeting = Meeting.objects.filter(fund=fund, date__gt=first_meeting.date).order_by("date").first()
    three_voters = people["members"][:3]

    # Only three members with a vote take part; the chair closes each vote.
    for application in applications:
        item = journey.vote_all(three_voters, application, "yes")
        page = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
        assert "Wenn Sie die Abstimmung jetzt schließen, wird der Punkt auf die nächste Sitzung vertagt." in " ".join(
            page.split()
        )
        decision = journey.close_vote(people["chair"], item)
        assert decision.kind == Decision.DEFER
        assert decision.motion.result == Motion.Result.NO_QUORUM
        assert decision.reasons.startswith(QUORUM_NOT_REACHED)

    for application in applications:
        application.refresh_from_db()
        assert application.status == "on_agenda"
        assert application.meeting == next_meeting
        assert journey.open_item(application).meeting == next_meeting
        assert waits_for_the_body(application)
    assert not first_meeting.agenda_items.filter(closed_at=None).exists()

    # The worker tells each applicant: the next meeting's date and the reason.
    for (organisation, _user), application in zip(two_applicants, applications, strict=True):
        subject = f"Die Entscheidung über Ihren Antrag {application.reference} wurde vertagt"
        wait_until(
            lambda address=organisation.email, subject=subject: mails_to(smtp_sink, address, subject),
            message=f"the deferral e-mail for {application.reference}",
        )
        [deferral] = mails_to(smtp_sink, organisation.email, subject)
        body = " ".join(deferral.get_body(("plain",)).get_content().split())
        assert f"({QUORUM_NOT_REACHED})" in body
        assert f"Er steht auf der Tagesordnung der nächsten Sitzung am {next_meeting.date:%d.%m.%Y}." in body

    # At the next meeting four members vote yes: approved.
    for application in applications:
        decision = journey.close_vote(people["chair"], journey.vote_all(people["members"][:4], application, "yes"))
        assert decision.kind == Decision.APPROVE
        assert decision.agenda_item.meeting == next_meeting
        assert decision.amount == Decimal("2400.00")
        application.refresh_from_db()
        assert application.status == "approved"

    # The worker sends both grant decisions and the processes wait for them to become final.
    wait_until(lambda: len(letter_mails(smtp_sink)) == 2, message="both grant decision letters")
    for application in applications:
        wait_until(
            lambda application=application: application.process.task_set.filter(
                flow_task=ApplicationFlow.await_final
            ).exists(),
            message=f"{application.reference} to wait until its decision is final",
        )
