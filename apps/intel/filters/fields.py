"""A model-choice filter whose options come from one plain query and are written in Python.

Django's ``ModelChoiceIterator`` reads the options with ``QuerySet.iterator()``, which on
PostgreSQL opens a server-side cursor: ``DECLARE``, ``FETCH`` and ``CLOSE``, three round trips
for a list of twenty names. The options of a filter are few, so they are read with one ordinary
query instead (the rows are kept by the field's queryset for the rest of the request). The select
is rendered by :class:`apps.core.widgets.Select`, the same markup as Django's templates; so are the
date and text inputs of :class:`BoundedDateFilter` and :class:`CharFilter`.

Each filter set deep-copies its declared filters (django-filter does, for every request): lazy
labels, querysets and choice lists included, about a third of building a filter form. These
filters are copied shallowly instead (see :class:`CheapCopyMixin`).
"""

import copy

import django_filters
from django_filters.filters import FilterMethod

from apps.core import filters as core_filters
from apps.core.choices import CachedChoices
from apps.core.filters import PlainQueryChoiceIterator, PlainQueryModelChoiceField
from apps.core.widgets import DateInput, Select, TextInput

__all__ = [
    "BoundedDateFilter",
    "cache_options",
    "CharFilter",
    "CheapCopyMixin",
    "ChoiceFilter",
    "ModelChoiceFilter",
    "PlainQueryChoiceIterator",
    "PlainQueryModelChoiceField",
]


class CheapCopyMixin:
    """Copy a declared filter for a filter set with ``copy.copy`` and its own ``extra``, not ``copy.deepcopy``.

    A filter set only rebinds a filter's attributes and ``extra`` entries (the queryset, the choices,
    the field it builds), it never changes the objects they hold, so the declared filter stays as
    it was; ``tests/intel/test_render_filters.py`` checks that two filter sets do not share state.
    """

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        clone.extra = dict(self.extra)
        clone.__dict__.pop("_field", None)
        if isinstance(self.__dict__.get("filter"), FilterMethod):
            clone.method = self.method  # a FilterMethod bound to the copy, not to the declared filter
        memo[id(self)] = clone
        return clone


def cache_options(filterset: django_filters.FilterSet, name: str, *models, scope: str = "") -> None:
    """Read the options of ``filterset``'s model-choice filter ``name`` from the cache, under the
    stamps of ``models`` (every model its queryset reads, each watched in ``IntelConfig.ready``) and
    ``scope`` (whatever else they depend on). Call it before the filter set's form is built."""
    key = f"{type(filterset).__name__}.{name}"
    filterset.filters[name].extra["cached_choices"] = CachedChoices(key, tuple(models), scope)


class ModelChoiceFilter(CheapCopyMixin, django_filters.ModelChoiceFilter):
    """``django_filters.ModelChoiceFilter`` with options from one plain query, rendered by the Python select."""

    field_class = PlainQueryModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)


class BoundedDateFilter(CheapCopyMixin, core_filters.BoundedDateFilter):
    """:class:`apps.core.filters.BoundedDateFilter` with its date input rendered in Python."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(*args, **kwargs)


class CharFilter(CheapCopyMixin, django_filters.CharFilter):
    """``django_filters.CharFilter`` with its text input rendered in Python."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", TextInput)
        super().__init__(*args, **kwargs)


class ChoiceFilter(CheapCopyMixin, django_filters.ChoiceFilter):
    """``django_filters.ChoiceFilter`` rendered by the Python select."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)
