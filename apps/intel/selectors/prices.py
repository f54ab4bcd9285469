"""Reads of price observations, always within the reader's clearance (R-INTEL-01, R-INTEL-03)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DecimalField, F, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from apps.core.models import LOGGED_LEVEL, localized
from apps.core.selectors import classified_get
from apps.org.models import Product

from ..models import CompetitorProduct, PriceObservation


def price_observation_list_visible_to(*, user) -> QuerySet[PriceObservation]:
    """Return the live observations ``user`` is cleared for, with what a list shows of each."""
    return (
        PriceObservation.objects.visible_to(user)
        .filter(is_archived=False)
        .select_related("competitor_product__competitor", "our_product", "province")
    )


def price_observation_get(*, user, pk) -> PriceObservation:
    """Return one live observation ``user`` is cleared for; 404 when it is not, is archived or does not exist."""
    return classified_get(user=user, queryset=price_observation_list_visible_to(user=user), pk=pk)


@dataclass(frozen=True)
class PriceTotals:
    """Count, lowest, average and highest price per currency of a list, or only "more than ``count``".

    ``rows``: dicts of ``currency``, ``count``, ``low``, ``average``, ``high`` (empty when capped).
    ``count``: the number of rows, or the cap when there are more (``capped``).
    """

    rows: list[dict]
    count: int
    capped: bool


def price_totals(*, queryset: QuerySet[PriceObservation], cap: int | None = None) -> PriceTotals:
    """Return the totals per currency of ``queryset`` (already scoped), reading at most ``cap + 1`` rows.

    One query. With a cap, the aggregate runs over the first ``cap + 1`` matching rows only, so an
    unfiltered list of half a million prices costs what ten thousand do; when more than ``cap``
    rows match, the figures would cover part of the list and are not returned (``capped``).
    """
    rows_of = queryset.order_by().values("currency", "price")
    if cap is None:
        inner_sql, params = rows_of.query.sql_with_params()
    else:
        inner_sql, params = rows_of[: cap + 1].query.sql_with_params()
    # Grouping the rows of a LIMITed subquery has no ORM form (``pk__in`` of it would fetch every row
    # twice). Only the ORM's own compiled SQL is put in; every value stays a parameter.
    sql = (
        "SELECT rows.currency, COUNT(*), MIN(rows.price), AVG(rows.price), MAX(rows.price) "  # noqa: S608
        f"FROM ({inner_sql}) AS rows GROUP BY rows.currency ORDER BY rows.currency"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            {"currency": currency, "count": count, "low": low, "average": average, "high": high}
            for currency, count, low, average, high in cursor.fetchall()
        ]
    count = sum(row["count"] for row in rows)
    if cap is not None and count > cap:
        return PriceTotals(rows=[], count=cap, capped=True)
    return PriceTotals(rows=rows, count=count, capped=False)


def competitor_product_get(*, pk) -> CompetitorProduct:
    """Return a competitor product (not classified itself); 404 when it does not exist."""
    return get_object_or_404(CompetitorProduct.objects.select_related("competitor"), pk=pk)


@dataclass(frozen=True)
class PriceChart:
    """A competitor product's price history as the reader may see it, one group per month and series.

    ``groups``: dicts of ``month`` (first day), ``channel``, ``currency``, ``unit``, ``count``,
    ``low``, ``median`` (the average off PostgreSQL) and ``high``, oldest month first.
    ``classified``: how many confidential or secret prices went into the groups; ``level``: the
    highest of their levels (None when there were none). The read is logged from these two.
    """

    groups: list[dict]
    classified: int
    level: int | None

    @property
    def count(self) -> int:
        return sum(group["count"] for group in self.groups)


def price_chart(*, user, product: CompetitorProduct) -> PriceChart:
    """Return the monthly price summary of ``product`` over the live observations ``user`` may see.

    One aggregate query: nothing but the summary leaves the database, so the size of the answer
    (and its cost in Python) depends on the months and channels observed, not on the number of
    prices. A price above the reader's clearance never enters a group.
    """
    postgres = connection.vendor == "postgresql"
    rows = (
        PriceObservation.objects.visible_to(user)
        .filter(is_archived=False, competitor_product=product)
        .order_by()
        .annotate(month=TruncMonth("observed_on"))
        .values("month", "channel", "currency", "unit")
        .annotate(
            # Only columns an index can carry (no "id"), so a covering index can answer alone.
            count=Count("*"),
            low=Min("price"),
            median=Median("price") if postgres else Avg("price"),
            high=Max("price"),
            classified=Count("confidentiality", filter=Q(confidentiality__gte=LOGGED_LEVEL)),
            top_level=Max("confidentiality"),
        )
        .order_by("month", "channel", "currency", "unit")
    )
    groups, classified, level = [], 0, None
    for row in rows:
        if row["classified"]:
            classified += row["classified"]
            level = max(level or 0, row["top_level"])
        groups.append(
            {key: row[key] for key in ("month", "channel", "currency", "unit", "count", "low", "median", "high")}
        )
    return PriceChart(groups=groups, classified=classified, level=level)


class Median(Aggregate):
    """The median (PostgreSQL's ``percentile_cont``); other databases get the average."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DecimalField(max_digits=12, decimal_places=2)


class Latest(Aggregate):
    """The price of the newest observation in the group (PostgreSQL)."""

    name = "latest"
    output_field = DecimalField(max_digits=12, decimal_places=2)

    def __init__(self, **extra):
        super().__init__(F("price"), F("observed_on"), F("id"), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        # The first three are price, date and id; an aggregate's filter and ordering slots follow (unused).
        for expression in self.get_source_expressions()[:3]:
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        price, observed_on, pk = parts
        return f"(ARRAY_AGG({price} ORDER BY {observed_on} DESC, {pk} DESC))[1]", params


def price_comparison(*, user, product: Product) -> dict:
    """Compare ``product``'s observed prices with its competitor products', province by province.

    One aggregate query over the observations ``user`` may see: per province and per product
    (ours or a competitor product whose comparable product is ``product``), the count, lowest,
    median, highest and newest price. Return ``{"columns": [...], "rows": [...]}``; each row is a
    province with one cell per column (None where nothing was observed).
    """
    competitor_products = list(
        CompetitorProduct.objects.filter(our_product=product)
        .select_related("competitor")
        .order_by("competitor__name", "name")
    )
    postgres = connection.vendor == "postgresql"
    aggregates = {
        "count": Count("id"),
        "low": Min("price"),
        "median": Median("price") if postgres else Avg("price"),
        "high": Max("price"),
        "last_on": Max("observed_on"),
    }
    if postgres:
        aggregates["latest"] = Latest()
    groups = (
        price_observation_list_visible_to(user=user)
        .filter(Q(our_product=product) | Q(competitor_product__our_product=product))
        .order_by()
        .values("province_id", "competitor_product_id", "currency")
        .annotate(
            province_name=F("province__name"),
            province_name_en=F("province__name_en"),
            province_order=F("province__sort_order"),
            **aggregates,
        )
    )
    columns = [{"key": "ours", "label": product.name, "ours": True, "product": product}]
    columns += [
        {"key": item.pk, "label": f"{item.competitor} · {item.name}", "ours": False, "product": item}
        for item in competitor_products
    ]
    index = {column["key"]: position for position, column in enumerate(columns)}
    provinces: dict[tuple, dict] = {}
    for group in groups:
        key = group["competitor_product_id"] or "ours"
        if key not in index:
            continue
        row_key = (group["province_order"], group["province_id"], group["currency"])
        row = provinces.setdefault(
            row_key,
            {
                "province": _ProvinceName(group["province_name"], group["province_name_en"]),
                "currency": group["currency"],
                "cells": [None] * len(columns),
            },
        )
        group.setdefault("latest", None)
        row["cells"][index[key]] = group
    rows = [provinces[key] for key in sorted(provinces)]
    return {"columns": columns, "rows": rows}


class _ProvinceName:
    """A province's name in the active language, from the aggregate's values (no query)."""

    def __init__(self, name: str, name_en: str):
        self.name = name
        self.name_en = name_en

    def __str__(self):
        return localized(self, "name")


def price_comparison_chart(*, comparison: dict) -> dict:
    """Return the grouped bar chart of a comparison: one bar per product, the median per province."""
    labels = [
        str(row["province"]) if row["currency"] == "CNY" else f"{row['province']} · {row['currency']}"
        for row in comparison["rows"]
    ]
    datasets = []
    for position, column in enumerate(comparison["columns"]):
        data = []
        for row in comparison["rows"]:
            cell = row["cells"][position]
            data.append(float(cell["median"]) if cell and cell["median"] is not None else None)
        datasets.append({"label": str(column["label"]), "data": data})
    return {"labels": labels, "datasets": datasets}
