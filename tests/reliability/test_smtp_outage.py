"""(c) The mail server is down, or answers 451 twice: everything is delivered afterwards, with growing
delays (NOTIFICATION_RETRY_BASE=1 s here instead of 60 s). A 550 fails after one attempt and the
fund's office is told by e-mail."""

import pytest

from notifications.models import Notification
from notifications.tasks import deliver_notification

from .conftest import publish, report, wait_all
from .outbox import count, outbox_rows


@pytest.mark.worker
def test_an_outage_and_451s_are_outlasted_and_a_550_fails_once_and_tells_the_office(
    fund, people, club, workers, own_redis, flaky_sink
):
    workers.start(concurrency=1)
    flaky_sink.down()
    down = outbox_rows(fund, club, [f"down{n}@example.org" for n in range(5)])
    publish(own_redis.url, deliver_notification, down)
    wait_all(lambda: count(pk__in=down, status=Notification.PENDING, attempts__gte=2) == 5, workers, 60,
             "every e-mail tried twice while the server is down")  # fmt: skip
    assert not flaky_sink.messages
    flaky_sink.up()
    wait_all(lambda: count(pk__in=down, status=Notification.SENT) == 5, workers, 120, "delivery after the outage")

    flaky_sink.refuse_times["busy@example.org"] = ("451 4.3.0 Try again later", 2)
    flaky_sink.refuse_times["gone@example.org"] = ("550 5.1.1 No such user", 99)
    busy, gone = outbox_rows(fund, club, ["busy@example.org", "gone@example.org"])
    publish(own_redis.url, deliver_notification, [busy, gone])
    wait_all(lambda: count(pk=busy, status=Notification.SENT) == 1, workers, 60, "the 451s outlasted")
    assert Notification.objects.get(pk=busy).attempts == 3
    wait_all(lambda: count(template="delivery_failed", status=Notification.SENT) == 2, workers, 60,
             "the office told of the 550")  # fmt: skip
    gone = Notification.objects.get(pk=gone)
    assert (gone.status, gone.attempts) == (Notification.FAILED, 1) and "550" in gone.last_error
    told = [m for m in flaky_sink.messages if m["To"] == people["office"].email]
    assert len(told) == 1 and "gone@example.org" in told[0].get_body(("plain",)).get_content()
    ids = flaky_sink.message_ids()
    assert all(n == 1 for n in ids.values()) and "gone@example.org" not in {m["To"] for m in flaky_sink.messages}
    report("(c) outage: 5 of 5 delivered after it; 451x2: sent on attempt 3; 550: failed after 1, office told")
