"""The office's queue: claim a task, then work it in the node's task view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.flow.utils import wrap_view

from grants import selectors as grants_selectors

from . import api, selectors

QUEUE_PAGE_SIZE = 50


@login_required
def queue(request):
    tasks = Paginator(selectors.office_tasks(request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/queue.html",
        {
            "tasks": tasks,
            "bank_changes": grants_selectors.bank_changes_for_office(request.user).count(),
            "failed_notifications": selectors.failed_notifications(request.user).count(),
            "open_claims": grants_selectors.open_claims_for_office(request.user).count(),
        },
    )


@login_required
@require_POST
def claim(request, task_pk):
    task = get_object_or_404(selectors.office_tasks(request.user), pk=task_pk)
    if not api.task_claim(task=task, user=request.user):
        messages.error(request, _("This task has already been taken."))
        return redirect("workflows:queue")
    return redirect("workflows:task", process_pk=task.process_id, task_pk=task.pk)


@login_required
def task(request, process_pk, task_pk):
    """Open a claimed task: viewflow checks that the user owns it and runs the node's view."""
    found = get_object_or_404(selectors.office_tasks(request.user), pk=task_pk, process_id=process_pk)
    node = found.flow_task
    return wrap_view(node, node.view)(request, process_pk=process_pk, task_pk=task_pk)
