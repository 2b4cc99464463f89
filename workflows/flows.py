"""One process per application. Human steps are office tasks in the queue of the
fund's office; waiting steps are Handles completed by the portal (applicant,
steering group) or by the Celery task that issues the decision letter."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from grants import selectors, services
from grants.models import Application
from grants.roles import OFFICE_TASK
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
        flow.Handle(this.application_resubmit)
        .Annotation(title=_("Waiting for the revision"))
        .Next(this.check_completeness)
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
    is_approved = flow.If(status_is(Status.APPROVED)).Then(this.await_final).Else(this.rejected)

    await_final = (
        flow.Timer(this.final_moment).Annotation(title=_("Waiting until the decision is final")).Next(this.payout)
    )
    payout = (
        flow.View(views.PayoutView.as_view())
        .Annotation(title=_("Pay out"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.await_report)
    )
    await_report = (
        flow.Handle(this.report_submit).Annotation(title=_("Waiting for the report")).Next(this.review_report)
    )
    review_report = (
        flow.View(views.ReviewReportView.as_view())
        .Annotation(title=_("Check the report"))
        .Permission(OFFICE_TASK, obj=fund_of)
        .Next(this.is_closed)
    )
    is_closed = flow.If(status_is(Status.CLOSED)).Then(this.closed).Else(this.await_report)

    closed = flow.End().Annotation(title=_("Closed"))
    rejected = flow.End().Annotation(title=_("Rejected"))

    # Handle callbacks: each calls the grants service of the same name under the process lock.

    def application_submit(self, activation, application, actor):
        services.application_submit(application=application, actor=actor)
        activation.process.application = application
        return activation.process

    def application_resubmit(self, activation, actor):
        return services.application_resubmit(application=application_of(activation.process), actor=actor)

    def steering_decides(self, activation, decide):
        """A closed vote or written procedure completes the wait (decide calls services.vote_close
        or services.circular_close); route_decision waits again while the item is still open."""
        return decide()

    def report_submit(self, activation, actor, **report):
        return services.report_submit(application=application_of(activation.process), actor=actor, **report)

    def decision_letter_queue(self, activation):
        """Queue the letter once the decision commits; a broker outage never fails the decision
        (the lost-letter sweep, workflows.tasks.requeue_waiting_letters, queues it again)."""
        from .tasks import decision_letter_issue

        decision = selectors.latest_decision(application_of(activation.process))
        publish_on_commit(decision_letter_issue, decision.pk)

    def final_moment(self, activation):
        """Midnight of the first day the grant is payable (a waiver makes that today)."""
        payable = selectors.payable_from(application_of(activation.process))
        return timezone.make_aware(dt.datetime.combine(payable, dt.time.min))
