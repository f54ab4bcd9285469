"""The price report's summary is grouped by the database (issue 9): the figures per product ×
province × currency, the order of the rows, and one query whatever the number of groups."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.intel.reports import _price_groups
from apps.reports.registry import report_type
from tests.clock import at_working_morning
from tests.factories import ProductFactory

from .factories_follows import CompetitorProductFactory, PriceFactory, province, reader

pytestmark = [pytest.mark.django_db, at_working_morning]

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-11-30"}
D = datetime.date


@pytest.fixture
def analyst():
    return reader(clearance=Level.INTERNAL, roles=[RoleName.RESEARCH, RoleName.STAFF])


@pytest.fixture
def market():
    """Five groups: a competitor product in two provinces and two currencies, a second competitor's
    product, and our own product; plus prices that must stay out (secret, archived, out of period)."""
    ours = ProductFactory(name="我们的仪器")
    a = CompetitorProductFactory(name="A仪器", competitor__name="A对手", our_product=ours)
    b = CompetitorProductFactory(name="B试剂", competitor__name="B对手")
    gd, bj = province("440000"), province("110000")

    def price(product, where, amount, on, **extra):
        if product is ours:
            extra.update(competitor_product=None, our_product=ours)
        else:
            extra["competitor_product"] = product
        return PriceFactory(province=where, price=Decimal(amount), observed_on=on, **extra)

    price(a, gd, "100", D(2026, 3, 1))
    price(a, gd, "130", D(2026, 4, 1))
    price(a, gd, "90", D(2026, 4, 1))  # same day as 130, saved later: the latest
    price(a, gd, "999", D(2026, 5, 1), confidentiality=Level.SECRET)
    price(a, gd, "1", D(2026, 5, 2), is_archived=True)
    price(a, gd, "2", D(2025, 12, 31))
    price(a, bj, "200", D(2026, 2, 1))
    price(a, gd, "15.50", D(2026, 5, 1), currency="USD")
    price(a, gd, "14.50", D(2026, 6, 1), currency="USD")
    price(b, gd, "50", D(2026, 1, 10))
    price(b, gd, "70", D(2026, 2, 10))
    price(ours, gd, "320", D(2026, 3, 2))
    price(ours, gd, "300", D(2026, 3, 3))
    return ours, gd, bj


def _summary(requester) -> list[list]:
    rows = report_type("intel_prices").rows({**PERIOD, "requester": requester.pk}, lambda share: None)
    return [row for sheet, row in rows if sheet == "summary"]


def test_r_intel_03_several_groups_give_the_figures_of_each(analyst, market):
    _ours, gd, bj = market
    assert _summary(analyst) == [
        # competitor, product, ours, province, currency, count, lowest, average, highest, latest, latest date
        ["A对手", "A仪器", "我们的仪器", bj.name, "CNY", 1, 200, 200, 200, 200, D(2026, 2, 1)],
        ["A对手", "A仪器", "我们的仪器", gd.name, "CNY", 3, 90, Decimal("106.67"), 130, 90, D(2026, 4, 1)],
        [
            "A对手",
            "A仪器",
            "我们的仪器",
            gd.name,
            "USD",
            2,
            Decimal("14.5"),
            15,
            Decimal("15.5"),
            Decimal("14.5"),
            D(2026, 6, 1),
        ],
        ["B对手", "B试剂", "", gd.name, "CNY", 2, 50, 60, 70, 70, D(2026, 2, 10)],
        [gettext("Our product"), "我们的仪器", "我们的仪器", gd.name, "CNY", 2, 300, 310, 320, 300, D(2026, 3, 3)],
    ]


def test_r_intel_03_a_secret_price_enters_its_group_only_for_a_secret_requester(market):
    secret = reader(clearance=Level.SECRET, roles=[RoleName.RESEARCH, RoleName.STAFF])
    row = _summary(secret)[1]
    assert row[5:] == [4, 90, Decimal("329.75"), 999, 999, D(2026, 5, 1)]


def test_the_summary_is_one_query_whatever_the_number_of_groups(analyst, market, django_assert_num_queries):
    params = {**PERIOD, "requester": analyst.pk}
    with django_assert_num_queries(1) as captured:
        assert len(_price_groups(params, analyst)) == 5
    # Grouped by the database: only the five groups come back, not the eleven prices.
    assert "GROUP BY" in captured.captured_queries[0]["sql"]
    for number in range(25):
        PriceFactory(observed_on=D(2026, 7, 1), price=Decimal(10 + number))
    with django_assert_num_queries(1):
        assert len(_price_groups(params, analyst)) == 30


def test_the_chart_sums_the_groups_of_a_product(analyst, market):
    chart = report_type("intel_prices").chart({**PERIOD, "requester": analyst.pk})
    figures = {
        label: [dataset["data"][index] for dataset in chart["datasets"]] for index, label in enumerate(chart["labels"])
    }
    # CNY only; A仪器 over both provinces: 4 prices of 520 in all.
    assert figures["A对手 · A仪器"] == [90.0, 130.0, 200.0]
    assert figures["B对手 · B试剂"] == [50.0, 60.0, 70.0]
    assert chart["labels"][0] == "A对手 · A仪器"
