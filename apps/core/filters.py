"""Filter pieces every list shares."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

from .choices import CachedChoiceIterator, CachedChoicesMixin
from .forms import BoundedDateField

# django-filter's model choices: the empty and null choices, then each row, read with one ordinary
# query, or from the cache for a field given ``cached_choices`` (:mod:`apps.core.choices`).
PlainQueryChoiceIterator = CachedChoiceIterator


class PlainQueryModelChoiceField(CachedChoicesMixin, FilterModelChoiceField):
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
