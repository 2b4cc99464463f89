"""(d) A task queued in a transaction that rolls back runs zero times: notify() and the decision
letter publish only on commit. A committed e-mail queued after it shows the worker got that far."""

import pytest
from django.db import transaction

from notifications.models import Notification
from notifications.queueing import publish_on_commit
from notifications.services import notify
from tests.conftest import wait_until
from tests.factories import ApplicationFactory
from workflows.tasks import decision_letter_issue


def received(worker, task: str, since: int) -> int:
    lines = worker.log_path.read_text()[since:].splitlines()
    return sum(1 for line in lines if f"Task {task}[" in line and line.endswith("received"))


@pytest.mark.worker
def test_a_task_queued_in_a_rolled_back_transaction_never_runs(fund, club, smtp_sink, celery_worker_process):
    organisation, user = club
    application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, reference="VF-2026-0998")
    mark = len(celery_worker_process.log_path.read_text())
    with pytest.raises(RuntimeError), transaction.atomic():
        notify("decision_letter", emails=["rolled-back@example.org"], dedupe_key="rb", application=application)
        publish_on_commit(decision_letter_issue, 424242)
        raise RuntimeError("the decision failed after the letter was ordered")
    notify("decision_letter", emails=["committed@example.org"], dedupe_key="ok", application=application)

    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "committed@example.org"
    wait_until(lambda: "succeeded" in celery_worker_process.log_path.read_text()[mark:], message="the worker's log")
    assert received(celery_worker_process, "notifications.tasks.deliver_notification", mark) == 1
    assert received(celery_worker_process, "workflows.tasks.decision_letter_issue", mark) == 0
    assert list(Notification.objects.values_list("email", flat=True)) == ["committed@example.org"]
