"""Logs: JSON lines on request, a request id that follows the request into the worker, and
neither IBANs nor e-mail addresses in anything written."""

import io
import json
import logging
import uuid

import pytest

from operations import logs
from tests import journey
from tests.conftest import wait_until

IBAN, EMAIL = "DE89 3704 0044 0532 0130 00", "kassenwart@sv-example.org"


def log_line(formatter: logging.Formatter, message: str, *args, exc_info=None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(logs.RequestIdFilter())
    logger = logging.getLogger(f"test.{uuid.uuid4().hex}")
    logger.addHandler(handler)
    logger.propagate = False
    logger.error(message, *args, exc_info=exc_info)
    return stream.getvalue()


def test_a_json_line_carries_the_request_id_and_no_iban_or_e_mail_address():
    formatter = logs.RedactingJsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    token = logs.REQUEST_ID.set("req-12345678")
    try:
        raise ValueError(f"refused {EMAIL}")
    except ValueError as error:
        line = log_line(formatter, "payout to %s for %s", IBAN, EMAIL, exc_info=error)
    finally:
        logs.REQUEST_ID.reset(token)
    record = json.loads(line)
    assert record["request_id"] == "req-12345678"
    assert record["message"] == "payout to [IBAN] for [E-MAIL]"
    assert "[E-MAIL]" in record["exc_info"]
    assert IBAN not in line and EMAIL not in line and "DE89370400440532013000" not in line


def test_a_text_line_is_redacted_too():
    formatter = logs.RedactingFormatter("%(request_id)s %(message)s")
    assert log_line(formatter, "IBAN DE89370400440532013000 of %s", EMAIL) == "- IBAN [IBAN] of [E-MAIL]\n"


def test_a_forged_request_id_is_replaced():
    assert logs.accepted_request_id("abc-12345678") == "abc-12345678"
    assert logs.accepted_request_id('x" injected\n{"level": "INFO"}') != 'x" injected\n{"level": "INFO"}'
    assert len(logs.accepted_request_id(None)) == 32


@pytest.mark.django_db
def test_every_response_names_its_request_id(client):
    assert len(client.get("/health/")["X-Request-ID"]) == 32
    assert client.get("/health/", headers={"X-Request-ID": "lb-4711-abcdef"})["X-Request-ID"] == "lb-4711-abcdef"


@pytest.mark.worker
def test_the_request_id_follows_a_request_into_the_task_it_queues(fund, club, celery_worker_process):
    organisation, user = club
    request_id = f"req-{uuid.uuid4().hex}"
    applicant = journey.login(user)
    applicant.defaults["HTTP_X_REQUEST_ID"] = request_id
    journey.apply(applicant, fund)  # the receipt e-mail is queued for the worker

    def worker_lines():
        return [line for line in celery_worker_process.log_path.read_text().splitlines() if request_id in line]

    wait_until(
        lambda: any("deliver_notification" in line and "succeeded" in line for line in worker_lines()),
        message="the worker to log the delivery under the request's id",
    )
    assert organisation.email not in celery_worker_process.log_path.read_text()
