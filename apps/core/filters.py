"""Filter pieces every list shares."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelChoiceIterator as FilterModelChoiceIterator

from .forms import BoundedDateField


class PlainQueryChoiceIterator(FilterModelChoiceIterator):
    """django-filter's model choices read with one ordinary query: the empty and null choices, then each row.

    Django's ``ModelChoiceIterator`` reads them with ``QuerySet.iterator()``, which on PostgreSQL
    opens a server-side cursor held across the commit (``DECLARE … WITH HOLD``, ``FETCH``,
    ``CLOSE``): three round trips for a dozen names on every list page (issue 8). Values and labels
    are the same; a chosen value is still looked up in the field's queryset.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainQueryModelChoiceField(FilterModelChoiceField):
    iterator = PlainQueryChoiceIterator


class BoundedDateFilter(django_filters.DateFilter):
    """A date filter with an ISO date input that refuses probes such as 0001-01-01 with a message
    (``years_back``, ``years_ahead`` as for :class:`apps.core.forms.BoundedDateField`)."""

    field_class = BoundedDateField


class DateRangeFilterForm(forms.Form):
    """The form of a filter set with ``date_from`` and ``date_to``: the end may not precede the start."""

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", forms.ValidationError(_("The end date cannot be before the start date.")))
        return cleaned_data
