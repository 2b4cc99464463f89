"""Celery tasks of the process: thin, idempotent, called with ids."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_conditions, fire_due_timers

from grants import services
from grants.models import Decision


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def decision_letter_issue(decision_id):
    """Render, file and e-mail the decision letter, then move the process on."""
    from . import api

    decision = Decision.objects.select_related("application").get(pk=decision_id)
    services.decision_letter_issue(decision=decision)
    api.decision_letter_issued(application=decision.application)


@shared_task
def fire_workflow_timers():
    """Fire viewflow's due timers and conditions (run by beat every minute)."""
    return {"timers": fire_due_timers(), "conditions": fire_due_conditions()}


@shared_task
def circular_sweep():
    """End the written procedures whose deadline passed and remind the members of those ending soon."""
    from grants import selectors, services

    from . import api

    for procedure in selectors.circulars_due():
        api.circular_close(procedure=procedure)
    for procedure in selectors.circulars_to_remind():
        services.circular_remind(procedure=procedure)


@shared_task
def requeue_waiting_letters():
    """Queue the letter task again for every process that has waited for its decision letter longer
    than LETTER_RESEND_AFTER: its message was never published, lost with the broker, or failed its
    retries. The task is idempotent, so a letter still on its way is not issued twice."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from notifications.queueing import publish

    from . import selectors

    older_than = timezone.now() - dt.timedelta(seconds=settings.LETTER_RESEND_AFTER)
    decisions = selectors.decisions_waiting_for_letter(older_than)
    for decision_id in decisions:
        publish(decision_letter_issue, decision_id)
    return decisions
