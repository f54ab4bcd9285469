"""The price-history chart of a competitor product (R-INTEL-01, R-INTEL-03): monthly aggregates
computed by the database over what the reader may see, one access-log entry per chart read.

``reader`` (internal) and ``secret_reader`` (secret) look at the same product side by side.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.core.models import AccessLog
from apps.core.roles import RoleName
from apps.intel.models import CompetitorProduct, PriceChannel
from apps.intel.selectors.prices import price_chart
from apps.intel.selectors.reports import access_log_list
from apps.intel.services.prices import price_chart_record_read
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
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

reader = fp.reader
secret_reader = fp.secret_reader

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

NOV = datetime.date(2026, 11, 20)
OCT = datetime.date(2026, 10, 8)
TENDER = PriceChannel.TENDER_RESULT
QUOTATION = PriceChannel.QUOTATION


def _observe(product, price, level, *, on=NOV, channel=TENDER, **extra):
    return PriceObservationFactory(
        competitor_product=product,
        price=Decimal(price),
        confidentiality=level,
        observed_on=on,
        channel=channel,
        **extra,
    )


@pytest.fixture
def product(db):
    """November tenders at every level (the secret one far above the rest), an October confidential
    tender, a November quotation; an archived price and another product's price stay out."""
    product = PriceCompetitorProductFactory(name="化学发光试剂A")
    _observe(product, "10", INTERNAL)
    _observe(product, "20", INTERNAL, province=province("110000"))
    _observe(product, "30", PUBLIC)
    _observe(product, "1000", SECRET)
    _observe(product, "50", CONFIDENTIAL, on=OCT)
    _observe(product, "40", INTERNAL, channel=QUOTATION)
    _observe(product, "9000", INTERNAL, is_archived=True)
    PriceObservationFactory(price=Decimal("7000"), observed_on=NOV)
    return product


def _url(product) -> str:
    return reverse("intel:product_price_chart", args=[product.pk])


def _names_count(entry, count: int) -> bool:
    """The entry's description names ``count`` (as a whole number, in whatever language it was written)."""
    return re.search(rf"(?<!\d){count}(?!\d)", entry.object_repr) is not None


def _series(data, channel) -> dict:
    label = str(PriceChannel(channel).label)
    return next(series for series in data["series"] if series["channel"] == label)


def test_r_intel_03_internal_and_secret_readers_get_different_aggregates(product, reader, secret_reader, client_for):
    low = client_for(reader).get(_url(product))
    high = client_for(secret_reader).get(_url(product))
    assert low.status_code == high.status_code == 200
    low_data, high_data = low.json(), high.json()

    # The internal reader: November only (the October price is confidential), the secret one left out.
    assert low_data["months"] == ["2026-11"] and low_data["count"] == 4
    assert _series(low_data, TENDER)["points"] == [
        {"month": "2026-11", "count": 3, "low": 10.0, "median": 20.0, "high": 30.0}
    ]
    assert _series(low_data, QUOTATION)["points"] == [
        {"month": "2026-11", "count": 1, "low": 40.0, "median": 40.0, "high": 40.0}
    ]
    assert "1000" not in low.content.decode() and "50.0" not in low.content.decode()

    # The secret reader: both months, the secret price in November's figures.
    assert high_data["months"] == ["2026-10", "2026-11"] and high_data["count"] == 6
    assert _series(high_data, TENDER)["points"] == [
        {"month": "2026-10", "count": 1, "low": 50.0, "median": 50.0, "high": 50.0},
        {"month": "2026-11", "count": 4, "low": 10.0, "median": 25.0, "high": 1000.0},
    ]


def test_r_intel_03_secret_price_does_not_move_the_internal_readers_figures(product, reader, client_for):
    client = client_for(reader)
    before = client.get(_url(product)).json()
    _observe(product, "99999", SECRET)
    _observe(product, "88888", CONFIDENTIAL, on=datetime.date(2026, 9, 1))
    assert client.get(_url(product)).json() == before


def test_r_intel_03_chart_read_logged_once_with_highest_level_and_count(product, reader, secret_reader, client_for):
    client_for(secret_reader).get(_url(product))
    entries = list(AccessLog.objects.filter(user=secret_reader))
    assert len(entries) == 1  # one entry for the read, not one per confidential price
    entry = entries[0]
    assert entry.content_type == ContentType.objects.get_for_model(CompetitorProduct)
    assert entry.object_id == str(product.pk)
    assert entry.confidentiality == SECRET and entry.action == AccessLog.Action.VIEW
    assert product.name in entry.object_repr and _names_count(entry, 2)  # the confidential and the secret price
    assert entry.ip_address == "127.0.0.1"
    # Nothing classified went into the internal reader's chart: nothing logged.
    client_for(reader).get(_url(product))
    assert not AccessLog.objects.filter(user=reader).exists()
    # The manager's access log lists the read.
    assert entry in access_log_list(user=secret_reader)


