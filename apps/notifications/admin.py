from django.contrib import admin

from .models import Notification, PendingEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "resolved_at", "emailed_at"]
    list_filter = ["read_at", "resolved_at", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "body", "recipient__username", "recipient__full_name", "action_key"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "read_at", "resolved_at", "emailed_at"]


@admin.register(PendingEmail)
class PendingEmailAdmin(admin.ModelAdmin):
    """E-mails kept while the broker was down; the sweeper sends them, nothing here edits them."""

    list_display = ["created_at", "notification", "status", "attempts", "last_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "created_at"]
    list_select_related = ["notification", "notification__recipient"]
    search_fields = ["notification__title", "notification__recipient__username", "notification__recipient__full_name"]
    readonly_fields = [f.name for f in PendingEmail._meta.fields]

    def has_add_permission(self, request):
        return False
