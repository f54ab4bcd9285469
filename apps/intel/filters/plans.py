"""Filters of the research plan list: status, owner and a date range."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import DateRangeFilterForm

from ..models import ResearchPlan
from ..selectors.plans import research_plan_owners
from .fields import BoundedDateFilter, ChoiceFilter, ModelChoiceFilter, cache_options
from .market import small_widgets


class ResearchPlanFilter(django_filters.FilterSet):
    status = ChoiceFilter(label=_("Status"), choices=ResearchPlan.Status.choices, empty_label=_("All statuses"))
    owner = ModelChoiceFilter(label=_("Owner"), queryset=research_plan_owners(), empty_label=_("Everyone"))
    # A plan matches when its schedule overlaps the range.
    date_from = BoundedDateFilter(label=_("From"), field_name="due_on", lookup_expr="gte", years_back=5, years_ahead=3)
    date_to = BoundedDateFilter(label=_("To"), field_name="starts_on", lookup_expr="lte", years_back=5, years_ahead=3)

    class Meta:
        model = ResearchPlan
        fields = ["status", "owner", "date_from", "date_to"]
        form = DateRangeFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cache_options(self, "owner", User)
        small_widgets(self)
