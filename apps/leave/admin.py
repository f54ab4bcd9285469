from django.contrib import admin

from .models import (
    ActingApprover,
    CompTimeEntry,
    CompTimeGrantRequest,
    ImportantPeriod,
    LeaveEvent,
    LeaveRequest,
    LeaveType,
)


class RecordAdmin(admin.ModelAdmin):
    """Decisions are made on the site so that every rule and the history apply; admin only reads."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LeaveType)
class LeaveTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "name_en",
        "requires_advance_approval",
        "late_filing_days",
        "requires_attachment",
        "spends_comp_time",
        "blocked_in_important_periods",
        "reason_private",
        "is_active",
    ]
    list_filter = ["is_active", "requires_attachment", "spends_comp_time"]
    search_fields = ["code", "name", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a type by unticking "active"


class LeaveEventInline(admin.TabularInline):
    model = LeaveEvent
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(RecordAdmin):
    list_display = ["user", "leave_type", "start_date", "end_date", "days", "status", "approver", "handover_to"]
    list_filter = ["status", "leave_type", "user__department"]
    list_select_related = ["user", "leave_type", "approver", "handover_to"]
    search_fields = ["user__username", "user__full_name", "reason"]
    date_hierarchy = "start_date"
    inlines = [LeaveEventInline]


@admin.register(LeaveEvent)
class LeaveEventAdmin(RecordAdmin):
    list_display = ["created_at", "request", "actor", "from_status", "to_status"]
    list_select_related = ["request", "request__user", "request__leave_type", "actor"]
    list_filter = ["to_status"]
    search_fields = ["request__user__full_name", "actor__full_name", "comment"]


@admin.register(ImportantPeriod)
class ImportantPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "department", "declared_by", "is_active"]
    list_filter = ["is_active", "department"]
    list_select_related = ["department", "declared_by"]
    search_fields = ["name"]
    readonly_fields = ["declared_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.declared_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # archive with "active" instead


@admin.register(ActingApprover)
class ActingApproverAdmin(admin.ModelAdmin):
    list_display = ["department", "user", "start_date", "end_date", "created_by", "is_active"]
    list_filter = ["is_active", "department"]
    list_select_related = ["department", "user", "created_by"]
    search_fields = ["user__full_name", "user__username"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompTimeGrantRequest)
class CompTimeGrantRequestAdmin(RecordAdmin):
    list_display = ["user", "work_date", "days", "status", "approver", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["user", "approver", "decided_by"]
    search_fields = ["user__full_name", "reason"]


@admin.register(CompTimeEntry)
class CompTimeEntryAdmin(RecordAdmin):
    list_display = ["created_at", "user", "kind", "days", "reason", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__full_name", "user__username", "reason"]
