"""Writes of the operations app: heartbeats and task outcome counts."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat, TaskOutcome


def task_outcome_count(*, task: str, outcome: str) -> None:
    """Add one to the count of `task` ending with `outcome`."""
    counter = TaskOutcome.objects.filter(task=task, outcome=outcome)
    if counter.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            TaskOutcome.objects.create(task=task, outcome=outcome, count=1)
    except IntegrityError:  # another worker created the row first
        counter.update(count=F("count") + 1)


def heartbeat_record(*, kind: str, name: str) -> None:
    """Record that the process `name` of `kind` is alive now."""
    now = timezone.now()
    if not Heartbeat.objects.filter(kind=kind, name=name).update(seen_at=now):
        Heartbeat.objects.update_or_create(kind=kind, name=name, defaults={"seen_at": now})
