"""Text of an uploaded attachment, for search (R-INTEL-05).

PDF through pypdfium2, DOCX through the standard library (a DOCX is a ZIP holding
``word/document.xml``; its paragraphs are ``w:p`` elements with the text in ``w:t``), XLSX
through openpyxl (read-only, cell values), plain text decoded as UTF-8 or GB18030. Images and
anything else give "". The text is capped at :data:`MAX_CHARS`; a broken or hostile file never
raises: it is logged and gives "".
"""

import contextlib
import io
import logging
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000  # about 100 pages of Chinese text; search needs no more
MAX_PDF_PAGES = 300
MAX_XML_BYTES = 20 * 1024 * 1024  # word/document.xml larger than this is not read (zip bombs)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def attachment_text(*, handle, content_type: str) -> str:
    """Return the plain text of the file open in ``handle`` (empty when it has none we can read)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    reader = {PDF: _pdf_text, DOCX: _docx_text, XLSX: _xlsx_text}.get(kind)
    if reader is None and kind.startswith("text/"):
        reader = _plain_text
    if reader is None:
        return ""
    try:
        if hasattr(handle, "seek"):
            handle.seek(0)
        data = handle.read()
        return _cap(reader(data))
    except Exception:  # a broken upload must not break filing the report
        logger.warning("Could not extract the text of an attachment (%s)", kind, exc_info=True)
        return ""
    finally:
        if hasattr(handle, "seek"):
            with contextlib.suppress(Exception):  # a closed handle: nothing more to do
                handle.seek(0)


def _cap(text: str) -> str:
    text = "\n".join(line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip())
    return text[:MAX_CHARS]


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        chunks, total = [], 0
        for index in range(min(len(pdf), MAX_PDF_PAGES)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    chunk = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
            chunks.append(chunk)
            total += len(chunk)
            if total >= MAX_CHARS:
                break
        return "\n".join(chunks)
    finally:
        pdf.close()


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_XML_BYTES:
            raise ValueError("word/document.xml is too large")
        xml = archive.read(info)
    # ElementTree does not fetch external entities or DTDs; a DOCX has none.
    root = ElementTree.fromstring(xml)  # noqa: S314 - size-capped above
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{_W}tab":
                pieces.append("\t")
        paragraphs.append("".join(pieces))
    return "\n".join(paragraphs)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines, total = [], 0
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None and str(value).strip()]
                if cells:
                    line = " ".join(cells)
                    lines.append(line)
                    total += len(line)
                    if total >= MAX_CHARS:
                        return "\n".join(lines)
        return "\n".join(lines)
    finally:
        workbook.close()


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
