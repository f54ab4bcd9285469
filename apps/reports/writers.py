"""Write a report's sheets to XLSX, CSV or PDF without holding its rows in memory.

Every text cell goes through :func:`apps.core.export.sanitize_cell`, the project's one
sanitizer against formula injection.
"""

from __future__ import annotations

import csv
import datetime
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from apps.core.export import sanitize_cell

from .registry import Sheet

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "MktdeptCJK"
# XLSX sheet names: at most 31 characters and none of []:*?/\
_BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _plain(value):
    """A cell value for CSV and PDF: numbers without trailing zeros, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, int | float):
        return str(value)  # a number, never a formula: no apostrophe before a minus sign
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return sanitize_cell(str(value))


def write_xlsx(path: Path, sheets: list[Sheet], rows: Iterator[tuple[str, list]]) -> int:
    """XlsxWriter in ``constant_memory`` mode: each row goes to disk as the next one starts."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "default_date_format": "yyyy-mm-dd"},
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    time_format = workbook.add_format({"num_format": "hh:mm"})
    worksheets = {}
    next_row = {}
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.title.translate(_BAD_SHEET_CHARS)[:31])
        for col, width in enumerate(sheet.widths):
            worksheet.set_column(col, col, width)
        worksheet.write_row(0, 0, [sanitize_cell(str(h)) for h in sheet.header], bold)
        worksheet.freeze_panes(1, 0)
        worksheets[sheet.key] = worksheet
        next_row[sheet.key] = 1
    count = 0
    for key, row in rows:
        worksheet = worksheets[key]
        r = next_row[key]
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                worksheet.write_boolean(r, col, value)
            elif isinstance(value, int | float | Decimal):
                worksheet.write_number(r, col, float(value))
            elif isinstance(value, datetime.datetime):
                worksheet.write_datetime(r, col, value.replace(tzinfo=None), datetime_format)
            elif isinstance(value, datetime.date):
                worksheet.write_datetime(r, col, value, date_format)
            elif isinstance(value, datetime.time):
                worksheet.write_datetime(r, col, value, time_format)
            else:
                # write_string, never write(): text is never read as a formula, a number or a URL.
                worksheet.write_string(r, col, sanitize_cell(str(value)))
        next_row[key] = r + 1
        count += 1
    workbook.close()
    return count


def write_csv(path: Path, sheets: list[Sheet], rows: Iterator[tuple[str, list]]) -> int:
    """UTF-8 with BOM (Excel reads Chinese correctly). Several sheets follow one another, each
    under its title; each is spooled to its own temporary file, so memory stays flat."""
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths, handles, writers = {}, {}, {}
        for index, sheet in enumerate(sheets):
            paths[sheet.key] = Path(tmp) / f"{index}.csv"
            handles[sheet.key] = open(paths[sheet.key], "w", encoding="utf-8", newline="")  # noqa: SIM115
            writers[sheet.key] = csv.writer(handles[sheet.key])
            writers[sheet.key].writerow([sanitize_cell(str(h)) for h in sheet.header])
        for key, row in rows:
            writers[key].writerow([_plain(v) for v in row])
            count += 1
        for handle in handles.values():
            handle.close()
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            for index, sheet in enumerate(sheets):
                if len(sheets) > 1:
                    if index:
                        out.write("\r\n")
                    csv.writer(out).writerow([sanitize_cell(sheet.title)])
                with open(paths[sheet.key], encoding="utf-8") as part:
                    shutil.copyfileobj(part, out)
    return count


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        # WenQuanYi Micro Hei (Apache-2.0): Latin and CJK in one face, embedded as a subset.
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))


def write_pdf(path: Path, sheets: list[Sheet], rows: Iterator[tuple[str, list]], *, title: str, subtitle: str) -> int:
    """A printable A4 landscape document of the sheets marked printable, with the shipped CJK font
    (embedded as a subset). Rows of other sheets are skipped without being kept."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    _register_font()
    printable = [s for s in sheets if s.printable]
    collected: dict[str, list[list[str]]] = {s.key: [] for s in printable}
    count = 0
    for key, row in rows:
        if key in collected:
            collected[key].append([_plain(v) for v in row])
            count += 1
    heading = ParagraphStyle("heading", fontName=FONT_NAME, fontSize=15, leading=20, spaceAfter=4)
    sub = ParagraphStyle("sub", fontName=FONT_NAME, fontSize=9, leading=12, textColor=colors.grey)
    cell = ParagraphStyle("cell", fontName=FONT_NAME, fontSize=8, leading=10)
    page_width = landscape(A4)[0] - 24 * mm
    # Paragraph text is reportlab's mini-HTML: every piece of data is escaped, titles included.
    story = [Paragraph(escape(title), heading), Paragraph(escape(subtitle), sub), Spacer(1, 4 * mm)]
    for index, sheet in enumerate(printable):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(escape(sheet.title), ParagraphStyle("h2", parent=heading, fontSize=12, leading=16)))
        data = [[Paragraph(escape(str(h)), cell) for h in sheet.header]]
        data += [[Paragraph(escape(v), cell) for v in row] for row in collected[sheet.key]]
        weights = sheet.widths or [1] * len(sheet.header)
        total = sum(weights)
        table = LongTable(data, colWidths=[page_width * w / total for w in weights], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E9ECEF")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story.append(table)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
    )
    doc.build(story)
    return count
