"""The portal, one module per audience: applicants, the office, the steering group.
Views parse, call one service (or workflows.api step) and redirect or render."""

from django.shortcuts import redirect, render

from ..roles import roles_of


def home(request):
    """The public start page for visitors; the signed-in go to their own start page."""
    if not request.user.is_authenticated:
        from .public import public_funds

        return public_funds(request)
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
