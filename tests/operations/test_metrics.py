"""/metrics: refused to clients outside the configured networks without the token; reports
requests by view, the outbox, letters, office queues and task outcomes from the real system."""

import datetime as dt
import re

import pytest
import time_machine

from notifications.services import notify
from tests import journey
from tests.conftest import wait_until
from tests.operations.conftest import decide
from tests.workflows.test_process import wait_for_letter

OUTSIDE, INSIDE = "203.0.113.7", "10.1.2.3"


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one sample in Prometheus' text format, or None if it is absent."""
    label_text = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = rf"^{re.escape(name)}{re.escape('{' + label_text + '}') if labels else ''} (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else None


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


@pytest.fixture
def only_the_monitoring_network(settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.METRICS_TOKEN = "the-monitoring-token"


@pytest.mark.django_db
def test_a_client_outside_the_networks_is_refused_without_the_token(client, only_the_monitoring_network):
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 403
    wrong = {"Authorization": "Bearer not-the-token"}
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, headers=wrong).status_code == 403
    right = {"Authorization": "Bearer the-monitoring-token"}
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, headers=right).status_code == 200
    assert client.get("/metrics", REMOTE_ADDR=INSIDE).status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_counts_not_the_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]  # the default networks allow 127.0.0.1 itself
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    settings.TRUSTED_PROXIES = []  # an untrusted peer cannot claim an address
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_request_latency_is_reported_by_view(client):
    before = sample(scrape(client), "verfuegungsfonds_http_request_duration_seconds_count", method="GET",
                    view="health_live") or 0  # fmt: skip
    client.get("/health/")
    after = sample(scrape(client), "verfuegungsfonds_http_request_duration_seconds_count", method="GET",
                   view="health_live")  # fmt: skip
    assert after == before + 1


@pytest.mark.django_db(transaction=True)
def test_open_and_overdue_office_tasks_are_reported_by_step(client, fund, club, settings, smtp_sink, celery_eager):
    settings.OFFICE_TASK_OVERDUE_DAYS = 14
    journey.apply(journey.login(club[1]), fund)
    text = scrape(client)
    assert sample(text, "verfuegungsfonds_office_tasks_open", step="check_completeness") == 1
    assert sample(text, "verfuegungsfonds_office_tasks_overdue", step="check_completeness") == 0
    with time_machine.travel(dt.timedelta(days=15)):
        text = scrape(client)
    assert sample(text, "verfuegungsfonds_office_tasks_overdue", step="check_completeness") == 1


@pytest.mark.django_db
def test_the_oldest_waiting_notification_is_reported_by_its_age(client):
    assert sample(scrape(client), "verfuegungsfonds_oldest_waiting_notification_seconds") == 0
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        notify("t", emails=["a@example.org"], dedupe_key="waiting")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 10, tzinfo=dt.UTC), tick=False):
        assert sample(scrape(client), "verfuegungsfonds_oldest_waiting_notification_seconds") == 600


@pytest.mark.worker
def test_a_letter_sent_by_the_worker_is_reported(client, fund, people, club, celery_worker_process, smtp_sink):
    text = scrape(client)
    assert sample(text, "verfuegungsfonds_letter_emails", status="sent") is None
    assert sample(text, "verfuegungsfonds_broker_up") == 1
    assert sample(text, "verfuegungsfonds_celery_queue_length") is not None

    decide(fund, people, club)
    wait_for_letter(smtp_sink)  # rendered by the worker and e-mailed over SMTP
    wait_until(
        lambda: sample(scrape(client), "verfuegungsfonds_letter_emails", status="sent") == 1,
        timeout=30,
        message="/metrics to count the sent letter",
    )
    text = scrape(client)
    assert sample(text, "verfuegungsfonds_letters_issued", kind="approval") == 1
    assert sample(text, "verfuegungsfonds_celery_tasks_total", outcome="succeeded",
                  task="workflows.tasks.decision_letter_issue") == 1  # fmt: skip
