"""Price pages (R-INTEL-01, R-INTEL-03, R-INTEL-05): list, export, record, archive, chart, comparison.

Clearance side by side: ``reader`` (internal) and ``secret_reader`` (secret) look at the same rows.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AccessLog
from apps.intel import alerts
from apps.intel.models import PriceChannel, PriceObservation
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

internal_researcher = fp.internal_researcher
our_product = fp.our_product
reader = fp.reader
researcher = fp.researcher
secret_reader = fp.secret_reader

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

LIST = "/intel/prices/"


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def rows(db):
    """One product seen at every level, one archived observation."""
    product = PriceCompetitorProductFactory(name="化学发光试剂A")
    observations = {
        level: PriceObservationFactory(
            competitor_product=product, confidentiality=level, price=Decimal(10 + 10 * level)
        )
        for level in (PUBLIC, INTERNAL, CONFIDENTIAL, SECRET)
    }
    observations["archived"] = PriceObservationFactory(competitor_product=product, is_archived=True)
    return product, observations


# ---------------------------------------------------------------------------------------------
# List


def test_r_intel_03_list_count_and_totals_only_over_visible_rows(rows, reader, secret_reader, client_for):
    _product, observations = rows
    low = client_for(reader).get(LIST)
    high = client_for(secret_reader).get(LIST)
    assert {item.pk for item in low.context["page_obj"]} == {observations[PUBLIC].pk, observations[INTERNAL].pk}
    assert {item.pk for item in high.context["page_obj"]} == {observations[level].pk for level in range(4)}
    assert low.context["page_obj"].paginator.count == 2 and high.context["page_obj"].paginator.count == 4
    assert low.context["totals"] == [
        {"currency": "CNY", "count": 2, "low": Decimal("10.00"), "average": Decimal("15"), "high": Decimal("20.00")}
    ]
    assert high.context["totals"][0]["count"] == 4 and high.context["totals"][0]["high"] == Decimal("40.00")
    assert "40.00" not in low.content.decode()


def test_r_intel_03_list_logs_the_confidential_rows_it_shows(rows, reader, secret_reader, client_for):
    client_for(reader).get(LIST)
    assert not AccessLog.objects.exists()
    client_for(secret_reader).get(LIST)
    _product, observations = rows
    assert set(AccessLog.objects.values_list("object_id", flat=True)) == {
        str(observations[CONFIDENTIAL].pk),
        str(observations[SECRET].pk),
    }


def test_r_intel_05_list_filters(rows, secret_reader, client_for):
    product, observations = rows
    other = PriceObservationFactory(
        province=province("110000"), channel=PriceChannel.QUOTATION, observed_on=datetime.date(2026, 1, 5)
    )
    client = client_for(secret_reader)

    def listed(**params):
        return {item.pk for item in client.get(LIST, params).context["page_obj"]}

    assert listed(competitor=product.competitor_id) == {observations[level].pk for level in range(4)}
    assert listed(competitor_product=other.competitor_product_id) == {other.pk}
    assert listed(province=province("110000").pk) == {other.pk}
    assert listed(channel=PriceChannel.QUOTATION) == {other.pk}
    assert listed(date_to="2026-06-30") == {other.pk}
    assert listed(date_from="2026-06-30") == {observations[level].pk for level in range(4)}
    assert listed(level=SECRET) == {observations[SECRET].pk}


def test_r_intel_05_our_product_filter(our_product, reader, client_for):
    ours = PriceObservationFactory(competitor_product=None, our_product=our_product)
    PriceObservationFactory()
    listed = client_for(reader).get(LIST, {"our_product": our_product.pk}).context["page_obj"]
    assert [item.pk for item in listed] == [ours.pk]


def test_r_intel_03_level_filter_offers_nothing_above_clearance(rows, reader, secret_reader, client_for):
    low = client_for(reader).get(LIST, {"level": SECRET})
    assert low.status_code == 200
    assert [value for value, _label in low.context["filter"].form.fields["level"].choices if value != ""] == [0, 1]
    assert all(item.confidentiality <= INTERNAL for item in low.context["page_obj"])
    assert low.context["page_obj"].paginator.count == 2
    high = client_for(secret_reader).get(LIST)
    assert [value for value, _label in high.context["filter"].form.fields["level"].choices if value != ""] == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    "params", [{"date_from": "0001-01-01"}, {"date_from": "not a date"}, {"province": "x"}, {"page": "999"}]
)
def test_r_intel_05_unreadable_filters_do_not_break_the_list(rows, reader, client_for, params):
    response = client_for(reader).get(LIST, params)
    assert response.status_code == 200


def test_r_intel_01_list_needs_the_intel_permission(rows, reader, client_for):
    assert client_for(reader).get(LIST).status_code == 200
    assert client_for(UserFactory(clearance=SECRET)).get(LIST).status_code == 403


def test_r_intel_05_list_growth_guard(secret_reader, client_for):
    client = client_for(secret_reader)
    levels = (INTERNAL, CONFIDENTIAL)
    for index in range(2):
        PriceObservationFactory(confidentiality=levels[index % 2])
    ContentType.objects.get_for_model(PriceObservation)
    client.get(LIST)
    two = _queries(client, LIST)
    for index in range(28):
        PriceObservationFactory(confidentiality=levels[index % 2])
    client.get(LIST)  # the factories' new products replaced the filter options' stamps: warm again
    assert _queries(client, LIST) == two


# ---------------------------------------------------------------------------------------------
# Export


def test_r_intel_03_csv_export_holds_only_visible_rows_and_logs_them(rows, reader, secret_reader, client_for):
    _product, observations = rows
    low = client_for(reader).get(reverse("intel:price_export"), {"format": "csv"})
    assert low.status_code == 200 and low["Cache-Control"] == "private, no-store"
    lines = low.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # header and two rows
    assert not AccessLog.objects.exists()
    high = client_for(secret_reader).get(reverse("intel:price_export"), {"format": "csv"})
    assert len(high.content.decode("utf-8-sig").splitlines()) == 5
    logged = AccessLog.objects.filter(user=secret_reader, action=AccessLog.Action.EXPORT)
    assert set(logged.values_list("object_id", flat=True)) == {
        str(observations[CONFIDENTIAL].pk),
        str(observations[SECRET].pk),
    }


def test_r_intel_03_export_follows_the_filters(rows, secret_reader, client_for):
    response = client_for(secret_reader).get(reverse("intel:price_export"), {"format": "csv", "level": SECRET})
    assert len(response.content.decode("utf-8-sig").splitlines()) == 2
    assert AccessLog.objects.count() == 1


def test_r_intel_01_exports_neutralise_formulas(reader, client_for):
    PriceObservationFactory(source='=HYPERLINK("http://evil")', institution="+cmd", city="@SUM(1)")
    csv = client_for(reader).get(reverse("intel:price_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'+cmd" in csv
    xlsx = client_for(reader).get(reverse("intel:price_export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil")' in values and "'+cmd" in values and "'@SUM(1)" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[4] == 28.5


def test_r_intel_03_xlsx_export_by_clearance(rows, reader, secret_reader, client_for):
    low = client_for(reader).get(reverse("intel:price_export"), {"format": "xlsx"})
    high = client_for(secret_reader).get(reverse("intel:price_export"), {"format": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(low.content)).active.max_row == 3
    assert openpyxl.load_workbook(io.BytesIO(high.content)).active.max_row == 5


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_r_intel_03_export_query_count_fixed(secret_reader, client_for, export_format):
    client = client_for(secret_reader)
    url = reverse("intel:price_export")
    PriceObservationFactory(confidentiality=CONFIDENTIAL)
    PriceObservationFactory(confidentiality=SECRET)
    ContentType.objects.get_for_model(PriceObservation)
    client.get(url, {"format": export_format})
    two = _queries(client, url, {"format": export_format})
    for level in (CONFIDENTIAL, SECRET) * 14:
        PriceObservationFactory(confidentiality=level)
    assert _queries(client, url, {"format": export_format}) == two


# ---------------------------------------------------------------------------------------------
# Record and archive


def _form(product, **overrides):
    data = {
        "competitor_product": product.pk,
        "price": "26.80",
        "currency": "CNY",
        "unit": "人份",
        "observed_on": "2026-11-30",
        "province": province().pk,
        "city": "广州市",
        "channel": PriceChannel.TENDER_RESULT,
        "source": "广东省药品交易中心",
        "institution": "中山大学附属第一医院",
        "confidentiality": INTERNAL,
    }
    data.update(overrides)
    return data


def test_r_intel_01_record_a_price(researcher, client_for, django_capture_on_commit_callbacks, monkeypatch):
    filed = []
    monkeypatch.setattr(alerts, "alerts_item_filed", lambda **kwargs: filed.append(kwargs))
    product = PriceCompetitorProductFactory()
    client = client_for(researcher)
    assert client.get(reverse("intel:price_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intel:price_create"), _form(product))
    assert response.status_code == 302
    observation = PriceObservation.objects.get()
    assert observation.competitor_product == product and observation.recorded_by == researcher
    assert filed == [{"model": "price", "pk": observation.pk}]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "-5"}, "price"),
        ({"observed_on": "2026-12-02"}, "observed_on"),
        ({"confidentiality": SECRET}, "confidentiality"),
        ({"competitor_product": ""}, None),
    ],
)
def test_r_intel_01_record_refuses_bad_input_and_keeps_it(internal_researcher, client_for, overrides, field):
    product = PriceCompetitorProductFactory()
    response = client_for(internal_researcher).post(reverse("intel:price_create"), _form(product, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors if field else form.non_field_errors()
    assert form["source"].value() == "广东省药品交易中心"
    assert not PriceObservation.objects.exists()


def test_r_intel_01_record_both_products_refused(researcher, our_product, client_for):
    product = PriceCompetitorProductFactory()
    response = client_for(researcher).post(reverse("intel:price_create"), _form(product, our_product=our_product.pk))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not PriceObservation.objects.exists()


def test_r_intel_01_record_needs_the_permission(researcher, reader, client_for):
    assert client_for(researcher).get(reverse("intel:price_create")).status_code == 200
    assert client_for(reader).get(reverse("intel:price_create")).status_code == 403


def test_r_intel_03_archive_by_clearance(rows, researcher, internal_researcher, reader, client_for):
    _product, observations = rows
    secret_url = reverse("intel:price_archive", args=[observations[SECRET].pk])
    assert client_for(internal_researcher).get(secret_url).status_code == 404
    assert client_for(internal_researcher).post(secret_url).status_code == 404
    internal_url = reverse("intel:price_archive", args=[observations[INTERNAL].pk])
    assert client_for(reader).get(internal_url).status_code == 403
    page = client_for(researcher).get(secret_url)
    assert page.status_code == 200 and 'data-testid="price-archive-confirm"' in page.content.decode()
    assert not PriceObservation.objects.get(pk=observations[SECRET].pk).is_archived  # GET only asks
    assert client_for(researcher).post(secret_url).status_code == 302
    assert PriceObservation.objects.get(pk=observations[SECRET].pk).is_archived
    assert client_for(researcher).get(secret_url).status_code == 404  # archived: out of the lists
    archived_url = reverse("intel:price_archive", args=[observations["archived"].pk])
    assert client_for(researcher).post(archived_url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Chart data


def test_r_intel_03_chart_data_by_clearance(rows, reader, secret_reader, client_for):
    product, _observations = rows
    url = reverse("intel:product_price_chart", args=[product.pk])
    low = client_for(reader).get(url)
    high = client_for(secret_reader).get(url)
    assert low["Content-Type"] == "application/json" and low["Cache-Control"] == "private, no-store"
    assert low.json()["months"] == ["2026-11"] and low.json()["count"] == 2
    [low_series] = low.json()["series"]
    assert low_series["channel"] == str(PriceChannel.TENDER_RESULT.label) and low_series["currency"] == "CNY"
    assert low_series["points"] == [{"month": "2026-11", "count": 2, "low": 10.0, "median": 15.0, "high": 20.0}]
    [high_series] = high.json()["series"]
    assert high_series["points"] == [{"month": "2026-11", "count": 4, "low": 10.0, "median": 25.0, "high": 40.0}]
    # One entry for the read of the chart (the confidential and the secret price), none for the internal reader.
    assert list(AccessLog.objects.filter(user=secret_reader).values_list("object_id", "confidentiality")) == [
        (str(product.pk), SECRET)
    ]
    assert not AccessLog.objects.filter(user=reader).exists()


def test_r_intel_01_chart_data_404_for_unknown_product(reader, client_for):
    assert client_for(reader).get(reverse("intel:product_price_chart", args=[999999])).status_code == 404


def test_r_intel_01_chart_data_oldest_first_without_archived(reader, client_for):
    product = PriceCompetitorProductFactory()
    for month in (11, 9, 10):
        PriceObservationFactory(competitor_product=product, observed_on=datetime.date(2026, month, 5))
    PriceObservationFactory(competitor_product=product, observed_on=datetime.date(2026, 8, 5), is_archived=True)
    data = client_for(reader).get(reverse("intel:product_price_chart", args=[product.pk])).json()
    assert data["months"] == ["2026-09", "2026-10", "2026-11"]
    assert [point["month"] for point in data["series"][0]["points"]] == ["2026-09", "2026-10", "2026-11"]


def test_r_intel_01_chart_query_count_fixed(reader, client_for):
    product = PriceCompetitorProductFactory()
    url = reverse("intel:product_price_chart", args=[product.pk])
    PriceObservationFactory.create_batch(2, competitor_product=product)
    client = client_for(reader)
    client.get(url)
    two = _queries(client, url)
    PriceObservationFactory.create_batch(28, competitor_product=product, province=province("110000"))
    assert _queries(client, url) == two


# ---------------------------------------------------------------------------------------------
# Comparison


@pytest.fixture
def compared(our_product):
    rival = PriceCompetitorProductFactory(our_product=our_product, competitor__name="迈瑞医疗")
    unrelated = PriceCompetitorProductFactory()
    guangdong, beijing = province("440000"), province("110000")
    for price, day in ((Decimal("30"), 1), (Decimal("34"), 10), (Decimal("32"), 20)):
        PriceObservationFactory(
            competitor_product=None,
            our_product=our_product,
            price=price,
            province=guangdong,
            observed_on=datetime.date(2026, 11, day),
        )
    PriceObservationFactory(competitor_product=rival, price=Decimal("25"), province=guangdong)
    PriceObservationFactory(competitor_product=rival, price=Decimal("27"), province=guangdong)
    PriceObservationFactory(competitor_product=rival, price=Decimal("99"), province=guangdong, confidentiality=SECRET)
    PriceObservationFactory(competitor_product=rival, price=Decimal("22"), province=beijing)
    PriceObservationFactory(competitor_product=unrelated, price=Decimal("1"), province=guangdong)
    return rival


def _cells(response):
    comparison = response.context["comparison"]
    return {
        (str(row["province"]), column["key"]): row["cells"][position]
        for row in comparison["rows"]
        for position, column in enumerate(comparison["columns"])
    }


def test_r_intel_01_compare_by_province(compared, our_product, reader, client_for):
    response = client_for(reader).get(reverse("intel:price_compare"), {"product": our_product.pk})
    assert response.status_code == 200
    cells = _cells(response)
    ours = cells[("广东省", "ours")]
    assert (ours["count"], ours["low"], ours["median"], ours["high"]) == (
        3,
        Decimal("30"),
        Decimal("32"),
        Decimal("34"),
    )
    assert ours["latest"] == Decimal("32") and ours["last_on"] == datetime.date(2026, 11, 20)
    rival = cells[("广东省", compared.pk)]
    assert (rival["count"], rival["high"]) == (2, Decimal("27"))
    assert cells[("北京市", "ours")] is None and cells[("北京市", compared.pk)]["count"] == 1
    assert len(response.context["comparison"]["columns"]) == 2  # ours and the one comparable product
    content = response.content.decode()
    assert 'data-price-compare="price-compare-data"' in content and 'id="price-compare-data"' in content


def test_r_intel_03_compare_only_over_visible_rows(compared, our_product, reader, secret_reader, client_for):
    low = _cells(client_for(reader).get(reverse("intel:price_compare"), {"product": our_product.pk}))
    high = _cells(client_for(secret_reader).get(reverse("intel:price_compare"), {"product": our_product.pk}))
    assert low[("广东省", compared.pk)]["count"] == 2 and low[("广东省", compared.pk)]["high"] == Decimal("27")
    assert high[("广东省", compared.pk)]["count"] == 3 and high[("广东省", compared.pk)]["high"] == Decimal("99")


def test_r_intel_01_compare_one_aggregate_query(our_product, reader, client_for):
    rival = PriceCompetitorProductFactory(our_product=our_product)
    url = reverse("intel:price_compare")
    client = client_for(reader)
    PriceObservationFactory(competitor_product=rival)
    client.get(url, {"product": our_product.pk})
    few = _queries(client, url, {"product": our_product.pk})
    for code in ("110000", "120000", "310000", "320000", "330000"):
        PriceObservationFactory.create_batch(5, competitor_product=rival, province=province(code))
        PriceObservationFactory(competitor_product=None, our_product=our_product, province=province(code))
    assert _queries(client, url, {"product": our_product.pk}) == few


@pytest.mark.parametrize("params", [{}, {"product": "999999"}, {"product": "abc"}])
def test_r_intel_01_compare_picker_without_a_valid_product(reader, client_for, params):
    response = client_for(reader).get(reverse("intel:price_compare"), params)
    assert response.status_code == 200 and response.context["comparison"] is None


def test_r_intel_01_list_of_one_product_draws_its_price_history(rows, reader, client_for):
    product, _observations = rows
    plain = client_for(reader).get(LIST).content.decode()
    assert "data-price-chart" not in plain and "intel_prices.js" not in plain
    narrowed = client_for(reader).get(LIST, {"competitor_product": product.pk}).content.decode()
    assert f'data-price-chart="{reverse("intel:product_price_chart", args=[product.pk])}"' in narrowed
    assert "js/intel_prices.js" in narrowed
