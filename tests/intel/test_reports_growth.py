"""Growth guards of the reports area: the query count with 30 rows equals the count with 2."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AccessLog, ConfidentialityLevel, LevelChange
from apps.intel.models import IntelReport, Province
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
from tests.intel.factories_reports import (
    CompetitorFactory,
    IntelAttachmentFactory,
    IntelReportFactory,
    PolicyFactory,
    TagFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _report(n, factory=IntelReportFactory, **kwargs):
    report = factory(confidentiality=n % 4, **kwargs)
    report.competitors.add(CompetitorFactory())
    report.tags.add(TagFactory())
    report.provinces.add(Province.objects.order_by("pk")[n % 10])
    return report


def _make_reports(manager, n):
    for i in range(n):
        _report(i)


def _make_policies(manager, n):
    for i in range(n):
        _report(i, factory=PolicyFactory)


def _make_log(manager, n):
    content_type = ContentType.objects.get_for_model(IntelReport)
    for i in range(n):
        AccessLog.objects.create(
            user=UserFactory(), content_type=content_type, object_id=str(i), object_repr=f"r{i}",
            confidentiality=2, action="view",
        )  # fmt: skip


def _make_changes(manager, n):
    content_type = ContentType.objects.get_for_model(IntelReport)
    for i in range(n):
        LevelChange.objects.create(
            content_type=content_type, object_id=str(i), object_repr=f"r{i}", old_level=1, new_level=2,
            reason="r", changed_by=UserFactory(),
        )  # fmt: skip


CASES = [
    ("intel:report_list", {}, _make_reports),
    ("intel:report_list", {"level": "1", "date_from": "2026-01-01"}, _make_reports),
    ("intel:policy_list", {}, _make_policies),
    ("intel:access_log", {}, _make_log),
    ("intel:access_log", {"tab": "changes"}, _make_changes),
]


@pytest.mark.parametrize(("url_name", "params", "make"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_list_queries_do_not_grow(client_for, manager, settings, url_name, params, make):
    settings.PAGE_SIZE = 50
    client = client_for(manager)
    make(manager, 2)
    client.get(reverse(url_name), params)  # warm the per-process caches
    few = _queries(client, reverse(url_name), params)
    make(manager, 28)
    client.get(reverse(url_name), params)  # the new rows replaced the filter options' stamps: warm again
    many = _queries(client, reverse(url_name), params)
    assert few == many


def test_detail_queries_do_not_grow_with_attachments(client_for, manager):
    report = IntelReportFactory(confidentiality=ConfidentialityLevel.SECRET)
    client = client_for(manager)
    url = reverse("intel:report_detail", args=[report.pk])
    IntelAttachmentFactory.create_batch(2, report=report, uploaded_by=UserFactory())
    client.get(url)
    few = _queries(client, url)
    for _ in range(28):
        IntelAttachmentFactory(report=report, uploaded_by=UserFactory())
    assert _queries(client, url) == few


def test_report_list_exact_queries(client_for, staff, django_assert_num_queries):
    for i in range(3):
        _report(i)
    client = client_for(staff)
    client.get(reverse("intel:report_list"))
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("intel:report_list")).status_code == 200


# Session and user; the count and the page; competitors, provinces and tags of the page's rows. The choices
# of the competitor, product, province and tag filters come from the cache (apps/core/choices.py).
LIST_QUERIES = 7


# Session and user; the report with its author; competitors, products with their competitor, our products,
# provinces and tags; the access-log insert (a secret report); the attachments; the level changes (an
# editor). No research plan, so none is asked for; content types are cached by the process.
DETAIL_QUERIES = 11


def test_report_detail_exact_queries(client_for, manager, django_assert_num_queries):
    report = IntelReportFactory(confidentiality=ConfidentialityLevel.SECRET)
    IntelAttachmentFactory.create_batch(2, report=report)
    client = client_for(manager)
    url = reverse("intel:report_detail", args=[report.pk])
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
