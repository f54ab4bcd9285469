"""Filters of the approval queue: leave type, person and dates."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import BoundedDateFilter, DateRangeFilterForm

from . import widgets
from .models import LeaveRequest, LeaveType


class LeaveQueueFilter(django_filters.FilterSet):
    """Narrow the pending or the decided requests; a value that cannot be read is left out, not an error page."""

    leave_type = django_filters.ModelChoiceFilter(
        label=_("Leave type"), queryset=LeaveType.objects.all(), empty_label=_("All types"), widget=widgets.Select
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"),
        field_name="user",
        queryset=User.objects.none(),
        empty_label=_("Everyone"),
        widget=widgets.Select,
    )
    # A request matches when any of its days lies in the range.
    date_from = BoundedDateFilter(
        label=_("From"), field_name="end_date", lookup_expr="gte", years_back=5, years_ahead=3
    )
    date_to = BoundedDateFilter(label=_("To"), field_name="start_date", lookup_expr="lte", years_back=5, years_ahead=3)

    class Meta:
        model = LeaveRequest
        fields = ["leave_type", "person", "date_from", "date_to"]
        form = DateRangeFilterForm

    def __init__(self, data=None, queryset=None, *, people, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["person"].queryset = people
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
