"""Delivery hardening: a broker outage never fails a committed decision, lost letters and e-mails are
queued again by the sweeps, the Message-ID is the row's, a killed send is taken over once."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from kombu.exceptions import OperationalError

from grants.models import Document
from notifications import services
from notifications.models import Notification
from notifications.services import MAX_ATTEMPTS, notify
from notifications.tasks import deliver_notification, requeue_pending_notifications
from tests import journey, steps
from workflows import tasks as workflow_tasks
from workflows.flows import ApplicationFlow


@pytest.fixture
def broker_down(monkeypatch):
    """Every publish fails as it does when Redis cannot be reached."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for task in (workflow_tasks.decision_letter_issue, deliver_notification):
        monkeypatch.setattr(task, "apply_async", refuse)
    return monkeypatch


def waiting_for_letter(application) -> bool:
    return ApplicationFlow.task_class.objects.filter(
        process__applicationprocess__application=application, flow_task=ApplicationFlow.await_letter, status="NEW"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_decision_taken_while_the_broker_is_down_commits_and_its_letter_follows(
    application, people, smtp_sink, broker_down
):
    from workflows import api

    api.application_submit(application=application, actor=application.created_by)
    office = journey.login(people["office"])
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2000.00")
    item = application.agenda_items.get(closed_at=None)
    steps.vote(item, people["members"][:4], "yes")
    decision = journey.close_vote(people["chair"], item, reasons="Gekürzt.")  # a redirect, not a 500
    assert decision is not None and waiting_for_letter(application)
    assert not Document.objects.filter(application=application).exists()

    broker_down.undo()  # Redis is back; beat's lost-letter sweep runs a few minutes later
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        assert workflow_tasks.requeue_waiting_letters() == []  # too early: its message may still come
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
            assert workflow_tasks.requeue_waiting_letters() == [decision.pk]
    finally:
        app.conf.task_always_eager = False
    assert Document.objects.filter(application=application, kind=Document.APPROVAL).count() == 1
    assert not waiting_for_letter(application)
    row = Notification.objects.get(application=application, template="decision_letter")
    assert row.status == Notification.SENT


def test_notify_commits_its_rows_when_the_broker_is_down_and_the_sweep_sends_them(
    db, smtp_sink, templates, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify("t", emails=["a@example.org"], dedupe_key="down")
    assert Notification.objects.get(pk=row.pk).status == Notification.PENDING
    broker_down.undo()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert services.notifications_requeue_stale() == [row.pk]
    assert services.notification_deliver(notification_id=row.pk) is True


def test_a_repeated_notify_queues_a_row_whose_message_was_lost_but_not_one_that_was_sent(
    db, smtp_sink, templates, broker_down, django_capture_on_commit_callbacks
):
    """A worker killed between its commit and its publish: the task's redelivery calls notify again."""
    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify("t", emails=["a@example.org"], dedupe_key="lost")
    broker_down.undo()
    queued = []
    broker_down.setattr(deliver_notification, "apply_async", lambda args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert notify("t", emails=["a@example.org"], dedupe_key="lost") == []  # no second row
    assert queued == [(row.pk,)]
    assert services.notification_deliver(notification_id=row.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        notify("t", emails=["a@example.org"], dedupe_key="lost")
    assert queued == [(row.pk,)]  # sent: nothing queued again
    assert len(smtp_sink.wait_for(1)) == 1


def test_the_message_id_is_derived_from_the_row_and_the_same_on_every_attempt(db, smtp_sink, templates):
    smtp_sink.answers["busy@example.org"] = "451 4.3.0 Try again later"
    [row] = notify("t", emails=["busy@example.org"], dedupe_key="mid")
    with pytest.raises(services.DeliveryDeferred):
        services.notification_deliver(notification_id=row.pk)
    smtp_sink.answers.clear()
    assert services.notification_deliver(notification_id=row.pk) is True
    [message] = smtp_sink.wait_for(1)
    assert message["Message-ID"] == services.message_id(row)
    assert message["Message-ID"].startswith(f"<outbox.{row.pk}.")
    assert message.get_body(("plain",)) and message.get_body(("html",))


def test_a_deferred_row_waits_longer_each_time(db, smtp_sink, templates, settings):
    settings.NOTIFICATION_RETRY_BASE, settings.NOTIFICATION_RETRY_CAP = 60, 1800
    assert [services.retry_delay(n) for n in range(1, 8)] == [60, 120, 240, 480, 960, 1800, 1800]
    smtp_sink.answers["busy@example.org"] = "451 4.3.0 Try again later"
    [row] = notify("t", emails=["busy@example.org"], dedupe_key="wait")
    with pytest.raises(services.DeliveryDeferred) as deferred:
        services.notification_deliver(notification_id=row.pk)
    assert deferred.value.countdown == 60
    row.refresh_from_db()
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert services.notifications_requeue_stale() == []  # its retry message is due later


def test_only_the_redelivery_of_the_same_message_takes_over_a_row_left_sending(db, smtp_sink, templates):
    [row] = notify("t", emails=["a@example.org"], dedupe_key="takeover")
    Notification.objects.filter(pk=row.pk).update(status=Notification.SENDING, claimed_by="task-1", attempts=1)
    assert services.notification_deliver(notification_id=row.pk, claimant="task-2") is False
    assert services.notification_deliver(notification_id=row.pk, claimant="") is False
    assert services.notification_deliver(notification_id=row.pk, claimant="task-1") is True
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.SENT, 2)


def test_a_row_out_of_attempts_left_sending_fails_and_the_office_is_told(db, application, people):
    [row] = notify("t", emails=["a@example.org"], dedupe_key="dead", application=application)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.SENDING, claimed_at=long_ago, created=long_ago, attempts=MAX_ATTEMPTS
    )
    assert requeue_pending_notifications() == 0
    row.refresh_from_db()
    assert row.status == Notification.FAILED
    notices = Notification.objects.filter(template=services.DELIVERY_FAILED)
    assert {notice.email for notice in notices} == {application.fund.office_email, people["office"].email}
    assert notices[0].context["failed_email"] == "a@example.org"


@pytest.mark.django_db(transaction=True)
def test_the_office_reads_the_delivery_log_of_an_application(fund, people, club, smtp_sink, celery_eager):
    organisation, user = club
    smtp_sink.answers[organisation.email] = "550 5.1.1 No such user"
    application = journey.apply(journey.login(user), fund)
    office = journey.login(people["office"])
    page = office.get(f"/akten/{application.pk}/").content.decode()
    assert "E-Mails" in page and organisation.email in page and "550" in page
    assert "fehlgeschlagen" in page and "Erneut senden" in page
    assert application.reference in page  # the subject of the receipt
    assert "Erneut senden" not in journey.login(people["chair"]).get(f"/akten/{application.pk}/").content.decode()
