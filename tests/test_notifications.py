import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_deliver, notifications_requeue_stale, notify


@pytest.fixture
def outbox_row(db):
    [row] = notify("decision_letter_test", emails=["a@example.org"], dedupe_key="k1")
    return row


def test_notify_adds_one_row_per_key_and_address(db):
    assert len(notify("x", emails=["a@example.org", "a@example.org", "b@example.org"], dedupe_key="k")) == 2
    assert notify("x", emails=["a@example.org"], dedupe_key="k") == []
    assert Notification.objects.count() == 2


def test_a_row_is_sent_once_even_if_delivered_twice(db, smtp_sink, settings, tmp_path):
    (tmp_path / "email").mkdir()
    for name, text in [("t_subject.txt", "Betreff"), ("t.txt", "Text"), ("t.html", "<p>HTML</p>")]:
        (tmp_path / "email" / name).write_text(text)
    settings.TEMPLATES[0]["DIRS"] = [tmp_path, *settings.TEMPLATES[0]["DIRS"]]
    [row] = notify("t", emails=["a@example.org"], dedupe_key="once")

    assert notification_deliver(notification_id=row.pk) is True
    assert notification_deliver(notification_id=row.pk) is False

    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Betreff"
    row.refresh_from_db()
    assert row.status == Notification.SENT and row.attempts == 1


def test_a_row_left_sending_by_a_dead_worker_is_released(outbox_row):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=outbox_row.pk).update(
        status=Notification.SENDING, claimed_at=long_ago, created=long_ago
    )
    assert notifications_requeue_stale() == [outbox_row.pk]
    outbox_row.refresh_from_db()
    assert outbox_row.status == Notification.PENDING


def test_fresh_pending_rows_are_left_to_their_queued_delivery(outbox_row):
    assert notifications_requeue_stale() == []
