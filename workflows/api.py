"""What the portal calls to move a process on: each finds the waiting task of the
application's process and completes it, so the flow stays the only caller of
status transitions. Every function runs in one transaction and carries the name
of the grants service it ends in."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from grants import services
from grants.status import Status

from .flows import ApplicationFlow

# What a step raises when somebody else took it at the same moment: the process lock was
# held (FlowLockFailed), the task had moved on meanwhile (TransitionNotAllowed), or SQLite
# gave up waiting for the other writer (OperationalError).
LOST_RACE = (FlowLockFailed, TransitionNotAllowed, OperationalError)


def step_taken() -> ValidationError:
    return ValidationError(
        _("Someone else has just taken this step. Reload the page to see where the application stands.")
    )


def one_winner(step):
    """Run a step in one transaction; a step that lost a race to another user is refused with a
    German message and changes nothing, instead of ending in an error page."""

    @wraps(step)
    def run(*args, **kwargs):
        try:
            with transaction.atomic():
                return step(*args, **kwargs)
        except LOST_RACE as error:
            raise step_taken() from error

    return run


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
    if task is None:  # the step was taken since the page was loaded
        raise step_taken()
    return task


def task_claim(*, task, user) -> bool:
    """Assign an open office task to the user; False if someone else was quicker."""
    node = task.flow_task
    try:
        with node.flow_class.lock(task.process_id):
            task.refresh_from_db()
            if not node.can_assign(user, task):
                return False
            node.activation_class(task).assign(user)
    except LOST_RACE:
        return False
    return True


@one_winner
def application_submit(*, application, actor):
    """Submit a draft and start its process."""
    if application.status != Status.DRAFT:
        raise ValidationError(_("The application has already been submitted."))
    return ApplicationFlow.start.run(application=application, actor=actor)


@one_winner
def application_resubmit(*, application, actor):
    """Send the revised application back to the office."""
    ApplicationFlow.await_revision.run(waiting_task(application, ApplicationFlow.await_revision), actor=actor)


@one_winner
def application_withdraw(*, application, actor):
    """Withdraw the application and cancel the open tasks of its process, if it was submitted."""
    services.application_withdraw(application=application, actor=actor)
    process = ApplicationFlow.process_class.objects.filter(application=application).first()
    if process is not None:
        ApplicationFlow.instance.cancel(process)


@one_winner
def vote_close(*, agenda_item, actor, reasons=""):
    """Close the vote on an item's motion and let the process follow what the body decided."""
    task = waiting_task(agenda_item.application, ApplicationFlow.await_decision)
    decide = lambda: services.vote_close(agenda_item=agenda_item, actor=actor, reasons=reasons)  # noqa: E731
    return ApplicationFlow.await_decision.run(task, decide=decide)


@one_winner
def circular_close(*, procedure):
    """End a written procedure and let the process follow its result; a repeated call does nothing."""
    if not services.circular.circular_complete(procedure):
        return None
    task = waiting_task(procedure.agenda_item.application, ApplicationFlow.await_decision)
    return ApplicationFlow.await_decision.run(task, decide=lambda: services.circular_close(procedure=procedure))


@one_winner
def circular_ballot_cast(*, ballot, member, choice):
    """Answer a written procedure's ballot; the last answer ends the procedure at once."""
    ballot = services.circular_ballot_cast(ballot=ballot, member=member, choice=choice)
    circular_close(procedure=ballot.procedure)
    return ballot


@one_winner
def decision_letter_issued(*, application):
    """Complete the letter step once the letter is out; a repeated call does nothing."""
    try:
        task = waiting_task(application, ApplicationFlow.await_letter)
    except ValidationError:
        return False
    ApplicationFlow.await_letter.run(task)
    return True


@one_winner
def appeal_waive(*, application, actor):
    """Record the waiver of appeal and make the payout due at once."""
    services.appeal_waive(application=application, actor=actor)
    ApplicationFlow.task_class.objects.filter(
        process__applicationprocess__application=application,
        flow_task=ApplicationFlow.await_final,
        status=STATUS.SCHEDULED,
    ).update(scheduled=timezone.now())


@one_winner
def report_submit(*, application, actor, **report):
    """File the use-of-funds report."""
    task = waiting_task(application, ApplicationFlow.await_report)
    return ApplicationFlow.await_report.run(task, actor=actor, **report)
