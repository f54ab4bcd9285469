"""Every download of personal or classified data is private: never stored by a cache (issue 7)."""

import datetime
import zoneinfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.export import csv_response
from apps.reports.models import ReportJob
from tests.leave.helpers import PDF_BYTES, at, submit

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _assert_private(response):
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_doctors_note_download_is_private(client_for, manager, staff, other_staff):
    note = SimpleUploadedFile("假条.pdf", PDF_BYTES, content_type="application/pdf")
    leave = submit(
        staff,
        handover_to=other_staff,
        start=datetime.date(2026, 11, 2),
        code="sick",
        attachment=note,
        now=at(2026, 11, 2, 8, 0),
    )

    response = client_for(staff).get(reverse("leave:attachment", args=[leave.pk]))

    _assert_private(response)


@pytest.mark.django_db
def test_attendance_summary_csv_is_private(client_for, manager):

    response = client_for(manager).get(reverse("attendance:summary_export"), {"month": "2026-11"})

    _assert_private(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_every_csv_export_is_private():
    _assert_private(csv_response(filename="x.csv", header=["a"], rows=[["1"]]))


@pytest.mark.django_db
def test_report_file_download_is_private(client_for, manager):
    job = ReportJob.objects.create(
        report_type="attendance_monthly",
        title="九月考勤",
        requested_by=manager,
        status=ReportJob.Status.DONE,
        format=ReportJob.Format.CSV,
    )
    job.file.save(f"{job.pk}.csv", ContentFile(b"a,b\r\n"), save=True)

    try:
        response = client_for(manager).get(reverse("reports:download", args=[job.pk]))

        _assert_private(response)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert b"".join(response.streaming_content) == b"a,b\r\n"
    finally:
        job.file.delete(save=False)
