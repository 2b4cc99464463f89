"""Configuration for fund admins. Process data is read-only here: it changes
only through the services, so the audit trail stays complete."""

from django.contrib import admin

from . import models


class AimInline(admin.TabularInline):
    model = models.Aim
    extra = 0


class FundRoleInline(admin.TabularInline):
    model = models.FundRole
    extra = 0
    autocomplete_fields = ["user"]


class FiscalYearInline(admin.TabularInline):
    model = models.FiscalYear
    extra = 0
    readonly_fields = ["last_reference_number"]


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_body", "office_name", "cap"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AimInline, FiscalYearInline, FundRoleInline]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "contact_name", "email"]
    search_fields = ["name", "contact_name", "email"]
    filter_horizontal = ["members"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
