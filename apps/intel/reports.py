"""Intelligence reports of the report center: prices by product and province, and intelligence
reports by type and month.

Both are limited to the REQUESTER's clearance. The file is built by the Celery worker, which has no
request and no user of its own, so the form writes the requester's id into the parameters
(``requester``, taken from the logged-in user, never from the posted data) and the build reads
that person's clearance and permission from the database when it runs: a person whose clearance
was lowered meanwhile gets the lower level's figures. The report center reads that clearance once
per file (``file_clearance``), records it on the job and refuses the file to anyone whose clearance
later falls below it. Text cells are sanitized by the report center's writers like every other
report.

Building a price file logs an EXPORT access entry, for the requester, of every confidential or
secret observation written into it (R-INTEL-03).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import connection
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.forms import BoundedDateField
from apps.core.models import LOGGED_LEVEL, AccessLog
from apps.org.models import Product
from apps.reports.registry import BUILT_CLEARANCE, ReportType, Sheet, register

from .models import Competitor, CompetitorProduct, IntelReport, PriceObservation
from .permissions import can_view_intel
from .selectors.prices import Latest
from .services.prices import price_aggregate_record_read, price_observations_record_reads

# Longest period a report covers (days): keeps a file and its chart readable.
MAX_RANGE_DAYS = 5 * 366
CHART_PRODUCTS = 12
# Who may request these reports: the people who file intelligence (the manager and the research
# specialist), not every reader. A file holds what its requester was cleared for, so the files are
# private to the requester (``private_files``): holding the permission opens nobody else's file.
REQUEST_PERMISSION = "intel.add_intelreport"
# Export entries are written with one insert per this many classified observations: a file of
# 100,000 prices holds at most this many in memory, whatever its size.
EXPORT_LOG_CHUNK = 2000


def _requester(params) -> User | None:
    """The person who asked for the report, as they are now (clearance, active, permissions)."""
    pk = params.get("requester")
    if not pk:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not can_view_intel(user=user):
        return None
    if BUILT_CLEARANCE in params:
        # The report center read the clearance once for this file and recorded it on the job; a
        # clearance lowered since then lowers the content further, it never raises it.
        user.clearance = min(user.clearance, params[BUILT_CLEARANCE])
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

    def file_clearance(self, *, requester) -> int:
        return requester.clearance

    def _period(self, params) -> str:
        return f"{params.get('date_from')}–{params.get('date_to')}"


def _price_queryset(params, requester: User | None):
    qs = PriceObservation.objects.visible_to(requester).filter(
        is_archived=False, observed_on__gte=_date(params["date_from"]), observed_on__lte=_date(params["date_to"])
    )
    if params.get("competitor"):
        qs = qs.filter(competitor_product__competitor_id=params["competitor"])
    if params.get("our_product"):
        product = params["our_product"]
        qs = qs.filter(Q(our_product_id=product) | Q(competitor_product__our_product_id=product))
    return qs


@dataclass(frozen=True)
class _Group:
    """One product × province × currency of the price report, as the database aggregated it."""

    key: tuple
    # competitor, product, comparable product of ours, province, currency
    row: list
    count: int
    low: Decimal
    high: Decimal
    total: Decimal
    latest: Decimal
    latest_on: datetime.date
    # How many confidential or secret prices went into the figures, and the highest level among them.
    classified: int = 0
    top_level: int | None = None

    @property
    def average(self) -> Decimal:
        # From the exact sum rather than the database's AVG, whose precision differs between
        # PostgreSQL and SQLite; the chart weighs products by the same sum.
        return (self.total / self.count).quantize(Decimal("0.01"))


def _latest_price(observations):
    """The price of the group's newest observation (by date, then id)."""
    if connection.vendor == "postgresql":
        return Latest()
    # SQLite (``make run``) has no ordered ARRAY_AGG: one correlated subquery per group. Exactly one
    # of the two products is set, so the OR matches the group's own product and nothing else.
    newest = observations.filter(
        Q(competitor_product_id=OuterRef("competitor_product_id")) | Q(our_product_id=OuterRef("our_product_id")),
        province_id=OuterRef("province_id"),
        currency=OuterRef("currency"),
    ).order_by("-observed_on", "-pk")
    return Subquery(newest.values("price")[:1])


