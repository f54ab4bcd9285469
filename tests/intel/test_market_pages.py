"""Query counts of the market pages: exact on the battlecard, flat on the lists inside the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.intel.services.market import battlecard_save
from tests.clock import WORKING_MORNING
from tests.intel.factories_market import (
    CONFIDENTIAL,
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
    PriceObservationFactory,
    battlecard_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(competitor, n):
    for _ in range(n):
        product = CompetitorProductFactory(competitor=competitor)
        PriceObservationFactory(competitor_product=product)
        IntelReportFactory(competitors=[competitor], products=[product])


def test_battlecard_exact_query_count(client_for, manager, django_assert_num_queries):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, level=CONFIDENTIAL, reviewed_on=WORKING_MORNING.date())
    _fill(competitor, 3)
    client = client_for(manager)
    url = reverse("intel:battlecard_detail", args=[competitor.pk])
    client.get(url)
    # Session, user, the card, its access-log row (content type cached), moves, prices.
    with django_assert_num_queries(6):
        client.get(url)


@pytest.mark.parametrize("url_name", ["intel:competitor_detail", "intel:battlecard_detail"])
def test_competitor_pages_do_not_grow_with_products_reports_and_prices(client_for, manager, url_name):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager)
    competitor.strong_provinces.set([1, 2])
    client = client_for(manager)
    url = reverse(url_name, args=[competitor.pk])
    _fill(competitor, 2)
    client.get(url)
    with_two = _queries(client, url)
    _fill(competitor, 28)
    client.get(url)
    assert _queries(client, url) == with_two


def test_battlecard_history_does_not_grow_with_versions(client_for, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager)
    client = client_for(manager)
    url = reverse("intel:battlecard_history", args=[competitor.pk])

    def save(n):
        for i in range(n):
            battlecard_save(user=manager, competitor=competitor, strengths=f"优势{i}", weaknesses="b", responses="c")

    save(1)
    client.get(url)
    with_two = _queries(client, url)
    save(28)
    client.get(url)
    assert _queries(client, url) == with_two


def test_product_page_does_not_grow_with_specs_and_reports(client_for, staff):
    product = CompetitorProductFactory()
    client = client_for(staff)
    url = reverse("intel:product_detail", args=[product.pk])

    def fill(start, n):
        for i in range(start, start + n):
            product.specs.create(key=f"规格{i}", value="v")
            IntelReportFactory(products=[product])

    fill(0, 2)
    client.get(url)
    with_two = _queries(client, url)
    fill(2, 28)
    client.get(url)
    assert _queries(client, url) == with_two
