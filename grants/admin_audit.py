"""Admin edits are state changes too: each one leaves an audit event, like every service write."""

from django.contrib import admin

from .services import audit


def _changes(form):
    before = {field: form.initial.get(field) for field in form.changed_data}
    after = {field: form.cleaned_data.get(field) for field in form.changed_data}
    return before, after


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        before, after = _changes(form)
        audit(actor=request.user, action="admin_change" if change else "admin_add", obj=obj, before=before,
              after=after)  # fmt: skip

    def delete_model(self, request, obj):
        audit(actor=request.user, action="admin_delete", obj=obj, before={"object": str(obj)})
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows (aims, roles) are audited one by one, deletions included."""
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not hasattr(inline_form, "cleaned_data"):
                continue
            if formset.can_delete and formset._should_delete_form(inline_form):
                if inline_form.instance.pk:
                    audit(actor=request.user, action="admin_delete", obj=inline_form.instance,
                          before={"object": str(inline_form.instance)})  # fmt: skip
                continue
            inline_form.audit_change = (_changes(inline_form), bool(inline_form.instance.pk))
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if hasattr(inline_form, "audit_change"):
                (before, after), existed = inline_form.audit_change
                audit(actor=request.user, action="admin_change" if existed else "admin_add",
                      obj=inline_form.instance, before=before, after=after)  # fmt: skip
