from django.contrib import admin

from .models import Acknowledgement, RuleVersion
from .services import rule_version_publish


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "published_by", "published_at"]
    list_select_related = ["published_by"]
    search_fields = ["title", "title_en", "body", "body_en"]
    fields = ["title", "title_en", "body", "body_en"]

    def has_change_permission(self, request, obj=None):
        # A published version is a record of what people acknowledged: publish a new one instead.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = rule_version_publish(
            actor=request.user,
            title=form.cleaned_data["title"],
            title_en=form.cleaned_data.get("title_en", ""),
            body=form.cleaned_data["body"],
            body_en=form.cleaned_data.get("body_en", ""),
        )
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_filter = ["version"]
    list_select_related = ["user", "version"]
    search_fields = ["user__username", "user__full_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
