"""Configuration for fund admins. Process data is read-only here: it changes
only through the services, so the audit trail stays complete."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import models, services
from .admin_audit import AuditedAdmin
from .fields import MoneyField
from .rules.money import budget_problem


class AimInline(admin.TabularInline):
    model = models.Aim
    extra = 0


class FundPageInline(admin.StackedInline):
    model = models.FundPage
    extra = 0


class FundRoleInline(admin.TabularInline):
    model = models.FundRole
    extra = 0
    autocomplete_fields = ["user"]


class FiscalYearInline(admin.TabularInline):
    model = models.FiscalYear
    fields = readonly_fields = ["year", "budget", "committed", "released", "paid"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class FundForm(forms.ModelForm):
    second_factor_roles = forms.MultipleChoiceField(
        label=models.Fund._meta.get_field("second_factor_roles").verbose_name,
        choices=models.FundRole.ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = models.Fund
        fields = "__all__"  # noqa: DJ007 (an admin form: the admin decides what it shows)


@admin.register(models.Fund)
class FundAdmin(AuditedAdmin):
    form = FundForm
    list_display = ["name", "owner_body", "office_name", "cap"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AimInline, FundPageInline, FiscalYearInline, FundRoleInline]


class FiscalYearForm(forms.ModelForm):
    class Meta:
        model = models.FiscalYear
        fields = ["fund", "year", "budget"]
        field_classes = {"budget": MoneyField}

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        problem = budget_problem(budget, committed=self.instance.committed, released=self.instance.released)
        if problem:
            raise ValidationError(problem)
        return budget


@admin.register(models.FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """Budgets change through the ledger service: checked against the commitments, locked and audited."""

    form = FiscalYearForm
    list_display = ["fund", "year", "budget", "committed", "released", "paid"]
    list_filter = ["fund"]
    readonly_fields = ["committed", "released", "paid", "last_reference_number"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (["fund", "year"] if obj else [])

    def save_model(self, request, obj, form, change):
        budget = form.cleaned_data["budget"]
        if change:
            services.fiscal_year_budget_set(fiscal_year=obj, budget=budget, actor=request.user)
        else:
            services.fiscal_year_create(fund=obj.fund, year=obj.year, budget=budget, actor=request.user)


@admin.register(models.Organisation)
class OrganisationAdmin(AuditedAdmin):
    """Bank data is read-only here: it changes through the portal, where a change during
    a running grant waits for the office's confirmation."""

    list_display = ["name", "legal_form", "contact_name", "email"]
    search_fields = ["name", "contact_name", "email"]
    filter_horizontal = ["members"]
    readonly_fields = ["account_holder", "iban"]


@admin.register(models.Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["date", "cutoff", "fund"]
    list_filter = ["fund"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "organisation", "status", "requested_amount", "submitted_at"]
    list_filter = ["fund", "status"]
    search_fields = ["reference", "title", "organisation__name"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action"]


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created", "fiscal_year", "application", "kind", "amount"]
    list_filter = ["fiscal_year", "kind"]


@admin.register(models.BankAccountChange)
class BankAccountChangeAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "organisation", "status", "requested_by", "decided_by"]
    list_filter = ["status"]


@admin.register(models.LetterTexts)
class LetterTextsAdmin(AuditedAdmin):
    """The variable texts of a fund's letters, with a preview of a grant decision that uses them."""

    list_display = ["fund", "updated", "preview_link"]
    readonly_fields = ["preview_link"]

    def get_urls(self):
        from django.urls import path

        preview = self.admin_site.admin_view(self.preview)
        return [path("<int:pk>/preview/", preview, name="grants_lettertexts_preview"), *super().get_urls()]

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if not obj or not obj.pk:
            return _("Save first, then preview.")
        url = reverse("admin:grants_lettertexts_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Preview a grant decision (PDF)"))

    def preview(self, request, pk):
        """The grant decision to an invented club, rendered with these texts exactly as it would be sent."""
        from django.http import Http404, HttpResponse
        from django.utils import timezone

        from notifications.pdf import render_pdf

        from .letters import TYPES, sample_approval_context

        texts = models.LetterTexts.objects.select_related("fund").filter(pk=pk).first()
        if texts is None or not self.has_view_permission(request, texts):
            raise Http404
        kind = TYPES[models.Document.APPROVAL]
        context = sample_approval_context(texts.fund, texts, letter_date=timezone.localdate())
        response = HttpResponse(render_pdf(kind.template, context, parts=kind.parts), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="vorschau-bescheid.pdf"'
        return response


@admin.register(models.BaseRate)
class BaseRateAdmin(AuditedAdmin):
    """The Basiszinssatz is announced each half-year; repayment interest is computed from it."""

    list_display = ["valid_from", "rate"]


@admin.register(models.RepaymentClaim)
class RepaymentClaimAdmin(ReadOnlyAdmin):
    list_display = ["created", "application", "amount", "reason", "status", "due_on", "paid_on", "interest"]
    list_filter = ["status", "reason"]


@admin.register(models.Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "application", "number", "amount", "status"]
    list_filter = ["status"]
