"""(b) redis-server (appendonly yes, appendfsync everysec) killed with SIGKILL and started again:
queued messages survive, and a run interrupted in the middle delivers everything afterwards."""

import time

import pytest
import redis

from notifications.models import Notification
from notifications.tasks import deliver_notification

from .conftest import publish, report, wait_all
from .outbox import count, outbox_rows

MAILS = 200


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
    wait_all(lambda: count(status=Notification.SENT) == MAILS, workers, 240, "every e-mail sent")

    wait_all(lambda: len(flaky_sink.message_ids()) >= MAILS, workers, 30, "the sink to receive them")
    ids_at_sink = flaky_sink.message_ids()
    duplicates = sum(n - 1 for n in ids_at_sink.values())
    report(f"(b) {MAILS} e-mails, Redis killed twice: {len(ids_at_sink)} distinct at the sink, {duplicates} duplicates")
    assert len(ids_at_sink) == MAILS
    assert duplicates <= 1  # only a send cut off by the crash between "250 OK" and the commit
