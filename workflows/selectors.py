from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from viewflow.workflow.status import STATUS

from grants.roles import OFFICE
from notifications.models import Notification

from .flows import ApplicationFlow
from .models import ApplicationProcess


def office_tasks(user) -> QuerySet:
    """Open human tasks of the applications of the funds whose office the user works in."""
    processes = ApplicationProcess.objects.filter(
        application__fund__in=user.fund_roles.filter(role=OFFICE).values("fund")
    )
    return (
        ApplicationFlow.task_class.objects.filter(
            process__in=processes, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
        .select_related("owner", "process__applicationprocess__application__organisation")
        .order_by("created")
    )


def decisions_waiting_for_letter(older_than) -> list[int]:
    """The decisions whose process has waited at "issuing the decision letter" since before `older_than`."""
    from grants.models import Decision

    from .flows import ApplicationFlow

    waiting = ApplicationFlow.task_class.objects.filter(
        flow_task=ApplicationFlow.await_letter, status__in=[STATUS.NEW, STATUS.SCHEDULED], created__lt=older_than
    ).values("process__applicationprocess__application")
    latest = {}
    for decision_id, application_id in (
        Decision.objects.filter(application__in=waiting).order_by("pk").values_list("pk", "application_id")
    ):
        latest[application_id] = decision_id
    return sorted(latest.values())


def failed_notifications(user) -> QuerySet[Notification]:
    """E-mails about applications of the user's funds that could not be delivered."""
    return (
        Notification.objects.filter(
            status=Notification.FAILED, application__fund__in=user.fund_roles.filter(role=OFFICE).values("fund")
        )
        .select_related("application")
        .order_by("-created")
    )


def failed_notification(user, pk) -> Notification:
    return get_object_or_404(failed_notifications(user), pk=pk)
