from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("title", "report_type", "format", "requested_by", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "report_type", "format")
    search_fields = ("title", "requested_by__username", "requested_by__full_name")
    date_hierarchy = "created_at"
    raw_id_fields = ("requested_by", "deliver_to")
    # The file is served only through the checked download view, never as an admin link.
    exclude = ("file",)
    readonly_fields = (
        "id",
        "report_type",
        "params",
        "format",
        "language",
        "progress",
        "file_size",
        "built_clearance",
        "error_code",
        "error_detail",
        "attempts",
        "task_id",
        "created_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "delivered_at",
        "expired_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Nothing is deleted: files expire, the records stay.
        return False
