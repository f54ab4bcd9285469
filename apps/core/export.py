"""Spreadsheet and CSV export helpers shared by every report of the project."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

from .http import private_download

# A cell starting with one of these is read as a formula (or worse) by Excel and friends.
_DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")


def sanitize_cell(value):
    """Neutralise spreadsheet formula injection: prefix risky text with an apostrophe.

    Numbers stay numbers; only text that begins with ``= + - @``, a tab, a carriage return or
    NUL is changed.
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS_PREFIXES):
        return "'" + value
    return value


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """Return a private CSV download in UTF-8 with a BOM so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([sanitize_cell(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([sanitize_cell(cell) for cell in row])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Every export holds personal data: never kept by a cache or a shared proxy.
    return private_download(response)
