"""/health/ answers without touching anything; /health/ready/ checks every service for real
and names what fails. Failures are real failed connections to closed ports, never mocks."""

import datetime as dt

import pytest
import time_machine
from django.db import connections

from tests.conftest import free_port, wait_until

SERVICES = ["database", "broker", "worker", "beat", "media"]


def ready(client):
    response = client.get("/health/ready/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


@pytest.mark.django_db
def test_liveness_answers_without_login_or_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.worker
def test_every_check_is_green_with_the_services_up(client, settings, celery_beat_process):
    wait_until(lambda: ready(client)[0] == 200, timeout=30, message="every readiness check to pass")
    status, answer = ready(client)
    assert answer["status"] == "ok" and answer["failing"] == []
    assert sorted(answer["checks"]) == sorted(SERVICES)
    assert all(check["ok"] for check in answer["checks"].values())
    text = client.get("/health/ready/").content.decode()
    assert settings.SECRET_KEY not in text
    assert settings.CELERY_BROKER_URL not in text


@pytest.mark.worker
def test_an_unreachable_broker_answers_503_naming_the_broker(client, settings, celery_beat_process):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    wait_until(lambda: ready(client)[1]["checks"]["worker"]["ok"], timeout=30, message="a worker heartbeat")
    status, answer = ready(client)
    assert (status, answer["status"], answer["failing"]) == (503, "fail", ["broker"])
    assert answer["checks"]["broker"]["error"] == "OperationalError"
    assert "127.0.0.1" not in str(answer)


@pytest.fixture
def unreachable_database(celery_beat_process):
    """A second database alias whose server does not exist: a real refused connection.

    Added after the test case is set up and removed before it is torn down: Django's test
    case walks every alias at both moments."""
    alias = "unreachable"
    connections.settings[alias] = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": free_port(),
        "NAME": "verfuegungsfonds",
        "USER": "postgres",
        "PASSWORD": "secret-that-must-not-leak",
        "OPTIONS": {"connect_timeout": 2},
        "TEST": {},
    }
    yield alias
    del connections.settings[alias]


@pytest.mark.worker
def test_an_unreachable_database_answers_503_naming_the_database(client, unreachable_database):
    wait_until(lambda: ready(client)[1]["checks"]["worker"]["ok"], timeout=30, message="a worker heartbeat")
    status, answer = ready(client)
    assert (status, answer["failing"]) == (503, ["database"])
    assert answer["checks"]["database"]["error"] == "OperationalError"
    assert "secret-that-must-not-leak" not in str(answer)


@pytest.mark.worker
def test_a_worker_silent_for_longer_than_configured_answers_503(client, settings, celery_beat_process):
    settings.HEALTH_WORKER_MAX_AGE = 120
    settings.HEALTH_BEAT_MAX_AGE = 3600
    wait_until(lambda: ready(client)[0] == 200, timeout=30, message="every readiness check to pass")
    # The worker keeps beating on the real clock; here it is five minutes later.
    with time_machine.travel(dt.timedelta(minutes=5)):
        status, answer = ready(client)
    assert (status, answer["failing"]) == (503, ["worker"])
    assert "more than 120 s" in answer["checks"]["worker"]["error"]


def test_a_media_store_that_cannot_be_written_fails_the_media_check(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"  # even root cannot make a folder inside a file
    status, answer = ready(client)
    assert status == 503 and "media" in answer["failing"]
    assert answer["checks"]["media"]["ok"] is False


@pytest.mark.django_db
def test_without_beat_run_due_jobs_does_its_work_and_keeps_the_beat_check_green(celery_eager):
    from django.core.management import call_command

    from operations.health import NotReady, check_beat

    with pytest.raises(NotReady, match="no beat heartbeat"):
        check_beat()
    call_command("run_due_jobs")  # the written procedure's part of it: tests/scenarios/test_s06
    assert check_beat()["age_seconds"] < 5
