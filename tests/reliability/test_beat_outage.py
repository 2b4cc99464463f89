"""(e) Beat is down for three simulated hours across midnight (time-machine): when the sweeps run
again (here `run_due_jobs`, as cron or a restarted beat would), every notice that fell due meanwhile
goes out exactly once, however often they run."""

import datetime as dt
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from grants.models import AgendaItem, Application, Decision, RevisionRequest
from notifications.models import Notification
from tests.factories import ApplicationFactory, MeetingFactory

from .conftest import report
from .letters import _copy, decided_applications

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAY = dt.date(2027, 3, 10)  # beat stops at 22:30 on this day and is back at 01:30 the next
NEXT = DAY + dt.timedelta(days=1)


def at(day, hour, minute):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


@pytest.mark.django_db(transaction=True)
def test_every_notice_due_while_beat_was_down_goes_out_once(fund, people, club, smtp_sink, celery_eager):
    organisation, user = club
    reports = {}
    for event, offset in [("report_upcoming", 14), ("report_due_today", 0), ("report_reminder", -7),
                          ("report_final_reminder", -14), ("report_escalation", -21)]:  # fmt: skip
        reports[event] = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, status="paid",
                                            report_due=NEXT + dt.timedelta(days=offset),
                                            reference=f"VF-2027-{100 - offset}")  # fmt: skip
    revising = []
    for number, deadline in [(1, NEXT + dt.timedelta(days=3)), (2, DAY)]:
        application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, status="revision",
                                         reference=f"VF-2027-{300 + number}")  # fmt: skip
        RevisionRequest.objects.create(application=application, message="Belege fehlen.", deadline=deadline,
                                       requested_by=people["office"])  # fmt: skip
        revising.append(application)
    [decision_id] = decided_applications(fund, people, club, 1)
    granted = Decision.objects.get(pk=decision_id)
    Decision.objects.filter(pk=granted.pk).update(kind=Decision.APPROVE, amount=2000, appeal_ends_on=DAY)
    Application.objects.filter(pk=granted.application_id).update(status="approved")
    meeting = MeetingFactory(fund=fund, date=NEXT + dt.timedelta(days=fund.invitation_days))
    _copy(AgendaItem.objects.get(application=granted.application), meeting=meeting, closed_at=None, opened_at=None)

    with time_machine.travel(at(DAY, 22, 30), tick=False):
        call_command("run_due_jobs")  # the last run before beat went down
    before = set(Notification.objects.values_list("pk", flat=True))
    sent_before = len(smtp_sink.messages)

    with time_machine.travel(at(NEXT, 1, 30), tick=False):  # three hours later beat (or cron) is back
        for _run in range(3):
            call_command("run_due_jobs")
    new = Notification.objects.exclude(pk__in=before)
    by_event = Counter((row.template, row.application_id) for row in new)
    office = {fund.office_email, people["office"].email}
    expected = {
        **{(event, application.pk): 1 for event, application in reports.items() if event != "report_escalation"},
        ("report_escalation", reports["report_escalation"].pk): len(office),
        ("revision_reminder", revising[0].pk): 1,
        ("revision_overdue", revising[1].pk): len(office),
        ("decision_final", granted.application_id): 1,
    }
    invitations = by_event.pop(("meeting_invitation", None), 0)
    assert dict(by_event) == expected
    assert (
        invitations == fund.roles.filter(role__in=["chair", "deputy_chair", "member"]).values("user").distinct().count()
    )
    assert not new.exclude(status=Notification.SENT).exists()
    arrived = smtp_sink.wait_for(sent_before + new.count())[sent_before:]
    ids = Counter(message["Message-ID"] for message in arrived)
    assert len(arrived) == new.count() == len(ids)  # each once at the sink
    report(f"(e) beat down 3 h across midnight: {new.count()} notices due, each sent once (3 sweep runs)")
