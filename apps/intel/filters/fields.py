"""A model-choice filter whose options come from one plain query and are written in Python.

Django's ``ModelChoiceIterator`` reads the options with ``QuerySet.iterator()``, which on
PostgreSQL opens a server-side cursor: ``DECLARE``, ``FETCH`` and ``CLOSE``, three round trips
for a list of twenty names. The options of a filter are few, so they are read with one ordinary
query instead (the rows are kept by the field's queryset for the rest of the request). The select
is rendered by :class:`apps.core.widgets.Select`, the same markup as Django's templates; so are the
date and text inputs of :class:`BoundedDateFilter` and :class:`CharFilter`.
"""

import django_filters
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelChoiceIterator as FilterModelChoiceIterator

from apps.core import filters as core_filters
from apps.core.widgets import DateInput, Select, TextInput


class PlainQueryChoiceIterator(FilterModelChoiceIterator):
    """``ModelChoiceIterator`` without ``iterator()``: the empty and null choices, then each row."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainQueryModelChoiceField(FilterModelChoiceField):
    iterator = PlainQueryChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``django_filters.ModelChoiceFilter`` with options from one plain query, rendered by the Python select."""

    field_class = PlainQueryModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)


class BoundedDateFilter(core_filters.BoundedDateFilter):
    """:class:`apps.core.filters.BoundedDateFilter` with its date input rendered in Python."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(*args, **kwargs)


class CharFilter(django_filters.CharFilter):
    """``django_filters.CharFilter`` with its text input rendered in Python."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", TextInput)
        super().__init__(*args, **kwargs)