def _price_groups(params, requester: User | None) -> list[_Group]:
    """Per product × province × currency: count, lowest, sum, highest and latest price (one aggregate query).

    Only the groups leave the database, so the cost in Python follows the products and provinces
    observed, not the number of prices. Sorted as the report lists them: competitor, product,
    province, currency (in Python, where the translated "Our product" sorts among the names as
    it always has; the newest group first among equals).
    """
    observations = _price_queryset(params, requester)
    aggregated = (
        observations.order_by()
        .values("competitor_product_id", "our_product_id", "province_id", "currency")
        .annotate(
            competitor_name=F("competitor_product__competitor__name"),
            product_name=F("competitor_product__name"),
            comparable_name=F("competitor_product__our_product__name"),
            ours_name=F("our_product__name"),
            province_name=F("province__name"),
            observations=Count("pk"),
            low=Min("price"),
            high=Max("price"),
            total=Sum("price"),
            latest=_latest_price(observations),
            latest_on=Max("observed_on"),
            classified=Count("pk", filter=Q(confidentiality__gte=LOGGED_LEVEL)),
            top_level=Max("confidentiality"),
        )
    )
    groups = []
    for values in aggregated:
        if values["competitor_product_id"]:
            label = [values["competitor_name"], values["product_name"], values["comparable_name"] or ""]
        else:
            label = [_("Our product"), values["ours_name"], values["ours_name"]]
        groups.append(
            _Group(
                key=(values["competitor_product_id"] or 0, values["our_product_id"] or 0, values["province_id"]),
                row=[*label, values["province_name"], values["currency"]],
                count=values["observations"],
                low=values["low"],
                high=values["high"],
                total=values["total"],
                latest=values["latest"],
                latest_on=values["latest_on"],
                classified=values["classified"],
                top_level=values["top_level"],
            )
        )
    return sorted(
        groups,
        key=lambda g: (g.row[0], g.row[1], g.row[3], g.row[4], -g.latest_on.toordinal(), g.key),
    )


class _ExportLog:
    """EXPORT access entries for the classified observations written into a file, attributed to
    the requester: one insert per ``EXPORT_LOG_CHUNK`` observations, so memory stays flat."""

    def __init__(self, requester: User | None):
        self.requester = requester
        self.pending: list[PriceObservation] = []
        self.written = 0

    def add(self, observation: PriceObservation) -> None:
        if observation.confidentiality < LOGGED_LEVEL:
            return
        self.pending.append(observation)
        if len(self.pending) >= EXPORT_LOG_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            # The service refuses, as every read does, an observation above the requester's clearance.
            self.written += price_observations_record_reads(
                user=self.requester, observations=self.pending, action=AccessLog.Action.EXPORT
            )
            self.pending = []


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
        requester = _requester(params)
        for group in _price_groups(params, requester):
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
            _price_queryset(params, requester)
            .select_related("competitor_product__competitor", "our_product", "province")
            .order_by("-observed_on", "-pk")
            .iterator(chunk_size=2000)
        )
        # Every observation of the summary is also a row of this sheet (the PDF reads it too, to
        # reach the end): logging here covers each item whose data went into the file, once.
        export_log = _ExportLog(requester)
        for price in observations:
            export_log.add(price)
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
        export_log.flush()

    def chart(self, params):
        """Lowest, average and highest price of the products observed most often (in CNY).

        The chart shows figures aggregated over the requester's prices, and a lowest or highest can
        be a single confidential price: one VIEW entry per product shown whose figures include
        confidential or secret prices, as the product's own price chart logs its read.
        """
        by_product: dict[str, list] = defaultdict(lambda: [0, Decimal(0), None, None, 0, None, None])
        for group in _price_groups(params, requester := _requester(params)):
            if group.row[4] != "CNY":
                continue
            name = f"{group.row[0]} · {group.row[1]}"
            entry = by_product[name]
            entry[0] += group.count
            entry[1] += group.total
            entry[2] = group.low if entry[2] is None else min(entry[2], group.low)
            entry[3] = group.high if entry[3] is None else max(entry[3], group.high)
            if group.classified:
                entry[4] += group.classified
                entry[5] = max(entry[5] or 0, group.top_level)
            entry[6] = group.key[:2]
        top = sorted(by_product.items(), key=lambda item: (-item[1][0], item[0]))[:CHART_PRODUCTS]
        _chart_record_reads(requester, [entry for _name, entry in top])
        return {
            "type": "bar",
            "labels": [name for name, _entry in top],
            "datasets": [
                {"label": _("lowest"), "data": [float(e[2]) for _n, e in top]},
                {"label": _("average"), "data": [float(e[1] / e[0]) for _n, e in top]},
                {"label": _("highest"), "data": [float(e[3]) for _n, e in top]},
            ],
        }


def _chart_record_reads(requester: User | None, entries: list) -> None:
    """One VIEW entry per charted product whose figures include classified prices (two queries at most)."""
    logged = [entry for entry in entries if entry[4]]
    if requester is None or not logged:
        return
    competitor_ids = {entry[6][0] for entry in logged if entry[6][0]}
    our_ids = {entry[6][1] for entry in logged if not entry[6][0]}
    items = {("c", p.pk): p for p in CompetitorProduct.objects.filter(pk__in=competitor_ids)}
    items |= {("o", p.pk): p for p in Product.objects.filter(pk__in=our_ids)}
    for entry in logged:
        competitor_id, our_id = entry[6]
        item = items.get(("c", competitor_id) if competitor_id else ("o", our_id))
        if item is not None:
            price_aggregate_record_read(user=requester, item=item, classified=entry[4], level=entry[5])


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
        # No EXPORT entries: the file holds only the number of reports per type and month, no
        # title, body, source or attachment of any report, so no item is read. Logging every
        # counted report would fill the access log with reads that never happened and hide the
        # real ones; the counts stay within the requester's clearance like everything else.
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
