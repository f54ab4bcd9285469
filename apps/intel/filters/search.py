"""Filters of the search page (R-INTEL-05): type, competitor, province, date range and level.

The words typed (``q``) are a field of the same form; the search itself is applied by
:func:`apps.intel.selectors.search.intel_search_page` (it counts and orders the matches).
A value that cannot be read is shown as an error on its field and left out, never an error page.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filters import DateRangeFilterForm
from apps.core.models import ConfidentialityLevel, levels_up_to

from ..models import Competitor, IntelReport, Province
from .fields import BoundedDateFilter, CharFilter, ChoiceFilter, ModelChoiceFilter, cache_options

MAX_QUERY_LENGTH = 100


class IntelSearchFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Search"), method="_no_filter", max_length=MAX_QUERY_LENGTH)
    kind = ChoiceFilter(label=_("Type"), choices=IntelReport.Kind.choices, empty_label=_("All"))
    competitor = ModelChoiceFilter(
        label=_("Competitor"),
        field_name="competitors",
        queryset=Competitor.objects.none(),
        empty_label=_("All"),
    )
    province = ModelChoiceFilter(
        label=_("Province"),
        field_name="provinces",
        queryset=Province.objects.none(),
        empty_label=_("All"),
    )
    date_from = BoundedDateFilter(label=_("From"), field_name="reported_on", lookup_expr="gte")
    date_to = BoundedDateFilter(label=_("To"), field_name="reported_on", lookup_expr="lte")
    level = ChoiceFilter(
        label=_("Level"), field_name="confidentiality", choices=ConfidentialityLevel.choices, empty_label=_("All")
    )

    class Meta:
        model = IntelReport
        fields = []
        form = DateRangeFilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cache_options(self, "competitor", Competitor)
        cache_options(self, "province", Province)
        fields = self.form.fields
        fields["competitor"].queryset = Competitor.objects.filter(is_active=True).only("pk", "name", "short_name")
        fields["province"].queryset = Province.objects.all()
        # A level above one's clearance would only ever list nothing, and names what exists.
        # (The field adds its own "All" choice.)
        fields["level"].choices = levels_up_to(user.clearance)
        fields["q"].widget.input_type = "search"
        fields["q"].widget.attrs.update({"autofocus": True, "placeholder": _("e.g. 化学发光")})
        for field in fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = (
                css if field is fields["q"] else css.replace("form-control", "form-control form-control-sm")
            )

    def _no_filter(self, queryset, name, value):
        return queryset
