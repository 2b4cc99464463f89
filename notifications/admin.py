from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "template", "email", "status", "attempts", "sent_at"]
    search_fields = ["email", "dedupe_key"]
    list_filter = ["status", "template"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
