"""Prometheus metrics. Request latency is measured in each web process (gathered across
gunicorn's workers when PROMETHEUS_MULTIPROC_DIR is set); everything else is read at
scrape time from the database and the broker, which every process shares."""

import logging
import os

from django.utils import timezone
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from . import selectors
from .broker import default_queue_length

logger = logging.getLogger(__name__)
PREFIX = "verfuegungsfonds"

REQUEST_LATENCY = Histogram(
    f"{PREFIX}_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by view.",
    ["view", "method"],
    registry=None,  # collected by the registry built for each scrape
)


def observe_request(*, view: str, method: str, seconds: float) -> None:
    REQUEST_LATENCY.labels(view=view, method=method).observe(seconds)


def _by_label(name: str, documentation: str, label: str, values: dict) -> GaugeMetricFamily:
    family = GaugeMetricFamily(f"{PREFIX}_{name}", documentation, labels=[label])
    for label_value, value in values.items():
        family.add_metric([label_value], value)
    return family


def _single(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{PREFIX}_{name}", documentation, value=value)


class ApplicationCollector(Collector):
    """The outbox, letters, office queues, task outcomes and the broker queue, read per scrape."""

    def collect(self):
        emails = selectors.emails_by_status()
        yield _by_label("emails", "Outbox e-mails by status.", "status", {r["status"]: r["total"] for r in emails})
        yield _by_label(
            "letter_emails", "Outbox e-mails that carry a letter, by status.", "status",
            {r["status"]: r["letters"] for r in emails},
        )  # fmt: skip
        letters = {r["kind"]: r["total"] for r in selectors.letters_by_kind()}
        yield _by_label("letters_issued", "Letters rendered and filed, by kind.", "kind", letters)
        oldest = selectors.oldest_waiting_notification()
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield _single("oldest_waiting_notification_seconds", "Age of the oldest e-mail not yet sent (0: none).", age)
        steps = selectors.office_tasks_by_step()
        yield _by_label(
            "office_tasks_open", "Open office tasks by step.", "step", {r["flow_task"].name: r["open"] for r in steps}
        )
        yield _by_label(
            "office_tasks_overdue", "Office tasks open longer than OFFICE_TASK_OVERDUE_DAYS, by step.", "step",
            {r["flow_task"].name: r["overdue"] for r in steps},
        )  # fmt: skip
        outcomes = CounterMetricFamily(
            f"{PREFIX}_celery_tasks", "Celery task runs by task and outcome.", labels=["task", "outcome"]
        )
        for outcome in selectors.task_outcomes():
            outcomes.add_metric([outcome.task, outcome.outcome], outcome.count)
        yield outcomes
        yield from self._broker()

    def _broker(self):
        try:
            length = default_queue_length()
        except Exception as error:
            logger.warning("metrics: the broker cannot be reached: %r", error)
            yield _single("broker_up", "1 when the Celery broker answered this scrape.", 0)
            return
        yield _single("broker_up", "1 when the Celery broker answered this scrape.", 1)
        yield _single("celery_queue_length", "Tasks waiting in the default Celery queue.", length)


def render() -> bytes:
    """The metrics in Prometheus' text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(ApplicationCollector())
    return generate_latest(registry)
