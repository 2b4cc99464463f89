"""The application as a task list: begin an empty draft, then fill in and save each section on
its own, in any order. Each save carries the draft's version, so two tabs cannot overwrite each
other silently; what was typed when the session ended is offered again after signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import (
    ApplicationStartForm,
    CostSectionForm,
    CostSectionFormSet,
    DeclarationsSectionForm,
    FinancingSectionForm,
    ProjectSectionForm,
)
from ..rules.sections import SECTIONS
from ..status import Status
from .common import kept_input, login_required_keeping_input

FORMS = {"projekt": ProjectSectionForm, "finanzierung": FinancingSectionForm, "erklaerungen": DeclarationsSectionForm}


@login_required
def application_begin(request):
    """Choose fund and organisation (when there is a choice), then start an empty draft."""
    params = request.POST if request.method == "POST" else request.GET
    choice = ApplicationStartForm(params, funds=selectors.open_funds(), user=request.user)
    if request.method == "POST" and choice.is_valid():
        try:
            application = services.application_begin(fund=choice.cleaned_data["fonds"],
                                                     organisation=choice.cleaned_data["organisation"],
                                                     actor=request.user)  # fmt: skip
        except ValidationError as error:
            choice.add_error(None, error)
        else:
            return redirect("grants:application", pk=application.pk)
    return render(request, "grants/application_begin.html", {"form": choice})


def _data(request):
    """The POST, or on GET what was typed before the session ended (then bound, but not saved)."""
    if request.method == "POST":
        return request.POST, False
    kept = kept_input(request)
    return kept, kept is not None


@login_required_keeping_input
def application_section(request, pk, section):
    application = selectors.application_for_applicant(request.user, pk)
    if section not in SECTIONS:
        raise Http404
    if section == "anlagen":
        return redirect("grants:application_attachments", pk=pk)
    if application.status not in (Status.DRAFT, Status.REVISION):
        messages.error(request, _("The application can no longer be changed."))
        return redirect("grants:application", pk=pk)
    data, restored = _data(request)
    if restored:
        messages.info(request, _("You were signed out before saving. Here is what you typed: check it and save."))
    form, formset = _forms(section, application, data)
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            _save(request, application, section, form, formset)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: %(section)s.") % {"section": SECTIONS[section]})
            return redirect("grants:application", pk=pk)
    context = {"application": application, "section": section, "title": SECTIONS[section], "form": form,
               "formset": formset, "figures": selectors.financing_figures(application),
               "notices": selectors.application_notices(application),
               **selectors.revision_marks(application, section)}  # fmt: skip
    return render(request, f"grants/section_{section}.html", context)


def _forms(section, application, data):
    if section == "kosten":
        return CostSectionForm(data, initial={"version": application.version}), CostSectionFormSet(
            data, instance=application, prefix="costs"
        )
    if section == "finanzierung":
        return FinancingSectionForm(data, instance=application, total_cost=application.total_cost), None
    return FORMS[section](data, instance=application), None


def _save(request, application, section, form, formset):
    data = dict(form.cleaned_data)
    version = data.pop("version")
    cost_lines = None
    if formset is not None:
        cost_lines = [line.cleaned_data for line in formset.forms
                      if line.cleaned_data and not line.cleaned_data.get("DELETE")]  # fmt: skip
    if "aims" in data:
        data["aims"] = list(data["aims"])
    services.application_section_save(application=application, actor=request.user, section=section,
                                      version=version, data=data, cost_lines=cost_lines)  # fmt: skip
