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


def waiting_task(application, node, statuses=(STATUS.NEW, STATUS.SCHEDULED)):
    """The open task of `node` in the application's process, or a German error."""
    task = (
        ApplicationFlow.task_class.objects.filter(
            process__applicationprocess__application=application,
            flow_task=node,
            status__in=statuses,
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


UNSEEN = object()


def task_assign(*, task, assignee, actor, seen_owner=UNSEEN) -> bool:
    """Give an office task to a colleague of the fund's office, or take it over from one; False if
    the task was done or given to someone else since the page was loaded (`seen_owner`: the
    owner's id the page showed, None for nobody; by default the owner when the request began)."""
    from grants.roles import OFFICE, has_fund_role
    from grants.services.core import audit

    application = task.process.applicationprocess.application
    if not has_fund_role(assignee, application.fund, OFFICE):
        raise ValidationError(_("Tasks can only be given to the office of the application's fund."))
    node = task.flow_task
    seen_owner = task.owner_id if seen_owner is UNSEEN else seen_owner
    try:
        with transaction.atomic(), node.flow_class.lock(task.process_id):
            task.refresh_from_db()
            if task.owner_id != seen_owner or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                return False
            activation = node.activation_class(task)
            before = task.owner_id
            if task.status == STATUS.NEW:
                activation.assign(assignee)
            else:
                activation.reassign(assignee)
            audit(actor=actor, action="task_assign", obj=task, application=application,
                  before={"owner": before}, after={"owner": assignee.pk, "step": node.name})  # fmt: skip
    except LOST_RACE:
        return False
    return True


def task_release(*, task, actor) -> bool:
    """Give a task one holds back to the queue; False if it is not (or no longer) one's own."""
    from grants.services.core import audit

    node = task.flow_task
    try:
        with transaction.atomic(), node.flow_class.lock(task.process_id):
            task.refresh_from_db()
            if task.status != STATUS.ASSIGNED or task.owner_id != actor.pk:
                return False
            node.activation_class(task).unassign()
            audit(actor=actor, action="task_release", obj=task, application=task.process.applicationprocess.application,
                  before={"owner": actor.pk}, after={"owner": None, "step": node.name})  # fmt: skip
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
    """Send the revised application back to the office, also while the office decides what to do
    about the missed deadline: the answer settles that task, and the completeness check follows."""
    step = lambda: services.application_resubmit(application=application, actor=actor)  # noqa: E731
    try:
        task = waiting_task(application, ApplicationFlow.await_revision)
    except ValidationError:
        node = ApplicationFlow.revision_overdue_decide
        task = waiting_task(application, node, statuses=(STATUS.NEW, STATUS.ASSIGNED))
    else:
        return ApplicationFlow.await_revision.run(task, step=step)
    with node.flow_class.lock(task.process_id):
        task.refresh_from_db()
        step()
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(actor)  # the task's record shows who settled it: the applicant's answer
        activation.start(None)
        activation.execute()
    return application


@one_winner
def revision_overdue(*, application) -> bool:
    """Hand an unanswered revision whose deadline passed to the office's queue; a repeated call does nothing."""
    try:
        task = waiting_task(application, ApplicationFlow.await_revision)
    except ValidationError:
        return False
    ApplicationFlow.await_revision.run(task, step=lambda: services.revision_overdue(application=application))
    return True


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
    node = ApplicationFlow.await_decision
    if agenda_item.objection_id:
        node = ApplicationFlow.await_objection_vote
    elif agenda_item.change_request_id:
        node = ApplicationFlow.await_change_vote
    task = waiting_task(agenda_item.application, node)
    decide = lambda: services.vote_close(agenda_item=agenda_item, actor=actor, reasons=reasons)  # noqa: E731
    return node.run(task, decide=decide)


@one_winner
def circular_close(*, procedure):
    """End a written procedure and let the process follow its result; a repeated call does nothing."""
    if not services.circular.circular_complete(procedure):
        return None
    task = waiting_task(procedure.agenda_item.application, ApplicationFlow.await_decision)
    return ApplicationFlow.await_decision.run(task, decide=lambda: services.circular_close(procedure=procedure))


def circular_ballot_cast(*, ballot, member, choice):
    """Answer a written procedure's ballot; the last answer ends the procedure at once, in a
    transaction of its own: closing locks the fiscal year, which must come before the audit chain
    that the ballot's own audit event holds (services.core.audit). Should the close fail, the
    ballot stands and the circular sweep closes the procedure."""
    ballot = one_winner(services.circular_ballot_cast)(ballot=ballot, member=member, choice=choice)
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


def waiting_for(application, nodes, *, refusal: str):
    """The open task of the first of `nodes` the process waits in, or `refusal` as a German error."""
    for node in nodes:
        try:
            return node, waiting_task(application, node)
        except ValidationError:
            continue
    raise ValidationError(refusal)


@one_winner
def report_submit(*, application, actor, simple=False, **report):
    """File the use-of-funds report, full or the fund's simple variant (also while the process
    waits for a request for money)."""
    node, task = waiting_for(
        application, [ApplicationFlow.await_report, ApplicationFlow.await_instalment],
        refusal=_("The report cannot be filed at this stage of the file."),
    )  # fmt: skip
    service = services.report_submit_simple if simple else services.report_submit
    step = lambda: service(application=application, actor=actor, **report)  # noqa: E731
    return node.run(task, step=step)


@one_winner
def repayment_claim(*, application, actor, amount, reason, explanation):
    """Claim money back outside the report check (e.g. no report was filed); the hearing is next."""
    node, task = waiting_for(
        application, [ApplicationFlow.await_report, ApplicationFlow.await_instalment],
        refusal=_("Money can be claimed back here only while the file waits for the report."),
    )  # fmt: skip
    step = lambda: services.repayment_claim(  # noqa: E731
        application=application, actor=actor, amount=amount, reason=reason, explanation=explanation
    )
    return node.run(task, step=step)


@one_winner
def instalment_request(*, application, actor, amount, interim_report=""):
    """Ask for an instalment of the grant; the payout order lands in the office's queue."""
    node, task = waiting_for(
        application, [ApplicationFlow.await_instalment],
        refusal=_("Money cannot be requested now: the decision is not final yet, or a request is being processed."),
    )  # fmt: skip
    step = lambda: services.instalment_request(  # noqa: E731
        application=application, actor=actor, amount=amount, interim_report=interim_report
    )
    return node.run(task, step=step)


@one_winner
def change_request(*, application, actor, **change):
    """Ask to change the running grant; the decision lands in the office's queue."""
    node, task = waiting_for(
        application,
        [ApplicationFlow.await_change],
        refusal=_("A change cannot be requested at this stage of the file."),
    )
    return node.run(task, step=lambda: services.change_request(application=application, actor=actor, **change))


@one_winner
def objection_record(*, application, actor, received_on, grounds):
    """Record an objection; putting it on a meeting's agenda lands in the office's queue."""
    node, task = waiting_for(
        application, [ApplicationFlow.await_change, ApplicationFlow.await_objection],
        refusal=_("An objection cannot be recorded at this stage of the file, or one is already open."),
    )  # fmt: skip
    step = lambda: services.objection_record(  # noqa: E731
        application=application, actor=actor, received_on=received_on, grounds=grounds
    )
    return node.run(task, step=step)
