"""The portal, one module per audience: applicants, the office, the steering group.
Views parse, call one service (or workflows.api step) and redirect or render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..roles import roles_of


@login_required
def home(request):
    roles = roles_of(request.user)
    if roles.office:
        return redirect("workflows:queue")
    if roles.steering:
        return redirect("grants:meetings")
    if roles.applicant:
        return redirect("grants:applications")
    if roles.admin:
        return redirect("admin:index")
    return render(request, "grants/no_role.html")
