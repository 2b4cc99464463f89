"""One process per application. Human steps are office tasks in the queue of the
fund's office; waiting steps are Handles completed by the portal (applicant,
steering group) or by the Celery task that issues the decision letter."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from grants import selectors, services
from grants.models import Application, ChangeRequest, Objection
from grants.roles import OFFICE_TASK
from grants.rules.dates import add_months
from grants.status import Status
from notifications.queueing import publish_on_commit

from . import task_views as views
from .models import ApplicationProcess


def application_of(process) -> Application:
    return Application.objects.select_related("fund").get(process__pk=process.pk)


def fund_of(process):
    return application_of(process).fund


def status_is(*statuses):
    return lambda activation: application_of(activation.process).status in statuses


def has_open_instalment(activation) -> bool:
    return services.instalments.open_instalment(application_of(activation.process)) is not None


def fully_paid(activation) -> bool:
    application = application_of(activation.process)
    return selectors.paid_total(application) >= selectors.latest_decision(application).amount


def has_open_objection(activation) -> bool:
    return application_of(activation.process).objections.filter(status=Objection.Status.OPEN).exists()


def granted_on_objection(activation) -> bool:
    """A remedied objection to a rejection whose grant letter has not gone out yet."""
    application = application_of(activation.process)
    return application.objections.filter(remedy_decision__isnull=False, remedy_decision__notified_on=None).exists()


def has_change(status):
    return lambda activation: application_of(activation.process).change_requests.filter(status=status).exists()


class ApplicationFlow(flow.Flow):
    process_class = ApplicationProcess
    # Wait for the process row instead of viewflow's default NOWAIT: its retry loop catches the
    # lock error inside a savepoint, which leaves an outer PostgreSQL transaction aborted. The
    # second of two concurrent steps then finds the task done and is refused (api.one_winner).
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Application")

    start = flow.StartHandle(this.application_submit).Next(this.check_completeness)

    check_completeness = (
        flow.View(views.CheckCompletenessView.as_view())
        .Annotation(title=_("Check completeness"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.is_complete)
    )
    is_complete = flow.If(status_is(Status.ASSESSMENT)).Then(this.assess).Else(this.await_revision)
    await_revision = (
        flow.Handle(this.revision_answer).Annotation(title=_("Waiting for the revision")).Next(this.route_revision)
    )
    route_revision = (
        flow.If(status_is(Status.SUBMITTED)).Then(this.check_completeness).Else(this.revision_overdue_decide)
    )
    # The deadline passed without an answer (the deadline sweep hands the file over): remind, extend
    # or recommend rejection. An answer that comes meanwhile settles this task (api.application_resubmit).
    revision_overdue_decide = (
        flow.View(views.RevisionOverdueDecideView.as_view())
        .Annotation(title=_("Decide on the unanswered revision request"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.route_revision_decided)
    )
    route_revision_decided = (
        flow.Switch()
        .Case(this.await_decision, status_is(Status.ON_AGENDA))
        .Case(this.check_completeness, status_is(Status.SUBMITTED))
        .Default(this.await_revision)
    )

    assess = (
        flow.View(views.AssessView.as_view())
        .Annotation(title=_("Assess and recommend"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.await_decision)
    )
    await_decision = (
        flow.Handle(this.steering_decides)
        .Annotation(title=_("Waiting for the steering group"))
        .Next(this.route_decision)
    )
    route_decision = flow.Switch().Case(this.await_decision, status_is(Status.ON_AGENDA)).Default(this.queue_letter)

    queue_letter = (
        flow.Function(this.decision_letter_queue)
        .Annotation(title=_("Order the decision letter"))
        .Next(this.await_letter)
    )
    await_letter = flow.Handle().Annotation(title=_("Issuing the decision letter")).Next(this.is_approved)
    is_approved = flow.If(status_is(Status.APPROVED)).Then(this.aftercare).Else(this.await_objection)
    # A rejection stays open for an objection until a month after its appeal period: a late one
    # is still recorded (and rejected as inadmissible); then the process ends.
    await_objection = (
        flow.Handle(this.change_or_objection)
        .Annotation(title=_("Open for an objection to the rejection"))
        .OnTimeout(this.objection_window_end, this.rejected, title=_("The time for an objection has passed"))
        .Next(this.objection_schedule)
    )
    # Two branches run side by side once a grant is decided: the money (instalments, report,
    # repayment) and the changes to the decision (change requests and objections), which can
    # come at any time until the file closes; closing ends both.
    aftercare = (
        flow.Split()
        .Annotation(title=_("Money and changes side by side"))
        .Next(this.await_final)
        .Next(this.await_change)
    )

    await_final = (
        flow.Timer(this.final_moment)
        .Annotation(title=_("Waiting until the decision is final"))
        .Next(this.await_instalment)
    )
    await_instalment = (
        flow.Handle(this.instalment_or_report)
        .Annotation(title=_("Waiting for a request for money or the report"))
        .Next(this.route_request)
    )
    route_request = (
        flow.Switch()
        .Case(this.repayment_hearing, status_is(Status.REPAYMENT))
        .Case(this.payout_order, has_open_instalment)
        .Case(this.review_report, status_is(Status.REPORTED))
        .Default(this.await_instalment)
    )
    payout_order = (
        flow.View(views.PayoutOrderView.as_view())
        .Annotation(title=_("Issue the payout order"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.payout)
    )
    payout = (
        flow.View(views.PayoutView.as_view())
        .Annotation(title=_("Record the payment"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.route_paid)
    )
    route_paid = flow.If(fully_paid).Then(this.await_report).Else(this.await_instalment)
    await_report = (
        flow.Handle(this.report_or_claim).Annotation(title=_("Waiting for the report")).Next(this.route_report)
    )
    route_report = flow.Switch().Case(this.repayment_hearing, status_is(Status.REPAYMENT)).Default(this.review_report)
    review_report = (
        flow.View(views.ReviewReportView.as_view())
        .Annotation(title=_("Check the report"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.is_closed)
    )
    is_closed = (
        flow.Switch()
        .Case(this.closed, status_is(Status.CLOSED))
        .Case(this.repayment_hearing, status_is(Status.REPAYMENT))
        .Case(this.await_report, fully_paid)
        .Default(this.await_instalment)
    )

    repayment_hearing = (
        flow.View(views.RepaymentHearingView.as_view())
        .Annotation(title=_("Hear the recipient before the repayment claim"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.repayment_decide)
    )
    repayment_decide = (
        flow.View(views.RepaymentDecideView.as_view())
        .Annotation(title=_("Decide the revocation and repayment"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.repayment_receive)
    )
    repayment_receive = (
        flow.View(views.RepaymentReceiveView.as_view())
        .Annotation(title=_("Record the repayment received"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.closed)
    )

    await_change = (
        flow.Handle(this.change_or_objection)
        .Annotation(title=_("Open for change requests and objections"))
        .Next(this.route_change)
    )
    route_change = (
        flow.Switch()
        .Case(this.objection_schedule, has_open_objection)
        .Case(this.change_decide, has_change(ChangeRequest.Status.OPEN))
        .Default(this.await_change)
    )
    objection_schedule = (
        flow.View(views.ObjectionScheduleView.as_view())
        .Annotation(title=_("Put the objection on a meeting's agenda"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.await_objection_vote)
    )
    await_objection_vote = (
        flow.Handle(this.steering_decides)
        .Annotation(title=_("Waiting for the steering group's decision on the objection"))
        .Next(this.route_objection)
    )
    # A deferred objection waits for the next meeting. A rejection remedied is a grant: its letter
    # goes out and the file takes the path of any approval; a rejection upheld ends the process;
    # an approval stays open for changes.
    route_objection = (
        flow.Switch()
        .Case(this.await_objection_vote, has_open_objection)
        .Case(this.queue_letter, granted_on_objection)
        .Case(this.rejected, status_is(Status.REJECTED))
        .Default(this.await_change)
    )
    change_decide = (
        flow.View(views.ChangeDecideView.as_view())
        .Annotation(title=_("Decide the change request"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.route_referred)
    )
    route_referred = (
        flow.If(has_change(ChangeRequest.Status.REFERRED)).Then(this.change_schedule).Else(this.await_change)
    )
    change_schedule = (
        flow.View(views.ChangeScheduleView.as_view())
        .Annotation(title=_("Put the change request on a meeting's agenda"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.await_change_vote)
    )
    await_change_vote = (
        flow.Handle(this.steering_decides)
        .Annotation(title=_("Waiting for the steering group's decision on the change request"))
        .Next(this.route_change_vote)
    )
    route_change_vote = (
        flow.If(has_change(ChangeRequest.Status.REFERRED)).Then(this.await_change_vote).Else(this.await_change)
    )

    closed = flow.TerminateEnd().Annotation(title=_("Closed"))
    rejected = flow.End().Annotation(title=_("Rejected"))

    # Handle callbacks: each calls the grants service of the same name under the process lock.

    def application_submit(self, activation, application, actor):
        services.application_submit(application=application, actor=actor)
        activation.process.application = application
        activation.process.fund_id = application.fund_id
        return activation.process

    def revision_answer(self, activation, step):
        """The revised application (services.application_resubmit) or, once the deadline passed
        without it, the hand-over to the office (services.revision_overdue)."""
        return step()

    def steering_decides(self, activation, decide):
        """A closed vote or written procedure completes the wait (decide calls services.vote_close
        or services.circular_close); the route after it waits again while the matter is still open."""
        return decide()

    def report_or_claim(self, activation, step):
        """The report (services.report_submit) or, when none came, a repayment claim
        (services.repayment_claim)."""
        return step()

    def instalment_or_report(self, activation, step):
        """A request for money (services.instalment_request), the report (services.report_submit)
        or a repayment claim without a report (services.repayment_claim)."""
        return step()

    def change_or_objection(self, activation, step):
        """A change request (services.change_request) or an objection (services.objection_record);
        after a rejection only an objection."""
        return step()

    def decision_letter_queue(self, activation):
        """Queue the letter once the decision commits; a broker outage never fails the decision
        (the lost-letter sweep, workflows.tasks.requeue_waiting_letters, queues it again)."""
        from .tasks import decision_letter_issue

        decision = selectors.latest_decision(application_of(activation.process))
        publish_on_commit(decision_letter_issue, decision.pk)

    def objection_window_end(self, activation):
        """Midnight after the last day an objection to the rejection is still taken in."""
        decision = selectors.latest_decision(application_of(activation.process))
        last = add_months(decision.appeal_ends_on or timezone.localdate(), 1)
        return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))

    def final_moment(self, activation):
        """Midnight of the first day the grant is payable (a waiver makes that today)."""
        payable = selectors.payable_from(application_of(activation.process))
        return timezone.make_aware(dt.datetime.combine(payable, dt.time.min))
