"""The core paginator with a count the caller already has, as the price list uses it, and the list's
capped count and totals (R-INTEL-05).

``apps.core.pagination.paginate(request, queryset, per_page=None, *, count=None)``: without ``count``
it counts as before; with it, no ``COUNT`` query runs and no page past ``count`` rows is offered.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.core.models import AccessLog
from apps.core.pagination import paginate
from apps.intel.models import PriceObservation
from apps.intel.selectors.prices import price_observation_list_visible_to, price_totals
from apps.intel.views import prices as price_views
from tests.clock import WORKING_MORNING
from tests.intel import factories_prices as fp
from tests.intel.factories_prices import CONFIDENTIAL, INTERNAL, PriceObservationFactory

reader = fp.reader
secret_reader = fp.secret_reader

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

LIST = "/intel/prices/"


def _request(page=None):
    return RequestFactory().get("/", {"page": page} if page else {})


@pytest.fixture
def observations(db):
    PriceObservationFactory.create_batch(5)
    return PriceObservation.objects.order_by("pk")


def test_paginate_counts_by_itself_without_a_count(observations):
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(_request(2), observations, 2)
        assert len(page.object_list) == 2
    assert len(ctx.captured_queries) == 2 and '"__count"' in ctx.captured_queries[0]["sql"]  # count, then the page
    assert page.paginator.count == 5 and page.paginator.num_pages == 3


def test_paginate_with_a_known_count_runs_no_count_query(observations):
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(_request(2), observations, 2, count=5)
        rows = list(page.object_list)
    assert [query["sql"] for query in ctx.captured_queries if '"__count"' in query["sql"]] == []
    assert len(ctx.captured_queries) == 1
    assert [row.pk for row in rows] == [row.pk for row in observations[2:4]]
    assert page.paginator.count == 5 and page.paginator.num_pages == 3


def test_paginate_with_a_capped_count_offers_no_page_past_it(observations):
    # Counted only up to 3 (a cap): two pages of two, a page number past them gives the last one.
    page = paginate(_request(9), observations, 2, count=3)
    assert page.paginator.num_pages == 2 and page.number == 2
    assert len(page.object_list) == 1
    assert paginate(_request("x"), observations, 2, count=3).number == 1  # a bad number: the first page
    assert paginate(_request(), observations, 2, count=-1).paginator.count == 0


def test_r_intel_05_price_list_counts_from_its_totals(secret_reader, client_for):
    PriceObservationFactory.create_batch(3, confidentiality=INTERNAL)
    PriceObservationFactory.create_batch(2, confidentiality=CONFIDENTIAL)
    client = client_for(secret_reader)
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 5
    # One aggregate gives the totals and the count: no count of the paginator's own (``... AS "__count"``).
    assert [query["sql"] for query in ctx.captured_queries if '"__count"' in query["sql"]] == []


# ---------------------------------------------------------------------------------------------
# The list counts and totals up to a cap


def test_r_intel_05_totals_exact_up_to_the_cap(secret_reader, django_assert_num_queries):
    for price, currency in (("10", "CNY"), ("30", "CNY"), ("5", "USD")):
        PriceObservationFactory(price=Decimal(price), currency=currency)
    queryset = price_observation_list_visible_to(user=secret_reader)
    with django_assert_num_queries(1):
        totals = price_totals(queryset=queryset, cap=3)
    assert (totals.count, totals.capped) == (3, False)
    assert [(row["currency"], row["count"], row["low"], row["average"], row["high"]) for row in totals.rows] == [
        ("CNY", 2, Decimal("10.00"), Decimal("20"), Decimal("30.00")),
        ("USD", 1, Decimal("5.00"), Decimal("5"), Decimal("5.00")),
    ]
    assert price_totals(queryset=queryset).count == 3  # no cap: everything counted


def test_r_intel_05_totals_above_the_cap_give_only_more_than(secret_reader):
    PriceObservationFactory.create_batch(4)
    queryset = price_observation_list_visible_to(user=secret_reader)
    with CaptureQueriesContext(connection) as ctx:
        totals = price_totals(queryset=queryset, cap=3)
    assert (totals.rows, totals.count, totals.capped) == ([], 3, True)
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"]  # reads no more than the cap and one


def test_r_intel_05_list_above_the_cap_says_more_than_and_hides_partial_totals(
    secret_reader, reader, client_for, monkeypatch
):
    monkeypatch.setattr(price_views, "TOTALS_MAX_ROWS", 3)
    PriceObservationFactory.create_batch(3, confidentiality=INTERNAL)
    PriceObservationFactory.create_batch(2, confidentiality=CONFIDENTIAL)
    # The internal reader sees 3: exact count and totals.
    low = client_for(reader).get(LIST)
    assert low.context["totals_capped"] is False and low.context["page_obj"].paginator.count == 3
    assert low.context["totals"][0]["count"] == 3 and 'data-testid="price-total"' in low.content.decode()
    # The secret reader sees 5, above the cap: "more than 3", no totals, still every row of the page.
    high = client_for(secret_reader).get(LIST)
    assert high.context["totals_capped"] is True and high.context["totals"] == []
    assert high.context["page_obj"].paginator.count == 3
    html = high.content.decode()
    assert 'data-testid="price-total"' not in html and 'data-testid="price-count"' in html
    # The confidential rows shown are still logged.
    assert AccessLog.objects.filter(user=secret_reader).count() == 2
