from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "emailed_at"]
    list_filter = ["read_at", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "body", "recipient__username", "recipient__full_name"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "read_at", "emailed_at"]
