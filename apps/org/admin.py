from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.core.forms import SingleLineFormMixin

from .models import AssignedTask, Department, Duty, LifecycleStage, Position, Product, StageFocus, TaskEvent
from .services import task_assign, task_validate_assignment


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "parent", "head", "is_active"]
    list_filter = ["is_active", "parent"]
    list_select_related = ["parent", "head"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["head", "parent", "leave_approver"]


class DutyInline(admin.TabularInline):
    model = Duty
    fields = ["code", "number", "text", "text_en"]
    extra = 0


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "title_en", "department", "headcount", "sort_order"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["code", "title", "title_en"]
    inlines = [DutyInline]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["code", "function", "position", "number", "text", "text_en"]
    list_filter = ["function", "position"]
    list_select_related = ["position"]
    search_fields = ["code", "text", "text_en"]


class StageFocusInline(admin.TabularInline):
    model = StageFocus
    fields = ["number", "text", "text_en", "duties"]
    filter_horizontal = ["duties"]
    extra = 0


@admin.register(LifecycleStage)
class LifecycleStageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sort_order"]
    search_fields = ["code", "name", "name_en"]
    inlines = [StageFocusInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "stage", "is_active", "updated_at"]
    list_filter = ["stage", "is_active"]
    list_select_related = ["stage"]
    search_fields = ["code", "name", "description"]


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AssignedTaskAdminForm(SingleLineFormMixin, forms.ModelForm):
    class Meta:
        model = AssignedTask
        fields = ["title", "description", "owner", "due_date"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("owner") and cleaned.get("due_date"):
            try:
                task_validate_assignment(
                    owner=cleaned["owner"], title=cleaned.get("title", ""), due_date=cleaned["due_date"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(AssignedTask)
class AssignedTaskAdmin(admin.ModelAdmin):
    form = AssignedTaskAdminForm
    list_display = ["title", "owner", "assigned_by", "due_date", "status", "completed_at"]
    list_filter = ["status", "due_date"]
    list_select_related = ["owner", "assigned_by"]
    search_fields = ["title", "description", "owner__full_name", "owner__username"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["owner"]
    inlines = [TaskEventInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["title", "description", "owner", "due_date"]
        return ["title", "description", "owner", "assigned_by", "due_date", "status", "completed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # State changes go through the task page so that history and notices are kept.
        return ["owner", "assigned_by", "status", "completed_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = task_assign(
            assigned_by=request.user,
            owner=form.cleaned_data["owner"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data.get("description", ""),
            due_date=form.cleaned_data["due_date"],
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StageFocus)
class StageFocusAdmin(admin.ModelAdmin):
    list_display = ["stage", "number", "text", "text_en"]
    list_filter = ["stage"]
    list_select_related = ["stage"]
    search_fields = ["text", "text_en"]
    filter_horizontal = ["duties"]


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    """The task history is a record: it can be read, not edited."""

    list_display = ["created_at", "task", "actor", "from_status", "to_status"]
    list_filter = ["to_status"]
    list_select_related = ["task", "actor"]
    search_fields = ["task__title", "comment", "actor__full_name", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
