"""What the portal calls to move a process on: each finds the waiting task of the
application's process and completes it, so the flow stays the only caller of
status transitions. Every function runs in one transaction and carries the name
of the grants service it ends in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from grants import services
from grants.status import Status

from .flows import ApplicationFlow


def waiting_task(application, node):
    """The open task of `node` in the application's process, or a German error."""
    task = (
        ApplicationFlow.task_class.objects.filter(
            process__applicationprocess__application=application,
            flow_task=node,
            status__in=[STATUS.NEW, STATUS.SCHEDULED],
        )
        .order_by("-created")
        .first()
    )
    if task is None:
        raise ValidationError(_("This step is not possible at the moment."))
    return task


def task_claim(*, task, user) -> bool:
    """Assign an open office task to the user; False if someone else was quicker."""
    node = task.flow_task
    with node.flow_class.lock(task.process_id):
        task.refresh_from_db()
        if not node.can_assign(user, task):
            return False
        node.activation_class(task).assign(user)
    return True


@transaction.atomic
def application_submit(*, application, actor):
    """Submit a draft and start its process."""
    if application.status != Status.DRAFT:
        raise ValidationError(_("The application has already been submitted."))
    return ApplicationFlow.start.run(application=application, actor=actor)


@transaction.atomic
def application_resubmit(*, application, actor):
    """Send the revised application back to the office."""
    ApplicationFlow.await_revision.run(waiting_task(application, ApplicationFlow.await_revision), actor=actor)


@transaction.atomic
def vote_close(*, agenda_item, actor, reasons=""):
    """Close the vote on an item's motion and let the process follow what the body decided."""
    task = waiting_task(agenda_item.application, ApplicationFlow.await_decision)
    return ApplicationFlow.await_decision.run(task, agenda_item=agenda_item, actor=actor, reasons=reasons)


@transaction.atomic
def decision_letter_issued(*, application):
    """Complete the letter step once the letter is out; a repeated call does nothing."""
    try:
        task = waiting_task(application, ApplicationFlow.await_letter)
    except ValidationError:
        return False
    ApplicationFlow.await_letter.run(task)
    return True


@transaction.atomic
def appeal_waive(*, application, actor):
    """Record the waiver of appeal and make the payout due at once."""
    services.appeal_waive(application=application, actor=actor)
    ApplicationFlow.task_class.objects.filter(
        process__applicationprocess__application=application,
        flow_task=ApplicationFlow.await_final,
        status=STATUS.SCHEDULED,
    ).update(scheduled=timezone.now())


@transaction.atomic
def report_submit(*, application, actor, **report):
    """File the use-of-funds report."""
    task = waiting_task(application, ApplicationFlow.await_report)
    return ApplicationFlow.await_report.run(task, actor=actor, **report)
