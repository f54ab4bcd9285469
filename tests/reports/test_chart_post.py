""" "Show the chart" posts its form: no CSRF token in a URL, and no report job is made (issue 7)."""

import pytest
from django.urls import reverse

from apps.reports.models import ReportJob
from tests.clock import at_working_morning

pytestmark = [pytest.mark.django_db, at_working_morning]
URL = reverse("reports:type", args=["attendance_monthly"])


def test_show_chart_posts_the_form_and_builds_nothing(client_for, manager):
    client = client_for(manager)
    page = client.get(URL).content.decode()
    assert 'formmethod="get"' not in page
    assert 'name="action" value="chart"' in page

    response = client.post(URL, {"month": "2026-11", "department": manager.department.code, "action": "chart"})

    assert response.status_code == 200
    assert response.context["chart_data"]
    assert not ReportJob.objects.exists()


def test_build_the_file_still_requests_a_job(client_for, manager):
    response = client_for(manager).post(
        URL, {"month": "2026-11", "department": manager.department.code, "format": "xlsx"}
    )

    assert response.status_code == 302
    assert ReportJob.objects.count() == 1
