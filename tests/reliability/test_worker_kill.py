"""(a) kill -9 workers while 200 letters are rendered, filed and e-mailed: every letter is filed once
and reaches the SMTP sink once, counted by Message-ID; a kill between the server's "250 OK" and the
database commit may send that one e-mail twice (at most one per kill), and the run reports it."""

import os
import time

import pytest

from grants.models import Document
from notifications.models import Notification
from workflows.tasks import decision_letter_issue

from .conftest import publish, report, wait_all
from .letters import decided_applications

LETTERS = int(os.environ.get("RELIABILITY_LETTERS", "200"))  # about 3 s a letter under load on 2 cores


@pytest.mark.worker
def test_killed_workers_lose_no_letter_and_send_none_twice(fund, people, club, workers, own_redis, flaky_sink):
    decision_ids = decided_applications(fund, people, club, LETTERS)
    worker = workers.start(concurrency=2)
    started = time.monotonic()
    publish(own_redis.url, decision_letter_issue, decision_ids)

    def filed():
        return Document.objects.filter(decision_id__in=decision_ids).count()

    def sent():
        return Notification.objects.filter(template="decision_letter", status=Notification.SENT).count()

    def unsent():
        rows = Notification.objects.filter(template="decision_letter").exclude(status=Notification.SENT)
        fields = ("pk", "status", "attempts", "claimed_by", "next_attempt_at", "created")
        return f"{filed()} filed; not sent: {list(rows.values_list(*fields))}"

    kills = 0
    for share in (0.1, 0.3, 0.5):  # kill -9 a pool child mid-render, three times
        target = int(LETTERS * share)
        wait_all(lambda target=target: filed() >= target, workers, 600, f"{target} letters filed")
        if workers.kill_child(worker):
            kills += 1
    wait_all(lambda: filed() >= LETTERS * 0.7, workers, 600, "70 % of the letters filed")
    workers.kill_all(worker)  # the whole worker at once: its tasks come back after the visibility timeout
    kills += 1
    workers.start(concurrency=2)
    wait_all(lambda: sent() == LETTERS, workers, 600, f"all {LETTERS} letters sent", state=unsent)
    elapsed = time.monotonic() - started

    assert Document.objects.filter(decision_id__in=decision_ids).count() == LETTERS  # each filed once
    rows = Notification.objects.filter(template="decision_letter")
    assert rows.count() == LETTERS and not rows.exclude(status=Notification.SENT).exists()
    wait_all(lambda: len(flaky_sink.message_ids()) >= LETTERS, workers, 30, "the sink to receive them")
    ids = flaky_sink.message_ids()
    duplicates = sum(count - 1 for count in ids.values())
    report(f"(a) {LETTERS} letters, {kills} kills: {len(ids)} distinct Message-IDs at the sink, "
           f"{duplicates} duplicates, {elapsed:.0f} s")  # fmt: skip
    assert len(ids) == LETTERS
    assert duplicates <= kills
