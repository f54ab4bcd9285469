from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .calendar import years_not_loaded
from .forms import CalendarImportConfirmForm, CalendarImportForm, import_token_dumps
from .models import CalendarOverride, CalendarYear, StatutoryDay
from .selectors import calendar_import_preview
from .services import (
    IMPORT_PERMISSION,
    calendar_import_year,
    calendar_load_year,
    calendar_override_set,
    statutory_years_available,
)

DONE_SESSION_KEY = "workcalendar_import_done"


def _warn_missing_years(request) -> None:
    year = timezone.localdate().year
    for missing in years_not_loaded([year, year + 1]):
        if missing in statutory_years_available():
            text = _("The state calendar for %(year)s is available but not loaded: use “Reload” on the calendar years.")
        else:
            text = _(
                "The state calendar for %(year)s is not in the installed chinesecalendar package. Import that "
                "year's holidays and make-up working days from a file (Calendar years → Import a year from a "
                "file), or upgrade the package."
            )
        messages.warning(request, text % {"year": missing})


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source_kind", "source", "loaded_by", "loaded_at"]
    list_select_related = ["loaded_by"]
    readonly_fields = ["year", "source_kind", "source", "loaded_by", "loaded_at"]
    actions = ["reload", "replace_with_package"]
    change_list_template = "admin/workcalendar/calendaryear/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="workcalendar_calendaryear_import"),
            path("import/confirm/", wrap(self.import_confirm_view), name="workcalendar_calendaryear_import_confirm"),
            path("import/done/", wrap(self.import_done_view), name="workcalendar_calendaryear_import_done"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        extra_context = {**(extra_context or {}), "can_import": request.user.has_perm(IMPORT_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def _check_import_permission(self, request) -> None:
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied

    def import_view(self, request):
        """Upload a file; a valid one is shown as a preview with a signed confirm form."""
        self._check_import_permission(request)
        if request.method == "POST":
            form = CalendarImportForm(request.POST, request.FILES)
            if form.is_valid():
                year = form.cleaned_data["year"]
                file_name = form.cleaned_data["file_name"]
                preview = calendar_import_preview(year=year, days=form.cleaned_data["days"])
                token = import_token_dumps(
                    user_id=request.user.pk,
                    year=year,
                    file_name=file_name,
                    fingerprint=preview.fingerprint,
                    days=preview.days,
                )
                return TemplateResponse(
                    request,
                    "admin/workcalendar/calendaryear/import_preview.html",
                    self._context(
                        request,
                        _("Preview: holiday calendar %(year)s from “%(file)s”") % {"year": year, "file": file_name},
                        preview=preview,
                        file_name=file_name,
                        confirm_form=CalendarImportConfirmForm(initial={"token": token}, user=request.user),
                    ),
                )
        else:
            form = CalendarImportForm(initial={"year": timezone.localdate().year + 1})
        return TemplateResponse(
            request,
            "admin/workcalendar/calendaryear/import_form.html",
            self._context(request, _("Import a year's holiday calendar"), form=form),
        )

    def import_confirm_view(self, request):
        """Save exactly what was previewed; the uploaded days travel in the signed token, not a new upload."""
        self._check_import_permission(request)
        if request.method != "POST":
            return redirect("admin:workcalendar_calendaryear_import")
        form = CalendarImportConfirmForm(request.POST, user=request.user)
        if not form.is_valid():
            for error in form.errors.get("token", []):
                messages.error(request, error)
            return redirect("admin:workcalendar_calendaryear_import")
        payload = form.cleaned_data["token"]
        try:
            preview = calendar_import_year(
                actor=request.user,
                year=payload["year"],
                days=payload["days"],
                file_name=payload["file"],
                fingerprint=payload["fingerprint"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("admin:workcalendar_calendaryear_import")
        request.session[DONE_SESSION_KEY] = {
            "year": preview.year,
            "file": payload["file"],
            "added": len(preview.added),
            "changed": len(preview.changed),
            "removed": len(preview.removed),
            "affected": preview.affected_rows,
        }
        messages.success(
            request,
            _("The holiday calendar for %(year)s was imported from “%(file)s”.")
            % {"year": preview.year, "file": payload["file"]},
        )
        return redirect("admin:workcalendar_calendaryear_import_done")

    def import_done_view(self, request):
        self._check_import_permission(request)
        result = request.session.get(DONE_SESSION_KEY)
        if result is None:
            return redirect("admin:workcalendar_calendaryear_changelist")
        return TemplateResponse(
            request,
            "admin/workcalendar/calendaryear/import_done.html",
            self._context(request, _("Holiday calendar %(year)s imported") % {"year": result["year"]}, result=result),
        )

    def _load_from_package(self, request, queryset, *, force: bool) -> None:
        for calendar_year in queryset:
            try:
                count = calendar_load_year(year=calendar_year.year, force=force, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("%(year)s: %(count)s days loaded.") % {"year": calendar_year.year, "count": count}
                )

    @admin.action(description=gettext_lazy("Reload the selected years from the chinesecalendar package"))
    def reload(self, request, queryset):
        self._load_from_package(request, queryset, force=False)

    @admin.action(
        description=gettext_lazy("Replace the selected years with the chinesecalendar package, even a file import"),
        permissions=["import"],
    )
    def replace_with_package(self, request, queryset):
        self._load_from_package(request, queryset, force=True)

    def has_import_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)


@admin.register(StatutoryDay)
class StatutoryDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working", "name"]
    list_filter = ["is_working", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working", "reason", "created_by", "updated_at"]
    list_filter = ["is_working"]
    list_select_related = ["created_by"]
    search_fields = ["reason"]
    date_hierarchy = "date"
    fields = ["date", "is_working", "reason"]

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        saved = calendar_override_set(actor=request.user, date=obj.date, is_working=obj.is_working, reason=obj.reason)
        obj.pk = saved.pk
        obj.refresh_from_db()
