"""Who may request, see and download report files; forms that refuse bad input without a 500."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse

import mktdept.settings.base as base_settings
from apps.reports.models import ReportJob
from apps.reports.services import report_job_build

from .helpers import ATTENDANCE_SEPTEMBER, download, drain, request_attendance, request_report, stored_files

pytestmark = pytest.mark.django_db

CODES = ["attendance_monthly", "leave_statistics"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_MONTH_ZH = "请按YYYY-MM输入月份，且不晚于明年。"


@pytest.fixture
def manager_job(manager, client_for, django_capture_on_commit_callbacks):
    _response, job = request_attendance(client_for(manager), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    return job


@pytest.mark.parametrize("code", CODES)
def test_staff_without_the_permission_gets_404_on_the_report_page(staff, client_for, code):
    assert client_for(staff).get(reverse("reports:type", args=[code])).status_code == 404


@pytest.mark.parametrize("code", CODES)
def test_staff_without_the_permission_cannot_create_a_job(staff, client_for, django_capture_on_commit_callbacks, code):
    data = {"department": "MKT", "month": "2026-09", "year": "2026", "format": "xlsx"}

    response, job = request_report(client_for(staff), django_capture_on_commit_callbacks, code, **data)

    assert response.status_code == 404
    assert job is None
    assert not ReportJob.objects.exists()


def test_index_offers_a_staff_member_no_report_and_hides_others_jobs(staff, manager_job, client_for):
    response = client_for(staff).get(reverse("reports:index"))

    assert response.status_code == 200
    assert [r.code for r in response.context["available"]] == []
    assert list(response.context["page_obj"]) == []
    assert str(manager_job.pk) not in response.content.decode()


def test_index_offers_the_manager_every_report(manager, client_for):
    response = client_for(manager).get(reverse("reports:index"))

    # The manager also files intelligence, so the intelligence reports are offered too.
    assert [r.code for r in response.context["available"]] == [*CODES, "intel_prices", "intel_reports_by_month"]


@pytest.mark.parametrize("name", ["reports:job", "reports:job_status", "reports:download"])
def test_staff_gets_404_on_someone_elses_job(staff, manager_job, client_for, name):
    assert client_for(staff).get(reverse(name, args=[manager_job.pk])).status_code == 404


def test_staff_cannot_retry_someone_elses_failed_job(
    staff, manager_job, client_for, django_capture_on_commit_callbacks
):
    ReportJob.objects.filter(pk=manager_job.pk).update(status=ReportJob.Status.FAILED, error_code="unexpected")
    client = client_for(staff)  # logging in queues its own cache stamp; only the retry's callbacks count

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:retry", args=[manager_job.pk]))

    assert response.status_code == 404
    assert callbacks == []
    assert ReportJob.objects.get(pk=manager_job.pk).status == ReportJob.Status.FAILED


def test_an_unknown_job_is_404(manager, client_for):
    missing = "00000000-0000-0000-0000-000000000000"
    assert client_for(manager).get(reverse("reports:job", args=[missing])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(manager_job, client):
    response = client.get(reverse("reports:download", args=[manager_job.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_administration_may_open_and_download_the_managers_job(administration, manager_job, client_for):
    client = client_for(administration)

    assert client.get(reverse("reports:job", args=[manager_job.pk])).status_code == 200
    response = client.get(reverse("reports:download", args=[manager_job.pk]))

    assert response.status_code == 200
    assert drain(response).startswith(b"PK")


def test_the_requester_downloads_an_attachment_that_is_not_cached(manager, manager_job, client_for):
    response = client_for(manager).get(reverse("reports:download", args=[manager_job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="attendance-MKT-2026-09.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    content = drain(response)
    assert content == storages["reports"].open(manager_job.file.name).read()
    assert len(content) == manager_job.file_size


@pytest.mark.parametrize(
    ("file_format", "content_type"), [("csv", "text/csv; charset=utf-8"), ("pdf", "application/pdf")]
)
def test_download_content_type_follows_the_format(
    manager, client_for, django_capture_on_commit_callbacks, file_format, content_type
):
    client = client_for(manager)
    _response, job = request_attendance(client, django_capture_on_commit_callbacks, file_format)

    response = client.get(reverse("reports:download", args=[job.pk]))

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="attendance-MKT-2026-09.{file_format}"'
    assert len(drain(response)) == job.file_size


def test_a_report_sent_to_someone_is_theirs_to_download(manager, staff, client_for):
    job = ReportJob.objects.create(
        report_type="attendance_monthly",
        params=ATTENDANCE_SEPTEMBER,
        title="月度考勤 · 市场部2026年9月",
        requested_by=manager,
        deliver_to=staff,
    )
    assert report_job_build(job_id=job.pk) == "done"

    assert download(client_for(staff), job).startswith(b"PK")


def test_report_files_are_not_served_under_media_url(manager, manager_job, client_for):
    client = client_for(manager)

    assert client.get(f"{settings.MEDIA_URL}{manager_job.file.name}").status_code == 404
    # In production the files live in their own folder, outside MEDIA_ROOT.
    reports = base_settings.STORAGES["reports"]
    location = Path(reports["OPTIONS"]["location"]).resolve()
    assert location == Path(base_settings.REPORTS_ROOT).resolve()
    assert not location.is_relative_to(Path(base_settings.MEDIA_ROOT).resolve())
    assert not Path(base_settings.MEDIA_ROOT).resolve().is_relative_to(location)


def test_invalid_format_is_a_form_error_and_creates_no_job(manager, client_for, django_capture_on_commit_callbacks):
    response, job = request_report(
        client_for(manager),
        django_capture_on_commit_callbacks,
        "attendance_monthly",
        format="docx",
        **ATTENDANCE_SEPTEMBER,
    )

    assert response.status_code == 200
    assert job is None
    assert response.context["form"].non_field_errors() == ["该报表不支持此格式。"]
    assert "该报表不支持此格式。" in response.content.decode()
    assert stored_files() == []


@pytest.mark.parametrize("month", ["2026-13", "abc", "2031-01"])
def test_invalid_month_is_a_form_error_and_keeps_the_typed_value(
    manager, client_for, django_capture_on_commit_callbacks, month
):
    response, job = request_report(
        client_for(manager),
        django_capture_on_commit_callbacks,
        "attendance_monthly",
        department="MKT",
        month=month,
        format="xlsx",
    )

    assert response.status_code == 200
    assert job is None
    assert response.context["form"].errors["month"] == [BAD_MONTH_ZH]
    body = response.content.decode()
    assert BAD_MONTH_ZH in body
    assert f'value="{month}"' in body


@pytest.mark.parametrize("year", ["1999", "2031", "abc"])
def test_invalid_year_is_a_form_error(manager, client_for, django_capture_on_commit_callbacks, year):
    response, job = request_report(
        client_for(manager),
        django_capture_on_commit_callbacks,
        "leave_statistics",
        year=year,
        department="MKT",
        format="csv",
    )

    assert response.status_code == 200
    assert job is None
    assert "year" in response.context["form"].errors
    assert f'value="{year}"' in response.content.decode()


def test_unknown_department_is_a_form_error(manager, client_for, django_capture_on_commit_callbacks):
    response, job = request_report(
        client_for(manager),
        django_capture_on_commit_callbacks,
        "attendance_monthly",
        department="NOPE",
        month="2026-09",
        format="xlsx",
    )

    assert response.status_code == 200
    assert job is None
    assert "department" in response.context["form"].errors
