from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import years_not_loaded
from .models import CalendarOverride, CalendarYear, StatutoryDay
from .services import calendar_load_year, calendar_override_set, statutory_years_available


def _warn_missing_years(request) -> None:
    year = timezone.localdate().year
    for missing in years_not_loaded([year, year + 1]):
        if missing in statutory_years_available():
            text = _("The state calendar for %(year)s is available but not loaded: use “Reload” on the calendar years.")
        else:
            text = _(
                "The state calendar for %(year)s is not in the installed chinesecalendar package. Enter that "
                "year's holidays and make-up working days as company overrides, or upgrade the package."
            )
        messages.warning(request, text % {"year": missing})


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "loaded_at"]
    actions = ["reload"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Reload the selected years from the chinesecalendar package"))
    def reload(self, request, queryset):
        for calendar_year in queryset:
            try:
                count = calendar_load_year(year=calendar_year.year)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("%(year)s: %(count)s days loaded.") % {"year": calendar_year.year, "count": count}
                )


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
