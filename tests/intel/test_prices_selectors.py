"""Selectors of the price area (R-INTEL-01, R-INTEL-03): every read within the reader's clearance."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from apps.intel.selectors.prices import (
    price_chart,
    price_comparison,
    price_comparison_chart,
    price_observation_get,
    price_observation_list_visible_to,
)
from tests.clock import at_working_morning
from tests.intel import factories_prices as fp
from tests.intel.factories_prices import (
    CONFIDENTIAL,
    INTERNAL,
    PUBLIC,
    SECRET,
    PriceCompetitorProductFactory,
    PriceObservationFactory,
    province,
)

our_product = fp.our_product
reader = fp.reader
secret_reader = fp.secret_reader

pytestmark = [pytest.mark.django_db, at_working_morning]


def test_r_intel_03_list_visible_to_by_clearance(reader, secret_reader, our_product, django_assert_num_queries):
    levels = {
        level: PriceObservationFactory(confidentiality=level) for level in (PUBLIC, INTERNAL, CONFIDENTIAL, SECRET)
    }
    PriceObservationFactory(is_archived=True)
    ours = PriceObservationFactory(competitor_product=None, our_product=our_product)
    low = set(price_observation_list_visible_to(user=reader).values_list("pk", flat=True))
    high = set(price_observation_list_visible_to(user=secret_reader).values_list("pk", flat=True))
    assert low == {levels[PUBLIC].pk, levels[INTERNAL].pk, ours.pk}
    assert high == {item.pk for item in levels.values()} | {ours.pk}
    with django_assert_num_queries(1):
        shown = [
            (
                str(item.competitor_product.competitor) if item.competitor_product else "",
                str(item.our_product or ""),
                str(item.province),
            )
            for item in price_observation_list_visible_to(user=secret_reader)
        ]
    assert len(shown) == 5


def test_r_intel_03_get_gives_404_above_clearance_or_archived(reader, secret_reader):
    secret = PriceObservationFactory(confidentiality=SECRET)
    archived = PriceObservationFactory(is_archived=True)
    assert price_observation_get(user=secret_reader, pk=secret.pk) == secret
    with pytest.raises(Http404):
        price_observation_get(user=reader, pk=secret.pk)
    with pytest.raises(Http404):
        price_observation_get(user=secret_reader, pk=archived.pk)


def test_r_intel_03_chart_of_one_product_by_clearance(reader, secret_reader):
    product = PriceCompetitorProductFactory()
    for day, level, price in ((3, INTERNAL, "30"), (1, INTERNAL, "10"), (2, SECRET, "90")):
        PriceObservationFactory(
            competitor_product=product,
            observed_on=datetime.date(2026, 11, day),
            confidentiality=level,
            price=Decimal(price),
        )
    PriceObservationFactory(price=Decimal("500"))  # another product
    low = price_chart(user=reader, product=product)
    assert [(g["month"], g["count"], g["low"], g["median"], g["high"]) for g in low.groups] == [
        (datetime.date(2026, 11, 1), 2, Decimal("10"), Decimal("20"), Decimal("30"))
    ]
    assert (low.classified, low.level) == (0, None)
    high = price_chart(user=secret_reader, product=product)
    assert [(g["count"], g["median"], g["high"]) for g in high.groups] == [(3, Decimal("30"), Decimal("90"))]
    assert (high.classified, high.level) == (1, SECRET)


def test_r_intel_01_comparison_in_two_queries_with_median_and_latest(
    our_product, secret_reader, reader, django_assert_num_queries
):
    rival = PriceCompetitorProductFactory(our_product=our_product)
    PriceCompetitorProductFactory(our_product=our_product)  # comparable, never observed: an empty column
    guangdong = province("440000")
    for price, day, level in (("25", 1, INTERNAL), ("27", 1, INTERNAL), ("40", 2, SECRET)):
        PriceObservationFactory(
            competitor_product=rival,
            price=Decimal(price),
            province=guangdong,
            observed_on=datetime.date(2026, 11, day),
            confidentiality=level,
        )
    with django_assert_num_queries(2):
        low = price_comparison(user=reader, product=our_product)
    assert len(low["columns"]) == 3 and len(low["rows"]) == 1
    keys = [column["key"] for column in low["columns"]]
    assert keys[0] == "ours"  # ours first, then the comparable products
    position = keys.index(rival.pk)
    cell = low["rows"][0]["cells"][position]
    assert (cell["count"], cell["median"], cell["latest"]) == (2, Decimal("26"), Decimal("27"))
    assert [cell is None for cell in low["rows"][0]["cells"]].count(True) == 2
    high = price_comparison(user=secret_reader, product=our_product)["rows"][0]["cells"][position]
    assert (high["count"], high["median"], high["latest"]) == (3, Decimal("27"), Decimal("40"))
    chart = price_comparison_chart(comparison=low)
    assert chart["labels"] == ["广东省"]
    assert [dataset["data"] for dataset in chart["datasets"]][position] == [26.0]
    assert sum(dataset["data"] == [None] for dataset in chart["datasets"]) == 2


def test_r_intel_01_chart_endpoint_exact_queries(reader, client_for, django_assert_num_queries):
    product = PriceCompetitorProductFactory()
    PriceObservationFactory.create_batch(3, competitor_product=product)
    client = client_for(reader)
    url = reverse("intel:product_price_chart", args=[product.pk])
    client.get(url)
    # Session, user, the product, the observations (with province): a hot endpoint every product page calls.
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
