"""Reads for the health checks and the metrics: heartbeats, outbox, letters, office queues."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from grants.models import Document
from notifications.models import Notification

from .models import Heartbeat, TaskOutcome

WAITING = [Notification.PENDING, Notification.SENDING]


def last_heartbeat(kind: str) -> dt.datetime | None:
    """When any process of `kind` last reported; None if none ever did."""
    return Heartbeat.objects.filter(kind=kind).aggregate(last=Max("seen_at"))["last"]


def emails_by_status() -> list[dict]:
    """Outbox rows counted by status, split into letters (with a PDF) and other e-mails."""
    return list(
        Notification.objects.values("status")
        .annotate(letters=Count("pk", filter=Q(document__isnull=False)), total=Count("pk"))
        .order_by("status")
    )


def letters_by_kind() -> list[dict]:
    return list(Document.objects.values("kind").annotate(total=Count("pk")).order_by("kind"))


def oldest_waiting_notification() -> dt.datetime | None:
    return Notification.objects.filter(status__in=WAITING).aggregate(oldest=Min("created"))["oldest"]


def office_tasks_by_step() -> list[dict]:
    """Open office tasks per flow step, and how many of them wait longer than OFFICE_TASK_OVERDUE_DAYS."""
    from workflows.flows import ApplicationFlow

    overdue_before = timezone.now() - dt.timedelta(days=settings.OFFICE_TASK_OVERDUE_DAYS)
    open_tasks = ApplicationFlow.task_class.objects.filter(
        flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
    )
    return list(
        open_tasks.values("flow_task")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(created__lt=overdue_before)))
        .order_by("flow_task")
    )


def task_outcomes() -> list[TaskOutcome]:
    return list(TaskOutcome.objects.order_by("task", "outcome"))
