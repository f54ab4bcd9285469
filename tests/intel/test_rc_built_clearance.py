"""R-INTEL-03 in the report center: an intelligence file holds what its requester was cleared for
when the worker built it, and nobody whose clearance is now lower opens it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AccessLog
from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.reports.models import ReportJob
from apps.reports.registry import BUILT_CLEARANCE, report_type
from tests.clock import at_working_morning
from tests.reports.helpers import clear_storage, download, request_report, xlsx_rows

from .factories_follows import CompetitorProductFactory, PriceFactory, reader

pytestmark = [pytest.mark.django_db, at_working_morning]

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-11-30"}
ANALYST = [RoleName.RESEARCH, RoleName.STAFF]


@pytest.fixture(autouse=True)
def empty_report_storage():
    clear_storage()
    yield
    clear_storage()


@pytest.fixture
def prices():
    product = CompetitorProductFactory(name="发光仪X", competitor__name="对手甲")
    on = datetime.date(2026, 4, 1)
    PriceFactory(competitor_product=product, price=Decimal("100"), observed_on=on)
    PriceFactory(competitor_product=product, price=Decimal("999"), observed_on=on, confidentiality=Level.SECRET)


def _lower(user, level):
    user.clearance = level
    user.save(update_fields=["clearance"])


def test_r_intel_03_a_secret_file_is_refused_to_its_requester_once_lowered(
    client_for, prices, django_capture_on_commit_callbacks
):
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    _response, job = request_report(
        client_for(secret), django_capture_on_commit_callbacks, "intel_prices", format="xlsx", **PERIOD
    )
    job.refresh_from_db()
    assert (job.status, job.built_clearance) == (ReportJob.Status.DONE, Level.SECRET)
    assert "999" in str(xlsx_rows(download(client_for(secret), job)))

    _lower(secret, Level.INTERNAL)
    client = client_for(secret)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'data-testid="report-withheld"' in page and 'data-testid="report-download"' not in page


def test_r_intel_03_a_clearance_lowered_after_the_request_is_the_one_built_under(
    client_for, prices, django_capture_on_commit_callbacks
):
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    client = client_for(secret)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("reports:type", args=["intel_prices"]), {**PERIOD, "format": "xlsx"})
    job = ReportJob.objects.get(requested_by=secret)
    _lower(secret, Level.INTERNAL)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert (job.status, job.built_clearance) == (ReportJob.Status.DONE, Level.INTERNAL)
    assert "999" not in str(xlsx_rows(download(client_for(secret), job)))
    assert not AccessLog.objects.exists()


def test_the_recorded_clearance_caps_the_rows_even_if_the_requesters_is_higher(prices):
    """The rows never exceed the level recorded on the job, whatever the requester's is meanwhile."""
    secret = reader(clearance=Level.SECRET, roles=ANALYST)
    params = {**PERIOD, "requester": secret.pk, BUILT_CLEARANCE: Level.INTERNAL}
    rows = list(report_type("intel_prices").rows(params, lambda share: None))
    assert "999" not in str(rows) and "100" in str(rows)
    assert not AccessLog.objects.exists()
    params[BUILT_CLEARANCE] = Level.SECRET
    assert "999" in str(list(report_type("intel_prices").rows(params, lambda share: None)))
