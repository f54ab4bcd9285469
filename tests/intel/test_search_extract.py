"""R-INTEL-05: the text of PDF, DOCX and XLSX attachments is read for search; nothing else breaks."""

import io
import logging
import zipfile
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from apps.intel import extract
from apps.intel.extract import DOCX, PDF, XLSX, attachment_text


def _pdf(lines_by_page) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in lines_by_page:
        y = 800
        for line in lines:
            pdf.setFont("STSong-Light" if any(ord(c) > 127 for c in line) else "Helvetica", 12)
            pdf.drawString(72, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _docx(paragraphs) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}<w:p><w:r><w:t>分</w:t></w:r><w:r><w:t>开的</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["产品", "省份", "中标价"])
    sheet.append(["化学发光试剂", "广东省", 12.5])
    workbook.create_sheet("第二页").append(["备注", None, "集采第三批"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_r_intel_05_pdf_text_on_every_page():
    data = _pdf([["Tender result HbA1c", "化学发光试剂中标"], ["Page two 集采"]])
    text = attachment_text(handle=io.BytesIO(data), content_type=PDF)
    assert "Tender result HbA1c" in text
    assert "化学发光试剂中标" in text
    assert "集采" in text


def test_r_intel_05_docx_paragraphs_and_runs():
    handle = io.BytesIO(_docx(["关于集采的通知", "AB & <C>"]))
    text = attachment_text(handle=handle, content_type=DOCX)
    assert text.splitlines() == ["关于集采的通知", "AB & <C>", "分开的"]
    assert handle.tell() == 0  # the handle is rewound for the caller that saves the file


def test_r_intel_05_xlsx_values_of_every_sheet():
    text = attachment_text(handle=io.BytesIO(_xlsx()), content_type=XLSX)
    assert "化学发光试剂 广东省 12.5" in text
    assert "集采第三批" in text


def test_images_and_unknown_types_give_no_text():
    assert attachment_text(handle=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 20), content_type="image/png") == ""
    assert attachment_text(handle=io.BytesIO(b"anything"), content_type="application/octet-stream") == ""


def test_plain_text_in_utf8_or_gb18030():
    assert attachment_text(handle=io.BytesIO("集采".encode()), content_type="text/plain") == "集采"
    gbk = io.BytesIO("集采".encode("gb18030"))
    assert attachment_text(handle=gbk, content_type="text/plain; charset=gbk") == "集采"


@pytest.mark.parametrize("content_type", [PDF, DOCX, XLSX])
def test_broken_files_give_empty_text_and_a_log_line(content_type, caplog):
    with caplog.at_level(logging.WARNING, logger="apps.intel.extract"):
        assert attachment_text(handle=io.BytesIO(b"%PDF-1.4 broken \x00\xff"), content_type=content_type) == ""
    assert "Could not extract" in caplog.text


def test_docx_without_document_xml_gives_empty_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("other.xml", "<x/>")
    assert attachment_text(handle=io.BytesIO(buffer.getvalue()), content_type=DOCX) == ""


def test_text_is_capped(monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 10)
    text = attachment_text(handle=io.BytesIO(_docx(["一二三四五六七八九十甲乙丙"])), content_type=DOCX)
    assert text == "一二三四五六七八九十"
