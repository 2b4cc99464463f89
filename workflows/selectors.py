import functools
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from viewflow.workflow import chart
from viewflow.workflow.status import STATUS

from grants.roles import OFFICE
from notifications.models import Notification

from .flows import ApplicationFlow
from .models import ApplicationProcess


def office_tasks(user) -> QuerySet:
    """Open human tasks of the applications of the funds whose office the user works in."""
    processes = ApplicationProcess.objects.filter(fund__in=user.fund_roles.filter(role=OFFICE).values("fund"))
    return (
        ApplicationFlow.task_class.objects.filter(
            process__in=processes, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
        .select_related(
            "owner",
            "process__applicationprocess__application__organisation",
            "process__applicationprocess__application__fund",
        )
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


def office_colleagues(user) -> QuerySet:
    """The office users of the funds whose office the user works in (the user included)."""
    from accounts.models import User

    funds = user.fund_roles.filter(role=OFFICE).values("fund")
    return User.objects.filter(fund_roles__role=OFFICE, fund_roles__fund__in=funds).distinct().order_by("last_name")


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


OPEN_STATES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]
# The chart's own <style> is inline, which the Content-Security-Policy refuses: app.css styles it.
INLINE_STYLE = re.compile(r"<style.*?</style>", re.DOTALL)


@dataclass(frozen=True)
class ProcessChart:
    svg: SafeString
    current_steps: list[str]


def process_chart(application) -> ProcessChart | None:
    """The process as a chart, its steps coloured by how far the file has come, and the
    titles of the steps it waits in now (none for a draft)."""
    process_pk = ApplicationProcess.objects.filter(application=application).values_list("pk", flat=True).first()
    if process_pk is None:
        return None
    return _chart(_step_states(process_pk), get_language())


def _step_states(process_pk) -> tuple[tuple[str, str], ...]:
    """Each step's state as viewflow's chart colours it (calc_cell_status): the state of its
    latest task, except that a new task does not hide an earlier one's state."""
    states = {}
    tasks = ApplicationFlow.task_class.objects.filter(process_id=process_pk).order_by("flow_task", "created")
    for node, status in tasks.values_list("flow_task", "status"):
        if not (node.name in states and status == STATUS.NEW):
            states[node.name] = status
    return tuple(sorted(states.items()))


@functools.lru_cache(maxsize=512)
def _chart(states: tuple[tuple[str, str], ...], language: str) -> ProcessChart:
    """Laying out and rendering the chart took a third of the file page; files in the same
    steps share one drawing (per language: the steps' titles are translated)."""
    grid = chart.calc_layout_data(ApplicationFlow)
    for name, status in states:
        node = getattr(ApplicationFlow, name, None)
        if node is not None and node in grid.nodes:
            grid[node].status = status
    svg = INLINE_STYLE.sub("", chart.grid_to_svg(grid), count=1)
    current = [
        cell.node.task_title
        for cell in grid.cells
        if getattr(cell, "node", None) is not None and cell.status in OPEN_STATES and cell.node.task_title
    ]
    # viewflow renders the chart from the flow with an auto-escaping template; only its <style> is cut.
    return ProcessChart(svg=mark_safe(svg), current_steps=current)  # nosec B308 B703
