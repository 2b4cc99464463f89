"""(b) redis-server (appendonly yes, appendfsync everysec) killed with SIGKILL and started again:
queued messages survive, and a run interrupted in the middle delivers everything afterwards (a
message lost in the crash's last second comes back through the outbox sweep, as beat runs it)."""

import time

import pytest
import redis
from django.test import override_settings

from notifications.models import Notification
from notifications.services import notifications_requeue_stale
from notifications.tasks import deliver_notification

from .conftest import publish, report, wait_all
from .outbox import count, outbox_rows

MAILS = 200


class SweepWhenStalled:
    """What production runs around the workers, done here while waiting: systemd restarts a worker
    that exited on the lost connection, and beat's outbox sweep runs when delivery stalls (a
    message in flight when Redis is killed can be lost with the last second before its AOF fsync:
    taken from the queue, not yet in the unacked set; its row is still pending in the database)."""

    STALLED_AFTER = 30  # seconds without a sent e-mail; far beyond the visibility timeout of 20 s

    def __init__(self, broker_url, workers):
        self.broker_url, self.workers, self.requeued, self.restarted = broker_url, workers, 0, 0
        self.sent, self.since = -1, time.monotonic()

    def all_sent(self) -> bool:
        self.restarted += self.workers.restart_exited()
        sent = count(status=Notification.SENT)
        if sent != self.sent:
            self.sent, self.since = sent, time.monotonic()
        elif time.monotonic() - self.since > self.STALLED_AFTER:
            with override_settings(NOTIFICATION_RESEND_AFTER=0):
                ids = notifications_requeue_stale()
            publish(self.broker_url, deliver_notification, ids)
            self.requeued += len(ids)
            self.since = time.monotonic()
        return sent == MAILS


@pytest.mark.worker
def test_queued_messages_survive_a_redis_crash_and_a_run_cut_in_half_completes(
    fund, club, workers, own_redis, flaky_sink
):
    ids = outbox_rows(fund, club, [f"person{n}@example.org" for n in range(MAILS)])
    publish(own_redis.url, deliver_notification, ids)
    time.sleep(1.5)  # real time for AOF's fsync every second, not simulated time
    own_redis.kill()
    own_redis.start()
    assert redis.Redis(port=own_redis.port).llen("celery") == MAILS  # nothing lost while queued

    workers.start(concurrency=2)
    wait_all(lambda: count(status=Notification.SENT) >= MAILS // 4, workers, 180, "a quarter sent")
    own_redis.kill()  # in the middle of the run
    own_redis.start()
    sweep = SweepWhenStalled(own_redis.url, workers)
    wait_all(sweep.all_sent, workers, 240, "every e-mail sent")

    wait_all(lambda: len(flaky_sink.message_ids()) >= MAILS, workers, 30, "the sink to receive them")
    ids_at_sink = flaky_sink.message_ids()
    duplicates = sum(n - 1 for n in ids_at_sink.values())
    report(f"(b) {MAILS} e-mails, Redis killed twice: {len(ids_at_sink)} distinct at the sink, "
           f"{duplicates} duplicates, {sweep.requeued} messages queued again by the outbox sweep, "
           f"{sweep.restarted} workers restarted")  # fmt: skip
    assert len(ids_at_sink) == MAILS
    assert duplicates <= 1  # only a send cut off by the crash between "250 OK" and the commit
