"""R-INTEL-03: building an intelligence report file logs an EXPORT read, for its requester, of each
confidential or secret item whose data went into the file; in chunked bulk inserts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AccessLog
from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.intel import reports as intel_reports
from apps.intel.models import PriceObservation
from apps.reports.models import ReportJob
from apps.reports.services import report_job_build
from tests.clock import at_working_morning
from tests.reports.helpers import clear_storage, request_report

from .factories_follows import CompetitorProductFactory, IntelReportFactory, PriceFactory, reader

pytestmark = [pytest.mark.django_db, at_working_morning]

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-11-30"}
ANALYST = [RoleName.RESEARCH, RoleName.STAFF]
ON = datetime.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def empty_report_storage():
    clear_storage()
    yield
    clear_storage()


@pytest.fixture
def prices():
    product = CompetitorProductFactory(name="发光仪X", competitor__name="对手甲")
    return {
        "internal": PriceFactory(competitor_product=product, price=Decimal("100"), observed_on=ON),
        "public": PriceFactory(
            competitor_product=product, price=Decimal("90"), observed_on=ON, confidentiality=Level.PUBLIC
        ),
        "confidential": PriceFactory(
            competitor_product=product, price=Decimal("120"), observed_on=ON, confidentiality=Level.CONFIDENTIAL
        ),
        "secret": PriceFactory(
            competitor_product=product, price=Decimal("999"), observed_on=ON, confidentiality=Level.SECRET
        ),
        # Not in the file: archived, or outside the period.
        "archived": PriceFactory(
            competitor_product=product, observed_on=ON, confidentiality=Level.SECRET, is_archived=True
        ),
        "earlier": PriceFactory(
            competitor_product=product, observed_on=datetime.date(2025, 6, 1), confidentiality=Level.SECRET
        ),
    }


def _exports(user) -> dict[str, int]:
    """object id → level of the EXPORT entries of price observations written for ``user``."""
    entries = AccessLog.objects.filter(
        user=user, action=AccessLog.Action.EXPORT, content_type=ContentType.objects.get_for_model(PriceObservation)
    )
    return dict(entries.values_list("object_id", "confidentiality"))


def _build(client, capture, code="intel_prices", file_format="xlsx"):
    response, job = request_report(client, capture, code, format=file_format, **PERIOD)
    assert response.status_code == 302, response.content
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_detail
    return job


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "pdf"])
def test_r_intel_03_a_price_file_logs_an_export_of_each_classified_price_in_it(
    client_for, prices, django_capture_on_commit_callbacks, file_format
):
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    _build(client_for(secret), django_capture_on_commit_callbacks, file_format=file_format)
    assert _exports(secret) == {
        str(prices["confidential"].pk): Level.CONFIDENTIAL,
        str(prices["secret"].pk): Level.SECRET,
    }
    entry = AccessLog.objects.get(object_id=str(prices["secret"].pk))
    assert (entry.user, entry.object_repr, entry.ip_address) == (secret, "发光仪X 999.00 CNY 2026-04-01", None)
    # Nothing else was logged for anyone (no VIEW, no other reader).
    assert AccessLog.objects.count() == 2


def test_r_intel_03_only_what_the_requester_was_cleared_for_is_logged(
    client_for, prices, django_capture_on_commit_callbacks
):
    confidential = reader(clearance=Level.CONFIDENTIAL, roles=ANALYST)
    internal = reader(clearance=Level.INTERNAL, roles=ANALYST)
    _build(client_for(confidential), django_capture_on_commit_callbacks)
    _build(client_for(internal), django_capture_on_commit_callbacks)
    assert _exports(confidential) == {str(prices["confidential"].pk): Level.CONFIDENTIAL}
    assert _exports(internal) == {}


def test_r_intel_03_the_page_chart_writes_no_export(client_for, prices):
    """The chart of the report's page is not a file: nothing is exported."""
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    response = client_for(secret).post(reverse("reports:type", args=["intel_prices"]), {**PERIOD, "action": "chart"})
    assert response.status_code == 200
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_export_entries_are_bulk_inserted_in_chunks(monkeypatch):
    """One INSERT per chunk, never one per price, so a file of 100,000 prices stays in flat memory."""
    monkeypatch.setattr(intel_reports, "EXPORT_LOG_CHUNK", 2)
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    product = CompetitorProductFactory()
    for number in range(5):
        PriceFactory(competitor_product=product, observed_on=ON, confidentiality=Level.SECRET, price=100 + number)
    PriceFactory(competitor_product=product, observed_on=ON)
    job = ReportJob.objects.create(
        report_type="intel_prices",
        params={**PERIOD, "requester": secret.pk},
        format="csv",
        title="t",
        requested_by=secret,
    )
    with CaptureQueriesContext(connection) as captured:
        assert report_job_build(job_id=job.pk) == "done"
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "core_accesslog"')]
    assert len(inserts) == 3  # 2 + 2 + 1
    assert len(_exports(secret)) == 5


def test_r_intel_03_reports_by_type_and_month_logs_no_item(client_for, django_capture_on_commit_callbacks):
    """The file holds counts only, no report's content: no item is read, so none is logged."""
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    IntelReportFactory(kind="policy", reported_on=ON, confidentiality=Level.SECRET)
    IntelReportFactory(kind="pricing", reported_on=ON, confidentiality=Level.CONFIDENTIAL)
    _build(client_for(secret), django_capture_on_commit_callbacks, code="intel_reports_by_month")
    assert not AccessLog.objects.exists()


def _chart_views(user):
    return list(
        AccessLog.objects.filter(user=user, action=AccessLog.Action.VIEW).values_list(
            "content_type__model", "object_id", "confidentiality", "object_repr"
        )
    )


def test_r_intel_03_the_page_chart_logs_one_view_per_product_with_classified_prices(client_for, prices):
    """The chart's lowest and highest can be one confidential price: its read is logged, once per
    product shown, at the highest level aggregated, naming how many classified prices it covered."""
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    product = prices["secret"].competitor_product

    response = client_for(secret).post(reverse("reports:type", args=["intel_prices"]), {**PERIOD, "action": "chart"})

    assert response.status_code == 200
    assert [(m, i, level) for m, i, level, _r in _chart_views(secret)] == [
        ("competitorproduct", str(product.pk), Level.SECRET)
    ]
    description = _chart_views(secret)[0][3]
    # The confidential and the secret price; the product is named.
    assert re.search(r"(?<!\d)2(?!\d)", description) and "发光仪X" in description


def test_r_intel_03_a_chart_of_a_lower_clearance_logs_only_what_it_aggregated(client_for, prices):
    confidential = reader(clearance=Level.CONFIDENTIAL, roles=ANALYST)

    client_for(confidential).post(reverse("reports:type", args=["intel_prices"]), {**PERIOD, "action": "chart"})

    views = _chart_views(confidential)
    assert [level for _m, _i, level, _r in views] == [Level.CONFIDENTIAL]
    assert re.search(r"(?<!\d)1(?!\d)", views[0][3])


def test_a_chart_of_unclassified_prices_logs_nothing(client_for):
    analyst = reader(clearance=Level.SECRET, roles=ANALYST)
    PriceFactory(competitor_product=CompetitorProductFactory(), price=Decimal("100"), observed_on=ON)

    response = client_for(analyst).post(reverse("reports:type", args=["intel_prices"]), {**PERIOD, "action": "chart"})

    assert response.status_code == 200
    assert _chart_views(analyst) == []
