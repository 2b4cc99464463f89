"""Routine notices wait for a daily digest when their recipient prefers it; legal letters never wait."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationPreference
from notifications.services import digests_send, notify
from tests import journey


@pytest.mark.django_db(transaction=True)
def test_routine_notices_wait_for_one_daily_e_mail_and_letters_go_at_once(
    fund, club, application, smtp_sink, celery_eager
):
    organisation, user = club
    client = journey.login(user)
    assert "einmal am Tag" in client.get("/konto/benachrichtigungen/").content.decode()
    assert client.post("/konto/benachrichtigungen/", {"routine": "daily"}).status_code == 302
    assert NotificationPreference.objects.get(user=user).routine == "daily"

    application.reference = "VF-2026-0042"
    application.save()
    [receipt] = notify("application_received", emails=[user.email], dedupe_key="r", application=application)
    facts = {"report_due": dt.date(2026, 12, 1), "reference": "VF-2026-0042", "title": "X"}
    [reminder] = notify("report_due_today", emails=[user.email], dedupe_key="d", application=application, context=facts)
    [letter] = notify("decision_letter", emails=[user.email], dedupe_key="l", application=application)
    [other] = notify("application_received", emails=["someone@example.org"], dedupe_key="o", application=application)
    assert [Notification.objects.get(pk=row.pk).status for row in (receipt, reminder, letter, other)] == [
        "held", "held", "sent", "sent"]  # fmt: skip
    smtp_sink.messages.clear()

    today = timezone.localdate()
    assert digests_send(today=today) == 0  # today's notices go in tomorrow's digest
    assert digests_send(today=today + dt.timedelta(days=1)) == 1
    assert digests_send(today=today + dt.timedelta(days=1)) == 0
    [digest] = smtp_sink.wait_for(1)
    assert digest["To"] == user.email and "(2)" in digest["Subject"]
    text = digest.get_body(("plain",)).get_content()
    assert "VF-2026-0042" in text and f"/antraege/{application.pk}/" in text
    assert Notification.objects.filter(digest__isnull=False, status="sent").count() == 2
