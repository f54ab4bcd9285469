"""A report type of classified material records the clearance its file was built under; the file is
refused to anyone whose clearance is now below it, and the pages say why (R-INTEL-03)."""

import pytest
from django.urls import reverse

from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.reports import registry
from apps.reports.models import ReportJob
from apps.reports.registry import BUILT_CLEARANCE, ReportType, Sheet, register
from apps.reports.selectors import report_jobs_visible_to
from apps.reports.services import report_job_build
from tests.factories import UserFactory

from .helpers import csv_sections, download

pytestmark = pytest.mark.django_db


@pytest.fixture
def classified_type():
    """A made-up type whose only cell is the clearance the builder handed it."""
    saved = dict(registry._registry)

    @register
    class Classified(ReportType):
        code = "classified_test"
        permission = "reports.view_leave_report"
        private_files = True
        formats = ("csv",)

        def file_clearance(self, *, requester):
            return requester.clearance

        def sheets(self, params):
            return [Sheet("s", "S", ["clearance"])]

        def rows(self, params, progress):
            yield "s", [params[BUILT_CLEARANCE]]

    @register
    class Plain(Classified):
        code = "plain_test"

        def file_clearance(self, *, requester):
            return None

        def rows(self, params, progress):
            yield "s", ["given" if BUILT_CLEARANCE in params else "none"]

    yield
    registry._registry.clear()
    registry._registry.update(saved)


def _built(user, code="classified_test") -> ReportJob:
    job = ReportJob.objects.create(report_type=code, params={}, format="csv", title="机密报表", requested_by=user)
    assert report_job_build(job_id=job.pk) == "done"
    job.refresh_from_db()
    return job


def _lower(user, level):
    user.clearance = level
    user.save(update_fields=["clearance"])


def test_r_intel_03_the_clearance_is_recorded_and_handed_to_the_rows(classified_type, client_for):
    requester = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=Level.SECRET)
    job = _built(requester)
    assert job.built_clearance == Level.SECRET
    assert csv_sections(download(client_for(requester), job))[0][1] == [str(int(Level.SECRET))]


def test_the_clearance_is_read_by_the_worker_not_at_the_request(classified_type):
    requester = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=Level.SECRET)
    job = ReportJob.objects.create(report_type="classified_test", params={}, format="csv", requested_by=requester)
    _lower(requester, Level.CONFIDENTIAL)
    report_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.built_clearance == Level.CONFIDENTIAL


def test_r_intel_03_a_file_is_refused_once_the_clearance_is_lowered_and_the_page_says_why(classified_type, client_for):
    requester = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=Level.SECRET)
    job = _built(requester)
    client = client_for(requester)
    detail = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'data-testid="report-download"' in detail and "report-withheld" not in detail

    _lower(requester, Level.INTERNAL)
    client = client_for(requester)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    for name in ("reports:job", "reports:job_status"):
        page = client.get(reverse(name, args=[job.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert 'data-testid="report-withheld"' in content
        assert reverse("reports:download", args=[job.pk]) not in content
    index = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:job", args=[job.pk]) in index
    assert reverse("reports:download", args=[job.pk]) not in index
    assert 'data-testid="report-withheld"' in index

    # Back to the level it was built under: the file opens again.
    _lower(requester, Level.SECRET)
    assert client_for(requester).get(reverse("reports:download", args=[job.pk])).status_code == 200


def test_a_clearance_at_the_built_level_opens_the_file(classified_type, client_for):
    requester = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=Level.CONFIDENTIAL)
    job = _built(requester)
    assert client_for(requester).get(reverse("reports:download", args=[job.pk])).status_code == 200
    assert report_jobs_visible_to(user=requester).get(pk=job.pk).file_withheld is not True


def test_a_type_without_clearance_is_not_bound_to_one(classified_type, client_for):
    requester = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=Level.SECRET)
    job = _built(requester, code="plain_test")
    assert job.built_clearance is None
    _lower(requester, Level.PUBLIC)
    client = client_for(requester)
    assert csv_sections(download(client, job))[0][1] == ["none"]
    assert report_jobs_visible_to(user=requester).get(pk=job.pk).file_withheld is not True
