"""Report-center types of intelligence: limited to the requester's clearance, built by the worker."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.reports.models import ReportJob
from apps.reports.registry import report_type, report_types_for
from tests.clock import at_working_morning
from tests.factories import UserFactory
from tests.reports.helpers import clear_storage, csv_sections, download, request_report, xlsx_rows

from .factories_follows import CompetitorProductFactory, IntelReportFactory, PriceFactory, province, reader

pytestmark = [pytest.mark.django_db, at_working_morning]

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-11-30"}


@pytest.fixture(autouse=True)
def empty_report_storage():
    clear_storage()
    yield
    clear_storage()


@pytest.fixture
def pair(client_for):
    analyst = [RoleName.RESEARCH, RoleName.STAFF]
    internal, secret = reader(clearance=Level.INTERNAL, roles=analyst), reader(clearance=Level.SECRET, roles=analyst)
    return (internal, client_for(internal)), (secret, client_for(secret))


@pytest.fixture
def prices():
    product = CompetitorProductFactory(name="发光仪X", competitor__name="对手甲")
    gd = province("440000")
    PriceFactory(competitor_product=product, province=gd, price=Decimal("100"), observed_on=datetime.date(2026, 3, 1))
    PriceFactory(competitor_product=product, province=gd, price=Decimal("120"), observed_on=datetime.date(2026, 5, 1))
    PriceFactory(
        competitor_product=product,
        province=gd,
        price=Decimal("999"),
        observed_on=datetime.date(2026, 6, 1),
        confidentiality=Level.SECRET,
        source="绝密来源",
    )
    PriceFactory(competitor_product=product, province=gd, price=Decimal("50"), is_archived=True)
    PriceFactory(competitor_product=product, province=gd, price=Decimal("70"), observed_on=datetime.date(2025, 6, 1))
    return product


def _prices_file(client, capture, **extra):
    response, job = request_report(client, capture, "intel_prices", format="xlsx", **PERIOD, **extra)
    assert response.status_code == 302, response.content
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_detail
    return job, xlsx_rows(download(client, job))


def test_r_intel_03_secret_price_is_absent_for_internal_and_present_for_secret(
    pair, prices, django_capture_on_commit_callbacks
):
    (_internal, internal_client), (_secret, secret_client) = pair
    _job, sheets = _prices_file(internal_client, django_capture_on_commit_callbacks)
    summary, observations = list(sheets.values())
    # competitor, product, ours, province, currency, count, lowest, average, highest, latest, latest date
    assert summary[1][:10] == ("对手甲", "发光仪X", None, "广东省", "CNY", 2, 100, 110, 120, 120)
    assert len(observations) == 1 + 2
    assert "绝密来源" not in str(sheets) and "999" not in str(sheets)

    _job, sheets = _prices_file(secret_client, django_capture_on_commit_callbacks)
    summary, observations = list(sheets.values())
    assert summary[1][5:10] == (3, 100, 406.33, 999, 999)
    assert len(observations) == 1 + 3
    assert "绝密来源" in str(sheets)


def test_posted_requester_is_ignored(pair, prices, django_capture_on_commit_callbacks):
    """The requester comes from the logged-in user, never from the form data."""
    (_internal, internal_client), (secret, _secret_client) = pair
    job, sheets = _prices_file(internal_client, django_capture_on_commit_callbacks, requester=secret.pk)
    assert job.params["requester"] == job.requested_by_id != secret.pk
    assert "999" not in str(sheets)


def test_clearance_is_read_when_the_file_is_built(pair, prices, django_capture_on_commit_callbacks):
    (_internal, _ic), (secret, secret_client) = pair
    secret.clearance = Level.INTERNAL
    secret.save(update_fields=["clearance"])
    _job, sheets = _prices_file(secret_client, django_capture_on_commit_callbacks)
    assert "999" not in str(sheets)


def test_r_intel_03_a_secret_requesters_file_is_404_for_an_internal_reader(
    pair, prices, django_capture_on_commit_callbacks
):
    (_internal, internal_client), (_secret, secret_client) = pair
    job, _sheets = _prices_file(secret_client, django_capture_on_commit_callbacks)
    assert internal_client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assert internal_client.get(reverse("reports:job", args=[job.pk])).status_code == 404


def test_chart_of_the_page_follows_the_viewers_clearance(pair, prices):
    (_internal, internal_client), (_secret, secret_client) = pair
    url = reverse("reports:type", args=["intel_prices"])
    internal_chart = internal_client.post(url, {**PERIOD, "action": "chart"}).context["chart_data"]
    secret_chart = secret_client.post(url, {**PERIOD, "action": "chart"}).context["chart_data"]
    highest = {d["label"]: d["data"] for d in internal_chart["datasets"]}
    assert max(max(v) for v in highest.values()) == 120
    assert max(max(d["data"]) for d in secret_chart["datasets"]) == 999


def test_filter_by_our_product_takes_comparable_competitor_products(pair, django_capture_on_commit_callbacks):
    from tests.factories import ProductFactory

    (_internal, client), _secret = pair
    ours = ProductFactory(name="我们的发光仪")
    compared = CompetitorProductFactory(our_product=ours, name="可比产品")
    unrelated = CompetitorProductFactory(name="无关产品")
    PriceFactory(competitor_product=compared, observed_on=datetime.date(2026, 4, 1))
    PriceFactory(competitor_product=unrelated, observed_on=datetime.date(2026, 4, 1))
    PriceFactory(competitor_product=None, our_product=ours, observed_on=datetime.date(2026, 4, 1))
    _job, sheets = _prices_file(client, django_capture_on_commit_callbacks, our_product=ours.pk)
    text = str(sheets)
    assert "可比产品" in text and "无关产品" not in text and "我们的发光仪" in text


def test_text_cells_are_sanitized(pair, django_capture_on_commit_callbacks):
    (_internal, client), _secret = pair
    PriceFactory(source='=HYPERLINK("http://x","y")', observed_on=datetime.date(2026, 4, 1))
    response, job = request_report(client, django_capture_on_commit_callbacks, "intel_prices", format="csv", **PERIOD)
    job.refresh_from_db()
    rows = csv_sections(download(client, job))[1]
    assert rows[-1][10] == '\'=HYPERLINK("http://x","y")'


def test_r_intel_03_reports_by_type_and_month_counts_by_clearance(pair, django_capture_on_commit_callbacks):
    (_internal, internal_client), (_secret, secret_client) = pair
    IntelReportFactory(kind="policy", reported_on=datetime.date(2026, 3, 5))
    IntelReportFactory(kind="policy", reported_on=datetime.date(2026, 3, 20), confidentiality=Level.SECRET)
    IntelReportFactory(kind="pricing", reported_on=datetime.date(2026, 4, 1), confidentiality=Level.CONFIDENTIAL)
    IntelReportFactory(kind="pricing", reported_on=datetime.date(2026, 4, 2), is_archived=True)

    def months(client):
        response, job = request_report(
            client, django_capture_on_commit_callbacks, "intel_reports_by_month", format="xlsx", **PERIOD
        )
        job.refresh_from_db()
        (rows,) = xlsx_rows(download(client, job)).values()
        return {row[0]: row[1:] for row in rows[1:]}

    # kinds in order: trend, competitor, pricing, policy, research, conference; then the total
    internal = months(internal_client)
    assert internal["2026-03"] == (0, 0, 0, 1, 0, 0, 1)
    assert internal["2026-04"] == (0, 0, 0, 0, 0, 0, 0)
    assert len(internal) == 11 + 1
    secret = months(secret_client)
    assert secret["2026-03"] == (0, 0, 0, 2, 0, 0, 2)
    assert secret["2026-04"] == (0, 0, 1, 0, 0, 0, 1)

    url = reverse("reports:type", args=["intel_reports_by_month"])
    chart = internal_client.post(url, {**PERIOD, "action": "chart"}).context["chart_data"]
    assert sum(sum(d["data"]) for d in chart["datasets"]) == 1


def test_who_may_request(pair, client_for):
    (internal, internal_client), _secret = pair
    outsider = UserFactory(clearance=Level.SECRET)
    plain_reader = reader(clearance=Level.SECRET)
    codes = {"intel_prices", "intel_reports_by_month"}
    assert codes <= {r.code for r in report_types_for(internal)}
    assert not codes & {r.code for r in report_types_for(outsider)}
    # Reading intelligence is not enough: the reports are for those who file it.
    assert not codes & {r.code for r in report_types_for(plain_reader)}
    assert client_for(outsider).get(reverse("reports:type", args=["intel_prices"])).status_code == 404
    assert client_for(plain_reader).get(reverse("reports:type", args=["intel_prices"])).status_code == 404
    assert internal_client.get(reverse("reports:type", args=["intel_prices"])).status_code == 200
    assert report_type("intel_prices").private_files


def test_bad_period_is_a_form_error_not_a_500(pair, django_capture_on_commit_callbacks):
    (_internal, client), _secret = pair
    response, job = request_report(
        client,
        django_capture_on_commit_callbacks,
        "intel_prices",
        format="xlsx",
        date_from="2026-11-30",
        date_to="2026-01-01",
    )
    assert response.status_code == 200 and job is None
    assert [e.code for e in response.context["form"].errors.as_data()["date_to"]] == ["range_order"]
