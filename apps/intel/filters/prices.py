"""Filters of the price list: competitor, products, province, channel, dates and level (R-INTEL-05)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filters import DateRangeFilterForm
from apps.core.models import levels_up_to
from apps.org.models import Product

from ..importing import YEARS_BACK
from ..models import Competitor, CompetitorProduct, PriceChannel, PriceObservation, Province
from .fields import BoundedDateFilter, ChoiceFilter, ModelChoiceFilter, cache_options


class PriceObservationFilter(django_filters.FilterSet):
    """Narrow the visible observations; a value that cannot be read is left out, not an error page."""

    competitor = ModelChoiceFilter(
        label=_("Competitor"),
        field_name="competitor_product__competitor",
        queryset=Competitor.objects.all(),
        empty_label=_("All competitors"),
    )
    competitor_product = ModelChoiceFilter(
        label=_("Competitor product"), queryset=CompetitorProduct.objects.all(), empty_label=_("All")
    )
    our_product = ModelChoiceFilter(label=_("Our product"), queryset=Product.objects.all(), empty_label=_("All"))
    province = ModelChoiceFilter(label=_("Province"), queryset=Province.objects.all(), empty_label=_("All provinces"))
    channel = ChoiceFilter(label=_("Channel"), choices=PriceChannel.choices, empty_label=_("All"))
    date_from = BoundedDateFilter(
        label=_("From"), field_name="observed_on", lookup_expr="gte", years_back=YEARS_BACK, years_ahead=1
    )
    date_to = BoundedDateFilter(
        label=_("To"), field_name="observed_on", lookup_expr="lte", years_back=YEARS_BACK, years_ahead=1
    )
    level = ChoiceFilter(label=_("Level"), field_name="confidentiality", choices=(), empty_label=_("All levels"))

    class Meta:
        model = PriceObservation
        fields = [
            "competitor",
            "competitor_product",
            "our_product",
            "province",
            "channel",
            "date_from",
            "date_to",
            "level",
        ]
        form = DateRangeFilterForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # Offering a level above the user's clearance would say such items exist.
        self.filters["level"].extra["choices"] = levels_up_to(user.clearance)
        cache_options(self, "competitor", Competitor)
        cache_options(self, "competitor_product", CompetitorProduct, Competitor)
        cache_options(self, "our_product", Product)
        cache_options(self, "province", Province)
        self.form.fields["competitor_product"].label_from_instance = lambda item: item.name
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
