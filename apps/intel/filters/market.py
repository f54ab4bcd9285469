"""Filters of the competitor list: name and the provinces where a competitor is strong."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Competitor, Province
from .fields import CharFilter, ModelChoiceFilter, cache_options


def small_widgets(filterset: django_filters.FilterSet) -> None:
    """Give each filter field Bootstrap's small control classes."""
    for field in filterset.form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs["class"] = css


class CompetitorFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Name"), method="filter_name", max_length=100)
    province = ModelChoiceFilter(
        label=_("Strong in"),
        field_name="strong_provinces",
        queryset=Province.objects.all(),
        empty_label=_("All provinces"),
    )

    class Meta:
        model = Competitor
        fields = ["q", "province"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cache_options(self, "province", Province)
        small_widgets(self)

    def filter_name(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
