"""The report center's pages run a fixed number of queries, however many jobs there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.reports.models import ReportJob
from tests.factories import UserFactory

from .helpers import ATTENDANCE_SEPTEMBER

pytestmark = pytest.mark.django_db

STATUSES = [s for s, _label in ReportJob.Status.choices]


def make_jobs(count, marketing):
    """Jobs of both types, all formats and statuses, each requested by (and sent to) someone else."""
    jobs = []
    for index in range(count):
        requester = UserFactory(department=marketing)
        jobs.append(
            ReportJob.objects.create(
                report_type=["attendance_monthly", "leave_statistics"][index % 2],
                params=ATTENDANCE_SEPTEMBER,
                format=["xlsx", "csv", "pdf"][index % 3],
                title=f"报表 {index}",
                requested_by=requester,
                deliver_to=requester,
                status=STATUSES[index % len(STATUSES)],
                error_code="unexpected" if STATUSES[index % len(STATUSES)] == "failed" else "",
            )
        )
    return jobs


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


def test_index_queries_do_not_grow_with_jobs(administration, marketing, client_for):
    client = client_for(administration)
    url = reverse("reports:index")
    client.get(url)  # warm up the session and permission caches
    make_jobs(2, marketing)
    few, response = queries(client, url)
    assert len(response.context["page_obj"]) == 2
    make_jobs(10, marketing)
    many, response = queries(client, url)
    assert len(response.context["page_obj"]) == 12

    assert many == few
    assert few <= 15


def test_index_filtered_by_type_and_status_does_not_grow(administration, marketing, client_for):
    client = client_for(administration)
    url = reverse("reports:index") + "?type=attendance_monthly&status=done"
    client.get(url)
    make_jobs(2 * len(STATUSES), marketing)
    few, response = queries(client, url)
    make_jobs(6 * len(STATUSES), marketing)
    many, response = queries(client, url)

    assert {job.status for job in response.context["page_obj"]} == {"done"}
    assert many == few


def test_job_page_queries_do_not_grow_with_jobs(manager, marketing, client_for, django_assert_max_num_queries):
    client = client_for(manager)
    job = make_jobs(1, marketing)[0]
    url = reverse("reports:job", args=[job.pk])
    client.get(url)
    make_jobs(1, marketing)
    few, _response = queries(client, url)
    make_jobs(11, marketing)
    many, _response = queries(client, url)

    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("reports:job_status", args=[job.pk]))


def test_report_page_recent_files_do_not_grow(manager, client_for):
    client = client_for(manager)
    url = reverse("reports:type", args=["attendance_monthly"])
    client.get(url)
    for index in range(2):
        ReportJob.objects.create(report_type="attendance_monthly", title=f"t{index}", requested_by=manager)
    few, _response = queries(client, url)
    for index in range(10):
        ReportJob.objects.create(report_type="attendance_monthly", title=f"u{index}", requested_by=manager)
    many, response = queries(client, url)

    assert len(response.context["recent"]) == 5
    assert many == few
