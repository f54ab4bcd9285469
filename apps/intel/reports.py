"""Intelligence reports of the report center: prices by product and province, and intelligence
reports by type and month.

Both are limited to the REQUESTER's clearance. The file is built by the Celery worker, which has no
request and no user of its own, so the form writes the requester's id into the parameters
(``requester``, taken from the logged-in user, never from the posted data) and the build reads
that person's clearance and permission from the database when it runs: a person whose clearance
was lowered meanwhile gets the lower level's figures. Text cells are sanitized by the report
center's writers like every other report.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.forms import BoundedDateField
from apps.org.models import Product
from apps.reports.registry import ReportType, Sheet, register

from .models import Competitor, IntelReport, PriceObservation
from .permissions import can_view_intel

# Longest period a report covers (days): keeps a file and its chart readable.
MAX_RANGE_DAYS = 5 * 366
CHART_PRODUCTS = 12
# Who may request these reports: the people who file intelligence (the manager and the research
# specialist), not every reader. A file holds what its requester was cleared for, so the files are
# private to the requester (``private_files``): holding the permission opens nobody else's file.
REQUEST_PERMISSION = "intel.add_intelreport"


def _requester(params) -> User | None:
    """The person who asked for the report, as they are now (clearance, active, permissions)."""
    pk = params.get("requester")
    if not pk:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not can_view_intel(user=user):
        return None
    return user


def _date(value) -> datetime.date:
    return datetime.date.fromisoformat(value)


class _RangeForm(forms.Form):
    date_from = BoundedDateField(label=gettext_lazy("From"), years_back=10, years_ahead=1)
    date_to = BoundedDateField(label=gettext_lazy("To"), years_back=10, years_ahead=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("date_from", today.replace(month=1, day=1))
            self.initial.setdefault("date_to", today)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", forms.ValidationError(_("The end is before the start."), code="range_order"))
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error(
                    "date_to", forms.ValidationError(_("Choose a period of at most five years."), code="range_too_long")
                )
        # From the logged-in user, never from the posted data: the worker reads their clearance.
        cleaned["requester"] = self.user.pk
        return cleaned


class PriceReportForm(_RangeForm):
    competitor = forms.ModelChoiceField(
        label=gettext_lazy("competitor"),
        queryset=Competitor.objects.none(),
        required=False,
        empty_label=gettext_lazy("All competitors"),
    )
    our_product = forms.ModelChoiceField(
        label=gettext_lazy("our product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=gettext_lazy("All products"),
        help_text=gettext_lazy("Its own prices and those of the competitor products compared with it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["competitor"].queryset = Competitor.objects.filter(is_active=True).order_by("name")
        self.fields["our_product"].queryset = Product.objects.order_by("code")


class _IntelReportType(ReportType):
    permission = REQUEST_PERMISSION
    private_files = True

    def user_may_request(self, user) -> bool:
        return can_view_intel(user=user) and super().user_may_request(user)

    def _period(self, params) -> str:
        return f"{params.get('date_from')}–{params.get('date_to')}"


def _price_queryset(params):
    requester = _requester(params)
    qs = PriceObservation.objects.visible_to(requester).filter(
        is_archived=False, observed_on__gte=_date(params["date_from"]), observed_on__lte=_date(params["date_to"])
    )
    if params.get("competitor"):
        qs = qs.filter(competitor_product__competitor_id=params["competitor"])
    if params.get("our_product"):
        product = params["our_product"]
        qs = qs.filter(Q(our_product_id=product) | Q(competitor_product__our_product_id=product))
    return qs


class _Group:
    __slots__ = ("count", "low", "high", "total", "latest", "latest_on", "row")

    def __init__(self, row):
        self.count, self.total, self.row = 0, Decimal(0), row
        self.low = self.high = self.latest = None
        self.latest_on = None

    def add(self, price, observed_on):
        # Rows come newest first: the first one seen is the latest.
        if self.latest is None:
            self.latest, self.latest_on = price, observed_on
        self.count += 1
        self.total += price
        self.low = price if self.low is None else min(self.low, price)
        self.high = price if self.high is None else max(self.high, price)

    @property
    def average(self) -> Decimal:
        return (self.total / self.count).quantize(Decimal("0.01"))


_PRICE_FIELDS = (
    "competitor_product_id",
    "our_product_id",
    "competitor_product__name",
    "competitor_product__competitor__name",
    "competitor_product__our_product__name",
    "our_product__name",
    "province_id",
    "province__name",
    "currency",
    "price",
    "observed_on",
)


def _price_groups(params, progress=None) -> list[_Group]:
    """Per product × province × currency: count, min, average, max and the latest price (one streamed query)."""
    groups: dict[tuple, _Group] = {}
    rows = _price_queryset(params).order_by("-observed_on", "-pk").values_list(*_PRICE_FIELDS).iterator(chunk_size=2000)
    for index, (
        cp_id,
        ours_id,
        cp_name,
        competitor,
        comparable,
        ours_name,
        prov_id,
        prov,
        currency,
        price,
        on,
    ) in enumerate(rows):
        key = (cp_id, ours_id, prov_id, currency)
        group = groups.get(key)
        if group is None:
            label = [competitor, cp_name, comparable or ""] if cp_id else [_("Our product"), ours_name, ours_name]
            group = groups[key] = _Group([*label, prov, currency])
        group.add(price, on)
        if progress and index % 5000 == 0:
            progress(0.1)
    return sorted(groups.values(), key=lambda g: (g.row[0], g.row[1], g.row[3], g.row[4]))


@register
class PricesByProductProvinceReport(_IntelReportType):
    code = "intel_prices"
    title = gettext_lazy("Prices by product and province")
    description = gettext_lazy(
        "Competitors' and our prices observed in a period: per product and province the number of "
        "observations, lowest, average, highest and latest price. Only what you are cleared to see."
    )
    form_class = PriceReportForm
    order = 60

    def params(self, cleaned_data):
        competitor, product = cleaned_data.get("competitor"), cleaned_data.get("our_product")
        return {
            "requester": cleaned_data["requester"],
            "date_from": cleaned_data["date_from"].isoformat(),
            "date_to": cleaned_data["date_to"].isoformat(),
            "competitor": competitor.pk if competitor else None,
            "our_product": product.pk if product else None,
        }

    def describe(self, params):
        parts = [self._period(params)]
        if params.get("competitor"):
            competitor = Competitor.objects.filter(pk=params["competitor"]).first()
            parts.append(str(competitor or ""))
        if params.get("our_product"):
            product = Product.objects.filter(pk=params["our_product"]).first()
            parts.append(str(product or ""))
        return " · ".join(p for p in parts if p)

    def file_stem(self, params):
        return f"intel-prices-{params.get('date_from')}-{params.get('date_to')}"

    def sheets(self, params):
        return [
            Sheet(
                "summary",
                _("By product and province"),
                [
                    _("competitor"),
                    _("product"),
                    _("comparable product of ours"),
                    _("province"),
                    _("currency"),
                    _("observations"),
                    _("lowest"),
                    _("average"),
                    _("highest"),
                    _("latest price"),
                    _("latest date"),
                ],
                True,
                [14, 20, 16, 10, 7, 8, 10, 10, 10, 10, 12],
            ),
            Sheet(
                "observations",
                _("Observations"),
                [
                    _("date observed"),
                    _("competitor"),
                    _("product"),
                    _("province"),
                    _("city"),
                    _("channel"),
                    _("price"),
                    _("currency"),
                    _("unit"),
                    _("hospital or buyer"),
                    _("source"),
                    _("confidentiality level"),
                ],
                widths=[12, 14, 20, 10, 10, 12, 10, 7, 7, 16, 20, 8],
            ),
        ]

    def rows(self, params, progress):
        for group in _price_groups(params, progress):
            yield (
                "summary",
                [
                    *group.row[:3],
                    group.row[3],
                    group.row[4],
                    group.count,
                    group.low,
                    group.average,
                    group.high,
                    group.latest,
                    group.latest_on,
                ],
            )
        progress(0.5)
        observations = (
            _price_queryset(params)
            .select_related("competitor_product__competitor", "our_product", "province")
            .order_by("-observed_on", "-pk")
            .iterator(chunk_size=2000)
        )
        for price in observations:
            product = price.competitor_product or price.our_product
            competitor = price.competitor_product.competitor if price.competitor_product_id else _("Our product")
            yield (
                "observations",
                [
                    price.observed_on,
                    str(competitor),
                    product.name,
                    str(price.province),
                    price.city,
                    price.get_channel_display(),
                    price.price,
                    price.currency,
                    price.unit,
                    price.institution,
                    price.source,
                    price.get_confidentiality_display(),
                ],
            )

    def chart(self, params):
        """Lowest, average and highest price of the products observed most often (in CNY)."""
        by_product: dict[str, list] = defaultdict(lambda: [0, Decimal(0), None, None])
        for group in _price_groups(params):
            if group.row[4] != "CNY":
                continue
            name = f"{group.row[0]} · {group.row[1]}"
            entry = by_product[name]
            entry[0] += group.count
            entry[1] += group.total
            entry[2] = group.low if entry[2] is None else min(entry[2], group.low)
            entry[3] = group.high if entry[3] is None else max(entry[3], group.high)
        top = sorted(by_product.items(), key=lambda item: (-item[1][0], item[0]))[:CHART_PRODUCTS]
        return {
            "type": "bar",
            "labels": [name for name, _entry in top],
            "datasets": [
                {"label": _("lowest"), "data": [float(e[2]) for _n, e in top]},
                {"label": _("average"), "data": [float(e[1] / e[0]) for _n, e in top]},
                {"label": _("highest"), "data": [float(e[3]) for _n, e in top]},
            ],
        }


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _report_counts(params) -> dict[tuple, int]:
    """(month, kind) → number of live reports the requester may see (one query)."""
    requester = _requester(params)
    rows = (
        IntelReport.objects.live()
        .visible_to(requester)
        .filter(reported_on__gte=_date(params["date_from"]), reported_on__lte=_date(params["date_to"]))
        .annotate(month=TruncMonth("reported_on"))
        .order_by()
        .values_list("month", "kind")
        .annotate(count=Count("pk"))
    )
    result = {}
    for month, kind, count in rows:
        if isinstance(month, datetime.datetime):
            month = month.date()
        result[(month, kind)] = count
    return result


@register
class ReportsByTypeMonthReport(_IntelReportType):
    code = "intel_reports_by_month"
    title = gettext_lazy("Intelligence reports by type and month")
    description = gettext_lazy(
        "How many intelligence reports of each type are dated in each month of a period. Only what "
        "you are cleared to see is counted."
    )
    form_class = _RangeForm
    order = 61

    def params(self, cleaned_data):
        return {
            "requester": cleaned_data["requester"],
            "date_from": cleaned_data["date_from"].isoformat(),
            "date_to": cleaned_data["date_to"].isoformat(),
        }

    def describe(self, params):
        return self._period(params)

    def file_stem(self, params):
        return f"intel-reports-{params.get('date_from')}-{params.get('date_to')}"

    def sheets(self, params):
        kinds = [label for _value, label in IntelReport.Kind.choices]
        return [
            Sheet(
                "months",
                _("By month"),
                [_("month"), *kinds, _("Total")],
                True,
                [10, *[10] * len(kinds), 8],
            )
        ]

    def rows(self, params, progress):
        counts = _report_counts(params)
        progress(0.5)
        kinds = IntelReport.Kind.values
        totals = defaultdict(int)
        for month in _months(_date(params["date_from"]), _date(params["date_to"])):
            values = [counts.get((month, kind), 0) for kind in kinds]
            for kind, value in zip(kinds, values, strict=True):
                totals[kind] += value
            yield "months", [f"{month:%Y-%m}", *values, sum(values)]
        yield "months", [_("Total"), *[totals[kind] for kind in kinds], sum(totals.values())]

    def chart(self, params):
        counts = _report_counts(params)
        months = _months(_date(params["date_from"]), _date(params["date_to"]))
        return {
            "type": "bar",
            "stacked": True,
            "labels": [f"{month:%Y-%m}" for month in months],
            "datasets": [
                {"label": str(label), "data": [counts.get((month, kind), 0) for month in months]}
                for kind, label in IntelReport.Kind.choices
            ],
        }
