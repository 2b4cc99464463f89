"""The office's queue: filter, sort and search it, claim, assign or release a task, then work it
in the node's task view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from viewflow.workflow.flow.utils import wrap_view

from grants import selectors as grants_selectors

from . import api, queue, queue_table, selectors

QUEUE_PAGE_SIZE = 50


@login_required
def queue_page(request):
    funds = list(grants_selectors.office_funds(request.user))
    form = queue.QueueFilterForm(request.GET, funds=funds)
    data = form.cleaned_data if form.is_valid() else {}
    now = queue.now()
    tasks = queue.filtered(selectors.office_tasks(request.user), data, user=request.user, funds=funds, now=now)
    # Page over the task ids alone, then load the page's 50 rows with their application: joining
    # every open task to its file before the sort cost 100 ms at a million applications.
    page = Paginator(tasks.values_list("pk", flat=True), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    colleagues = list(queue.colleagues(funds))
    return render(
        request,
        "workflows/queue.html",
        {
            "tasks": page,
            "table_rows": queue_table.table_rows(
                queue.rows(queue.in_order(list(page.object_list)), now),
                user=request.user,
                colleagues=colleagues,
                hidden_fields=row_hidden_fields(request),
            ),
            "form": form,
            "query": query.urlencode(),
            "filtered": any(value for key, value in data.items() if key != "sort"),
            "colleagues": colleagues,
            "bank_changes": grants_selectors.bank_changes_for_office(request.user).count(),
            "failed_notifications": selectors.failed_notifications(request.user).count(),
            "open_claims": grants_selectors.open_claims_for_office(request.user).count(),
        },
    )


def row_hidden_fields(request):
    """What every row's forms carry (the CSRF token and the way back), rendered once per page."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="back" value="{}">',
        get_token(request),
        request.get_full_path(),
    )


def back_to_queue(request):
    """Back to the queue as it was filtered, or to the plain queue."""
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("workflows:queue")


@login_required
@require_POST
def claim(request, task_pk):
    task = get_object_or_404(selectors.office_tasks(request.user), pk=task_pk)
    if not api.task_claim(task=task, user=request.user):
        messages.error(request, _("This task has already been taken."))
        return back_to_queue(request)
    return redirect("workflows:task", process_pk=task.process_id, task_pk=task.pk)


def _assignee(request):
    colleague = request.POST.get("assignee", "")
    if not colleague.isdigit():
        return None
    return selectors.office_colleagues(request.user).filter(pk=int(colleague)).first()


def _seen_owner(request, task):
    """Who held the task when the page was loaded (the row's form says), so that assigning never
    silently takes a task from a colleague who claimed it meanwhile."""
    seen = request.POST.get("owner")
    if seen is None:
        return task.owner_id
    return int(seen) if seen.isdigit() else None


@login_required
@require_POST
def assign(request, task_pk):
    task = get_object_or_404(selectors.office_tasks(request.user), pk=task_pk)
    assignee = _assignee(request)
    if assignee is None:
        messages.error(request, _("Choose the colleague who should take the task."))
        return back_to_queue(request)
    try:
        done = api.task_assign(task=task, assignee=assignee, actor=request.user, seen_owner=_seen_owner(request, task))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back_to_queue(request)
    if done:
        messages.success(request, _("The task now lies with %(name)s.") % {"name": assignee})
    else:
        messages.error(request, _("Someone else has just taken or finished this task. Nothing was changed."))
    return back_to_queue(request)


@login_required
@require_POST
def release(request, task_pk):
    task = get_object_or_404(selectors.office_tasks(request.user), pk=task_pk)
    if api.task_release(task=task, actor=request.user):
        messages.success(request, _("The task is back in the queue for anyone to claim."))
    else:
        messages.error(request, _("Only whoever holds a task can give it back."))
    return back_to_queue(request)


@login_required
@require_POST
def bulk_assign(request):
    ids = [int(pk) for pk in request.POST.getlist("tasks") if pk.isdigit()]
    assignee = _assignee(request)
    if assignee is None or not ids:
        messages.error(request, _("Tick the tasks and choose the colleague who should take them."))
        return back_to_queue(request)
    assigned = skipped = 0
    for task in selectors.office_tasks(request.user).filter(pk__in=ids):
        try:
            done = api.task_assign(task=task, assignee=assignee, actor=request.user)
        except ValidationError:
            done = False
        assigned, skipped = (assigned + 1, skipped) if done else (assigned, skipped + 1)
    skipped += len(ids) - assigned - skipped
    messages.success(
        request,
        ngettext("%(count)s task now lies with %(name)s.", "%(count)s tasks now lie with %(name)s.", assigned)
        % {"count": assigned, "name": assignee},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s task was not assigned: someone else took or finished it meanwhile.",
                "%(count)s tasks were not assigned: someone else took or finished them meanwhile.",
                skipped,
            )
            % {"count": skipped},
        )
    return back_to_queue(request)


@login_required
def task(request, process_pk, task_pk):
    """Open a claimed task: viewflow checks that the user owns it and runs the node's view."""
    found = get_object_or_404(selectors.office_tasks(request.user), pk=task_pk, process_id=process_pk)
    node = found.flow_task
    return wrap_view(node, node.view)(request, process_pk=process_pk, task_pk=task_pk)
