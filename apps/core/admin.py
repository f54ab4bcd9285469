from django.contrib import admin

from .models import AccessLog, ConfidentialityLevel, LevelChange
from .selectors import log_entries_cleared_for
from .services import classified_record_read


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "confidentiality", "content_type", "object_repr", "ip_address"]
    list_filter = ["action", "confidentiality", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "user__username", "user__full_name"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # An entry names its item: one above the reader's clearance stays hidden.
        return log_entries_cleared_for(super().get_queryset(request), user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LevelChange)
class LevelChangeAdmin(admin.ModelAdmin):
    """Who changed which item's level. An entry naming a level above the user's clearance stays hidden."""

    list_display = ["created_at", "changed_by", "content_type", "object_repr", "old_level", "new_level", "reason"]
    list_filter = ["old_level", "new_level", "content_type", "created_at"]
    list_select_related = ["changed_by", "content_type"]
    search_fields = ["object_repr", "reason", "changed_by__username", "changed_by__full_name"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return log_entries_cleared_for(super().get_queryset(request), user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClassifiedAdminMixin:
    """Admin for classified models: the clearance filter applies here too, and reads are logged.

    Nobody can file an item above their own clearance either.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "confidentiality":
            kwargs["choices"] = [(v, label) for v, label in ConfidentialityLevel.choices if v <= request.user.clearance]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            classified_record_read(user=request.user, obj=obj, request=request)
        return super().change_view(request, object_id, form_url, extra_context)
