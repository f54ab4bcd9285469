from django.contrib import admin

from .models import CheckIn, FieldWorkNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    """Attendance records are evidence: they are read in admin, never edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["date", "user", "checked_in_at", "is_late", "on_working_day", "ip_address"]
    list_filter = ["is_late", "on_working_day", "user__department"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name"]
    date_hierarchy = "date"


@admin.register(FieldWorkNotice)
class FieldWorkNoticeAdmin(ReadOnlyAdmin):
    list_display = ["start_date", "end_date", "user", "destination", "status", "filed_at", "deadline", "received_at"]
    list_filter = ["status", "user__department"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name", "destination", "customer_name", "purpose"]
    date_hierarchy = "start_date"
