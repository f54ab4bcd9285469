"""Filters of intelligence reports (R-INTEL-05) and of the confidential access log (R-INTEL-03).

A value that cannot be read is shown as an error on the filter and left out, never an error page.
"""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.filters import DateRangeFilterForm
from apps.core.models import AccessLog, levels_up_to

from ..models import Competitor, CompetitorProduct, IntelReport, Province, Tag
from ..selectors.reports import classified_content_types
from .fields import BoundedDateFilter, ChoiceFilter, ModelChoiceFilter, cache_options


def tags_offered(*, user):
    """Tags used on at least one live report ``user`` may see.

    Tags are made from report text: one used only on reports above a user's clearance names a
    subject they may not know of, so it is never offered to them.
    """
    visible = IntelReport.objects.visible_to(user).filter(is_archived=False, tags=OuterRef("pk"))
    return Tag.objects.filter(Exists(visible)).order_by("name")


# What ``tags_offered`` reads; its options depend on the reader's clearance and nothing else.
TAGS_OFFERED_MODELS = (Tag, IntelReport, IntelReport.tags.through)


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select form-select-sm"
        else:
            field.widget.attrs["class"] = "form-control form-control-sm"


class IntelReportFilter(django_filters.FilterSet):
    """Competitor, product, type, province, date range, tag and level over the reports a user may see."""

    competitor = ModelChoiceFilter(
        label=_("Competitor"),
        field_name="competitors",
        queryset=Competitor.objects.none(),
        empty_label=_("All"),
    )
    product = ModelChoiceFilter(
        label=_("Competitor product"),
        field_name="products",
        queryset=CompetitorProduct.objects.none(),
        empty_label=_("All"),
    )
    kind = ChoiceFilter(label=_("Type"), choices=IntelReport.Kind.choices, empty_label=_("All"))
    province = ModelChoiceFilter(
        label=_("Province"),
        field_name="provinces",
        queryset=Province.objects.all(),
        empty_label=_("All"),
    )
    tag = ModelChoiceFilter(label=_("Tag"), field_name="tags", queryset=Tag.objects.none(), empty_label=_("All"))
    level = ChoiceFilter(
        label=_("Confidentiality level"), field_name="confidentiality", choices=(), empty_label=_("All")
    )
    date_from = BoundedDateFilter(
        label=_("From"), field_name="reported_on", lookup_expr="gte", years_back=30, years_ahead=1
    )
    date_to = BoundedDateFilter(
        label=_("To"), field_name="reported_on", lookup_expr="lte", years_back=30, years_ahead=1
    )

    class Meta:
        model = IntelReport
        fields = ["competitor", "product", "kind", "province", "tag", "level", "date_from", "date_to"]
        form = DateRangeFilterForm

    def __init__(self, data=None, queryset=None, *, user, policies: bool = False, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # Only what the options show: a product's option is its name (its competitor only orders it).
        self.filters["competitor"].queryset = Competitor.objects.filter(is_active=True).only("pk", "name", "short_name")
        self.filters["product"].queryset = CompetitorProduct.objects.filter(is_active=True).only("pk", "name")
        self.filters["tag"].queryset = tags_offered(user=user)
        cache_options(self, "competitor", Competitor)
        cache_options(self, "product", CompetitorProduct, Competitor)
        cache_options(self, "province", Province)
        cache_options(self, "tag", *TAGS_OFFERED_MODELS, scope=f"clearance-{user.clearance}")
        self.filters["level"].extra["choices"] = levels_up_to(user.clearance)
        if policies:
            # The policy list is the report list limited to one type.
            del self.filters["kind"]
        _style(self.form)


class AccessLogFilter(django_filters.FilterSet):
    """Person, date range, level, action and item type over the confidential access log."""

    person = ModelChoiceFilter(
        label=_("Person"), field_name="user", queryset=User.objects.none(), empty_label=_("Everyone")
    )
    date_from = BoundedDateFilter(
        label=_("From"), field_name="created_at__date", lookup_expr="gte", years_back=10, years_ahead=1
    )
    date_to = BoundedDateFilter(
        label=_("To"), field_name="created_at__date", lookup_expr="lte", years_back=10, years_ahead=1
    )
    level = ChoiceFilter(
        label=_("Confidentiality level"), field_name="confidentiality", choices=(), empty_label=_("All")
    )
    action = ChoiceFilter(label=_("Action"), choices=AccessLog.Action.choices, empty_label=_("All"))
    item_type = ModelChoiceFilter(
        label=_("Item type"),
        field_name="content_type",
        queryset=ContentType.objects.none(),
        empty_label=_("All"),
    )

    class Meta:
        model = AccessLog
        fields = ["person", "date_from", "date_to", "level", "action", "item_type"]
        form = DateRangeFilterForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["person"].queryset = User.objects.filter(is_active=True).order_by("full_name", "pk")
        self.filters["level"].extra["choices"] = levels_up_to(user.clearance)
        self.filters["item_type"].queryset = classified_content_types()
        cache_options(self, "person", User)
        cache_options(self, "item_type", ContentType)
        self.filters["item_type"].field.label_from_instance = _content_type_label
        _style(self.form)


def _content_type_label(content_type) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model
