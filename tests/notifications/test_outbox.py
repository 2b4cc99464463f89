"""The outbox: one row per key and address, sent once, failed visibly, retried by hand."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.services import MAX_ATTEMPTS, DeliveryDeferred, notification_deliver, notify
from tests import journey


def test_notify_adds_one_row_per_key_and_address(db):
    assert len(notify("x", emails=["a@example.org", "a@example.org", "b@example.org"], dedupe_key="k")) == 2
    assert notify("x", emails=["a@example.org"], dedupe_key="k") == []
    assert Notification.objects.count() == 2


def test_a_row_is_sent_once_even_if_delivered_twice_and_its_dates_are_formatted_by_django(db, smtp_sink, templates):
    [row] = notify("t", emails=["a@example.org"], dedupe_key="once", context={"day": dt.date(2026, 12, 16)})
    assert notification_deliver(notification_id=row.pk) is True
    assert notification_deliver(notification_id=row.pk) is False
    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Betreff"
    assert "16.12.2026" in message.get_body(("plain",)).get_content()
    row.refresh_from_db()
    assert row.status == Notification.SENT and row.attempts == 1


def test_a_permanent_refusal_fails_at_once(db, smtp_sink, templates):
    smtp_sink.answers["gone@example.org"] = "550 5.1.1 No such user"
    [row] = notify("t", emails=["gone@example.org"], dedupe_key="gone")
    assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.FAILED, 1)
    assert "550" in row.last_error


def test_a_transient_refusal_is_retried_until_the_attempts_run_out(db, smtp_sink, templates):
    smtp_sink.answers["busy@example.org"] = "451 4.3.0 Try again later"
    [row] = notify("t", emails=["busy@example.org"], dedupe_key="busy")
    for _attempt in range(MAX_ATTEMPTS - 1):
        with pytest.raises(DeliveryDeferred):
            notification_deliver(notification_id=row.pk)
        row.refresh_from_db()
        assert row.status == Notification.PENDING
    assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.FAILED, MAX_ATTEMPTS)


def test_a_row_left_sending_by_a_dead_worker_is_released(db):
    [row] = notify("t", emails=["a@example.org"], dedupe_key="k1")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(status=Notification.SENDING, claimed_at=long_ago, created=long_ago)
    assert services.notifications_requeue_stale() == [row.pk]
    row.refresh_from_db()
    assert row.status == Notification.PENDING


def test_fresh_pending_rows_are_left_to_their_queued_delivery(db):
    notify("t", emails=["a@example.org"], dedupe_key="k1")
    assert services.notifications_requeue_stale() == []


@pytest.mark.django_db(transaction=True)
def test_the_office_sees_a_failed_e_mail_and_sends_it_again(fund, people, club, smtp_sink, celery_eager):
    organisation, user = club
    smtp_sink.answers[organisation.email] = "550 5.1.1 No such user"
    application = journey.apply(journey.login(user), fund)  # the receipt fails for good
    [row] = Notification.objects.filter(application=application, email=organisation.email)
    assert row.status == Notification.FAILED
    notices = Notification.objects.filter(template="delivery_failed")  # the office is told at once
    assert {notice.email for notice in notices} == {fund.office_email, people["office"].email}
    assert {notice.status for notice in notices} == {Notification.SENT}
    [told] = [message for message in smtp_sink.wait_for(2) if message["To"] == people["office"].email]
    assert organisation.email in told.get_body(("plain",)).get_content()
    smtp_sink.messages.clear()

    office = journey.login(people["office"])
    assert "1 E-Mail konnte nicht zugestellt werden" in office.get("/geschaeftsstelle/").content.decode()
    page = office.get("/geschaeftsstelle/zustellung/").content.decode()
    assert organisation.email in page and "550" in page

    smtp_sink.answers.clear()  # the address was fixed at the mail server
    assert office.post(f"/geschaeftsstelle/zustellung/{row.pk}/").status_code == 302
    row.refresh_from_db()
    assert row.status == Notification.SENT
    assert smtp_sink.wait_for(1)[0]["To"] == organisation.email


def test_another_funds_office_cannot_see_or_retry_the_failure(db, fund, people, club):
    from tests.factories import ApplicationFactory, FundFactory, FundRoleFactory

    application = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1])
    [row] = notify("t", emails=["a@example.org"], dedupe_key="x", application=application)
    Notification.objects.filter(pk=row.pk).update(status=Notification.FAILED)
    other = FundRoleFactory(fund=FundFactory(reference_prefix="PR"), role="office").user
    client = journey.login(other)
    assert "a@example.org" not in client.get("/geschaeftsstelle/zustellung/").content.decode()
    assert client.post(f"/geschaeftsstelle/zustellung/{row.pk}/").status_code == 404
