"""Formula injection: every text cell of a report goes through apps.core.export.sanitize_cell."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from apps.core.export import sanitize_cell
from apps.leave.models import LeaveType
from apps.reports.models import ReportJob
from apps.reports.registry import Sheet
from apps.reports.writers import write_csv
from tests.factories import UserFactory

from .helpers import csv_sections, download, pdf_text, request_attendance, xlsx_book

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x", "\x00x"])
def test_risky_text_is_prefixed_with_an_apostrophe(value):
    assert sanitize_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["abc", "", "王经理", "a=b", " 1", 0, 7, -3, 2.5, -2.5, Decimal("-0.5"), Decimal("12.50"), None]
)
def test_safe_text_and_numbers_are_unchanged(value):
    result = sanitize_cell(value)
    assert result == value
    assert type(result) is type(value)


@pytest.fixture
def risky_person(marketing, manager):
    return UserFactory(department=marketing, full_name=HYPERLINK, employee_no="@1")


def build(client, capture, file_format):
    _response, job = request_attendance(client, capture, file_format)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_detail
    return download(client, job)


@pytest.mark.django_db
def test_a_formula_in_a_name_is_text_in_the_xlsx(risky_person, manager, client_for, django_capture_on_commit_callbacks):
    content = build(client_for(manager), django_capture_on_commit_callbacks, "xlsx")

    book = xlsx_book(content)
    # Columns A and B (employee number, full name) of every data row of both sheets.
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for cell in row[:2]]
    risky = [cell for cell in cells if cell.value in ("'@1", "'" + HYPERLINK)]
    assert len(risky) == 2 * (1 + 30)  # number and name: on the summary row and on each day
    assert {cell.data_type for cell in risky} == {"s"}
    assert not [cell for cell in cells if str(cell.value).startswith(("=", "@"))]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)  # no formula anywhere


@pytest.mark.django_db
def test_a_formula_in_a_name_is_text_in_the_csv(risky_person, manager, client_for, django_capture_on_commit_callbacks):
    content = build(client_for(manager), django_capture_on_commit_callbacks, "csv")

    summary, days = csv_sections(content)
    rows = [row for row in summary + days if HYPERLINK in ",".join(row)]
    assert len(rows) == 31
    for row in rows:
        assert row[:2] == ["'@1", "'" + HYPERLINK]
    # No cell of the file starts with a character a spreadsheet reads as a formula.
    for row in summary + days:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.django_db
def test_a_formula_in_a_leave_type_name_is_text_in_the_header(manager, client_for, django_capture_on_commit_callbacks):
    LeaveType.objects.filter(code="annual").update(name="=1+2")

    book = xlsx_book(build(client_for(manager), django_capture_on_commit_callbacks, "xlsx"))

    header = book["按人员"][1]
    assert header[10].value == "'=1+2"
    assert header[10].data_type == "s"


def test_negative_numbers_stay_numbers_in_the_csv(tmp_path):
    path = Path(tmp_path) / "out.csv"
    write_csv(path, [Sheet("s", "S", ["a", "b", "c"])], iter([("s", [-1, -2.5, Decimal("-0.5")])]))

    assert path.read_bytes().decode("utf-8-sig").splitlines()[1] == "-1,-2.5,-0.5"


@pytest.mark.django_db
def test_pdf_shows_markup_characters_of_a_name_literally(manager, client_for, django_capture_on_commit_callbacks):
    manager.full_name = "Ann<b>Lee & R&D"
    manager.save(update_fields=["full_name"])
    client = client_for(manager)

    _response, job = request_attendance(client, django_capture_on_commit_callbacks, "pdf")

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_detail
    assert "Ann<b>Lee & R&D" in pdf_text(download(client, job))