def test_r_intel_03_confidential_reader_logged_at_confidential_level(product, marketing, client_for):
    confidential = UserFactory(username="reader3", department=marketing, roles=[RoleName.STAFF], clearance=CONFIDENTIAL)
    data = client_for(confidential).get(_url(product)).json()
    assert data["months"] == ["2026-10", "2026-11"] and _series(data, TENDER)["points"][1]["high"] == 30.0
    entry = AccessLog.objects.get(user=confidential)
    assert entry.confidentiality == CONFIDENTIAL and _names_count(entry, 1)


def test_r_intel_03_chart_not_cached(product, reader, client_for):
    response = client_for(reader).get(_url(product))
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"


def test_r_intel_01_chart_query_count_flat_with_more_observations(
    product, reader, secret_reader, client_for, django_assert_num_queries
):
    low, high = client_for(reader), client_for(secret_reader)
    low.get(_url(product))
    high.get(_url(product))  # content type of the log entry now cached, as in a running server
    # Session, user, the product, the aggregate; for the secret reader also the one log entry.
    with django_assert_num_queries(4):
        assert low.get(_url(product)).status_code == 200
    with django_assert_num_queries(5):
        assert high.get(_url(product)).status_code == 200
    for day in range(1, 29):
        _observe(
            product, str(20 + day), (INTERNAL, CONFIDENTIAL, SECRET)[day % 3], on=datetime.date(2025, day % 12 + 1, day)
        )
    with django_assert_num_queries(4):
        data = low.get(_url(product)).json()
    assert data["count"] == 4 + 9  # the internal ones of the 28 (every third day)
    with django_assert_num_queries(5):
        data = high.get(_url(product)).json()
    assert data["count"] == 6 + 28 and len(data["months"]) == 12 + 2
    assert AccessLog.objects.filter(user=secret_reader).count() == 3  # one per read
    assert _names_count(AccessLog.objects.filter(user=secret_reader).latest("id"), 21)  # 2 + 19 of the 28


def test_r_intel_01_chart_answer_size_follows_months_not_prices(reader, client_for):
    product = PriceCompetitorProductFactory()
    for price in range(1, 61):
        _observe(product, str(price), INTERNAL)
    data = client_for(reader).get(_url(product)).json()
    assert data["count"] == 60
    assert data["series"] == [
        {
            "channel": str(PriceChannel.TENDER_RESULT.label),
            "currency": "CNY",
            "unit": "人份",
            "label": str(PriceChannel.TENDER_RESULT.label),
            "points": [{"month": "2026-11", "count": 60, "low": 1.0, "median": 30.5, "high": 60.0}],
        }
    ]


def test_r_intel_01_chart_series_name_currency_and_unit_when_several(reader, client_for):
    product = PriceCompetitorProductFactory()
    _observe(product, "10", INTERNAL)
    _observe(product, "2", INTERNAL, currency="USD")
    _observe(product, "300", INTERNAL, unit="盒")
    labels = sorted(series["label"] for series in client_for(reader).get(_url(product)).json()["series"])
    tender = str(PriceChannel.TENDER_RESULT.label)
    assert labels == sorted([f"{tender} · CNY/人份", f"{tender} · USD/人份", f"{tender} · CNY/盒"])


def test_r_intel_01_chart_empty_and_unknown_product(reader, client_for):
    product = PriceCompetitorProductFactory()
    _observe(product, "10", SECRET)
    data = client_for(reader).get(_url(product)).json()
    assert data["series"] == [] and data["months"] == [] and data["count"] == 0
    assert client_for(reader).get(reverse("intel:product_price_chart", args=[999999])).status_code == 404


def test_r_intel_03_chart_selector_counts_classified_prices(product, reader, secret_reader):
    low = price_chart(user=reader, product=product)
    assert (low.classified, low.level, low.count) == (0, None, 4)
    high = price_chart(user=secret_reader, product=product)
    assert (high.classified, high.level, high.count) == (2, SECRET, 6)


def test_r_intel_03_chart_read_service_rechecks_clearance(product, reader, secret_reader):
    with pytest.raises(PermissionDenied):
        price_chart_record_read(user=reader, product=product, classified=1, level=SECRET)
    assert price_chart_record_read(user=reader, product=product, classified=0, level=None) is None
    secret_reader.is_active = False
    with pytest.raises(PermissionDenied):
        price_chart_record_read(user=secret_reader, product=product, classified=1, level=SECRET)
    assert not AccessLog.objects.exists()
