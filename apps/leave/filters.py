"""Filters of the approval queue: leave type, person and dates."""

import django_filters
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import BoundedDateFilter, DateRangeFilterForm, PlainQueryChoiceIterator

from . import widgets
from .models import LeaveRequest, LeaveType


class ValueChoices(PlainQueryChoiceIterator):
    """:class:`PlainQueryChoiceIterator` read as plain values: ``(pk, label)``, no model instance per choice (issue 8).

    ``columns`` are read with ``values_list`` (the primary key first); ``label`` makes of the others
    what ``label_from_instance`` (``str()`` of the instance) would. A field whose ``values_read`` holds
    those rows already (read with the page, in the same order) is not queried.
    """

    columns: tuple[str, ...] = ()

    @staticmethod
    def label(*values) -> str:
        raise NotImplementedError

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        values = getattr(self.field, "values_read", None)
        if values is None:
            values = self.queryset.values_list("pk", *self.columns)
        for pk, *rest in values:
            yield (pk, self.label(*rest))


class LeaveTypeChoices(ValueChoices):
    """Leave types by ``LeaveType.__str__``: ``display_name``, the English name when English is active."""

    columns = ("name", "name_en")

    @staticmethod
    def label(name, name_en) -> str:
        return name_en if name_en and (get_language() or "").startswith("en") else name


class PersonChoices(ValueChoices):
    """People by ``User.__str__``: ``get_full_name()``."""

    columns = ("full_name", "first_name", "last_name", "username")

    @staticmethod
    def label(full_name, first_name, last_name, username) -> str:
        return full_name or f"{first_name} {last_name}".strip() or username


class LeaveQueueFilter(django_filters.FilterSet):
    """Narrow the pending or the decided requests; a value that cannot be read is left out, not an error page."""

    leave_type = django_filters.ModelChoiceFilter(
        label=_("Leave type"),
        queryset=LeaveType.objects.all(),
        empty_label=_("All types"),
        widget=widgets.ChoiceSelect,
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"),
        field_name="user",
        queryset=User.objects.none(),
        empty_label=_("Everyone"),
        widget=widgets.ChoiceSelect,
    )
    # A request matches when any of its days lies in the range.
    date_from = BoundedDateFilter(
        label=_("From"),
        field_name="end_date",
        lookup_expr="gte",
        years_back=5,
        years_ahead=3,
        widget=widgets.DateInput,
    )
    date_to = BoundedDateFilter(
        label=_("To"), field_name="start_date", lookup_expr="lte", years_back=5, years_ahead=3, widget=widgets.DateInput
    )

    class Meta:
        model = LeaveRequest
        fields = ["leave_type", "person", "date_from", "date_to"]
        form = DateRangeFilterForm

    def __init__(self, data=None, queryset=None, *, people, values_read=None, **kwargs):
        """``people``: who may be chosen (``leave_queue_people``). ``values_read``: the choices when the
        caller has read them (``leave_queue_filter_choices``), by field: ``{"person": [(pk, full_name,
        first_name, last_name, username), …], "leave_type": [(pk, name, name_en), …]}``; those are then
        written without a query (a chosen value is still looked up in the field's queryset)."""
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["person"].queryset = people
        choices = {"leave_type": LeaveTypeChoices, "person": PersonChoices}
        for name, field in self.form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = choices.get(name, PlainQueryChoiceIterator)
                if values_read and name in values_read:
                    field.values_read = values_read[name]
                field.widget.choices = field.choices
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
