"""Helpers shared by the report-center tests."""

import csv
import io
from datetime import date

import openpyxl
import pypdf
from django.core.files.storage import storages
from django.urls import reverse

from apps.reports.models import ReportJob


def stored_files() -> list[str]:
    """Every file in the private report storage."""
    _dirs, files = storages["reports"].listdir("")
    return sorted(files)


def clear_storage() -> None:
    storage = storages["reports"]
    for name in stored_files():
        storage.delete(name)


def request_report(client, capture, code: str, **data) -> tuple:
    """POST the report form with on-commit callbacks run (the eager task builds the file inline).

    Return the response and the newest job (or None when none was created).
    """
    before = set(ReportJob.objects.values_list("pk", flat=True))
    with capture(execute=True):
        response = client.post(reverse("reports:type", args=[code]), data)
    created = ReportJob.objects.exclude(pk__in=before)
    assert created.count() <= 1
    return response, created.first()


def drain(response) -> bytes:
    """Read a streamed response to the end. The test client closes it then, with the connection-closing
    signal held back; closing it again by hand would close the test's database connection on PostgreSQL."""
    return b"".join(response.streaming_content)


def download(client, job) -> bytes:
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return drain(response)


def xlsx_rows(content: bytes) -> dict[str, list[tuple]]:
    """Sheet title → rows of cell values."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows()] for sheet in book.worksheets}


def xlsx_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def csv_sections(content: bytes) -> list[list[list[str]]]:
    """The CSV's sheets: each a list of rows, split on the blank line between sheets."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    sections, current = [], []
    for row in rows:
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    sections.append(current)
    return sections


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def sep(day: int) -> date:
    return date(2026, 9, day)


ATTENDANCE_SEPTEMBER = {"department": "MKT", "month": "2026-09"}


def request_attendance(client, capture, file_format="xlsx") -> tuple:
    return request_report(client, capture, "attendance_monthly", format=file_format, **ATTENDANCE_SEPTEMBER)
