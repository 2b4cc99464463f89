"""Celery signals: the request id travels with every task a request (or a task) queues,
and each task's outcome is counted for the metrics."""

from celery import signals

from . import logs
from .models import TaskOutcome
from .services import task_outcome_count

HEADER = "request_id"


@signals.before_task_publish.connect
def _attach_request_id(headers=None, **kwargs):
    request_id = logs.REQUEST_ID.get()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


@signals.task_prerun.connect
def _adopt_request_id(task=None, **kwargs):
    # A task queued without an id (by beat) gets its own, shared with the tasks it queues;
    # an eager task keeps the id of the request it runs in.
    request_id = getattr(task.request, HEADER, None) or logs.REQUEST_ID.get() or logs.new_request_id()
    task.request.request_id_token = logs.REQUEST_ID.set(request_id)


@signals.task_postrun.connect
def _release_request_id(task=None, **kwargs):
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        logs.REQUEST_ID.reset(token)


@signals.task_success.connect
def _count_success(sender=None, **kwargs):
    task_outcome_count(task=sender.name, outcome=TaskOutcome.SUCCEEDED)


@signals.task_failure.connect
def _count_failure(sender=None, **kwargs):
    task_outcome_count(task=sender.name, outcome=TaskOutcome.FAILED)


@signals.task_retry.connect
def _count_retry(sender=None, **kwargs):
    task_outcome_count(task=sender.name, outcome=TaskOutcome.RETRIED)
