"""Filters of the price list: competitor, products, province, channel, dates and level (R-INTEL-05)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BoundedDateField
from apps.core.models import ConfidentialityLevel
from apps.org.models import Product

from ..importing import YEARS_BACK
from ..models import Competitor, CompetitorProduct, PriceChannel, PriceObservation, Province


class ObservedDateFilter(django_filters.DateFilter):
    """A date filter that refuses probes such as 0001-01-01 with a message."""

    field_class = BoundedDateField


class PriceFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", forms.ValidationError(_("The end date cannot be before the start date.")))
        return cleaned_data


class PriceObservationFilter(django_filters.FilterSet):
    """Narrow the visible observations; a value that cannot be read is left out, not an error page."""

    competitor = django_filters.ModelChoiceFilter(
        label=_("Competitor"),
        field_name="competitor_product__competitor",
        queryset=Competitor.objects.all(),
        empty_label=_("All competitors"),
    )
    competitor_product = django_filters.ModelChoiceFilter(
        label=_("Competitor product"), queryset=CompetitorProduct.objects.all(), empty_label=_("All")
    )
    our_product = django_filters.ModelChoiceFilter(
        label=_("Our product"), queryset=Product.objects.all(), empty_label=_("All")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.all(), empty_label=_("All provinces")
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=PriceChannel.choices, empty_label=_("All"))
    date_from = ObservedDateFilter(
        label=_("From"), field_name="observed_on", lookup_expr="gte", years_back=YEARS_BACK, years_ahead=1
    )
    date_to = ObservedDateFilter(
        label=_("To"), field_name="observed_on", lookup_expr="lte", years_back=YEARS_BACK, years_ahead=1
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), field_name="confidentiality", choices=(), empty_label=_("All levels")
    )

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
        form = PriceFilterForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # Offering a level above the user's clearance would say such items exist.
        self.filters["level"].extra["choices"] = [
            (value, label) for value, label in ConfidentialityLevel.choices if value <= user.clearance
        ]
        self.form.fields["competitor_product"].label_from_instance = lambda item: item.name
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
