"""A member's standing declarations and the agenda items they flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import TieForm
from .common import posted, show_errors


@login_required
def declarations(request):
    ties = selectors.ties_of(request.user)
    form = TieForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.tie_declare(member=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your declaration is recorded. Matching agenda items are flagged for you."))
            return redirect("grants:declarations")
    flags = selectors.open_flags_of(request.user)
    return render(request, "grants/declarations.html", {"ties": ties, "form": form, "flags": flags})


@login_required
@require_POST
def tie_withdraw(request, pk):
    tie = get_object_or_404(selectors.ties_of(request.user), pk=pk)
    services.tie_withdraw(tie=tie, member=request.user)
    messages.success(request, _("The declaration is withdrawn."))
    return redirect("grants:declarations")


@login_required
@require_POST
def flag_decide(request, pk):
    """Confirm a flag (a conflict of interest on the item) or dismiss it."""
    flag = get_object_or_404(selectors.open_flags_of(request.user), pk=pk)
    try:
        if request.POST.get("decision") == "confirm":
            services.conflict_declare(agenda_item=flag.agenda_item, member=request.user, reason=flag.tie.note)
            messages.success(request, _("Your conflict of interest is recorded; you take no part in this item."))
        else:
            services.flag_dismiss(flag=flag, member=request.user)
            messages.success(request, _("The flag is dismissed."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(request.POST.get("next") or "grants:declarations")
