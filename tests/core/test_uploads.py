"""Uploads are typed by content, stored under a generated name and served as what they are (issue 7)."""

import datetime
import re
import zoneinfo

import filetype
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.core.uploads import upload_display_name, upload_download_name, upload_kind, upload_stored_name
from apps.leave.models import LeaveRequest
from tests.leave.helpers import PDF_BYTES, PNG_BYTES, at, submit

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 11, 2)
BEFORE = at(2026, 11, 2, 8, 0)
LONG_CJK = "𠀀" * 80 + ".pdf"  # 324 bytes in UTF-8
STORED = re.compile(r"leave/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)")


@pytest.fixture
def disk(monkeypatch, tmp_path):
    """Store leave attachments on a real file system, where a name over 255 bytes fails.

    Only the field's storage is swapped: changing STORAGES would reset every storage of the process.
    """
    monkeypatch.setattr(LeaveRequest._meta.get_field("attachment"), "storage", FileSystemStorage(location=tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(BEFORE, tick=False)


def _sick_note(manager, staff, other_staff, name, content=PDF_BYTES) -> LeaveRequest:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    leave = submit(staff, handover_to=other_staff, start=MONDAY, code="sick", attachment=upload, now=BEFORE)
    leave.refresh_from_db()
    return leave


# ---------------------------------------------------------------------------------------------
# apps.core.uploads


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("假条.pdf", "假条.pdf"),
        ("C:\\Users\\me\\假条.pdf", "假条.pdf"),
        ("../../etc/passwd", "passwd"),
        ("病假\r\n证明.pdf", "病假 证明.pdf"),
        ('a<b>:"c"|?.pdf', "a_b___c___.pdf"),
        ("😷😷.pdf", "附件.pdf"),
        (".pdf", "附件.pdf"),
        ("", "附件"),
        ("医院🏥证明.PDF", "医院证明.PDF"),
    ],
)
def test_display_name_is_safe_and_keeps_the_extension(name, shown):
    with translation.override("zh-hans"):
        assert upload_display_name(name) == shown


def test_emoji_only_name_becomes_attachment_in_english():
    with translation.override("en"):
        assert upload_display_name("😷.pdf") == "attachment.pdf"


@pytest.mark.parametrize("name", [LONG_CJK, "a" * 300 + ".pdf", "证" * 100 + ".jpeg", "😷" * 40 + "假" * 90 + ".png"])
def test_long_display_name_is_cut_by_bytes_without_losing_its_extension(name):
    shown = upload_display_name(name)

    assert len(shown.encode()) <= 200
    assert shown.endswith(name.rsplit(".", 1)[1])
    assert shown.rsplit(".", 1)[0]  # something before the extension
    assert shown.encode().decode() == shown  # no split character


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF_BYTES, "pdf"), (PNG_BYTES, "png"), (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "jpg"), (b"<html>", None)],
)
def test_upload_kind_reads_the_content_and_leaves_the_file_at_its_start(content, kind):
    upload = SimpleUploadedFile("x.pdf", content)
    upload.read(3)

    found = upload_kind(upload, allowed=("pdf", "jpg", "png"))

    assert (found.extension if found else None) == kind
    assert upload.read() == content


def test_upload_kind_refuses_a_type_not_allowed():
    assert upload_kind(SimpleUploadedFile("x.png", PNG_BYTES), allowed=("pdf",)) is None


def test_stored_name_is_generated_with_the_detected_extension():
    pdf = filetype.get_type(ext="pdf")

    names = {upload_stored_name(pdf) for _ in range(3)}

    assert len(names) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}\.pdf", name) for name in names)


@pytest.mark.parametrize(
    ("shown", "ext", "download"),
    [
        ("note.html", "pdf", "note.pdf"),
        ("假条", "pdf", "假条.pdf"),
        ("photo.JPEG", "jpg", "photo.JPEG"),
        ("a.pdf", "pdf", "a.pdf"),
    ],
)
def test_download_name_carries_the_extension_of_the_real_type(shown, ext, download):
    assert upload_download_name(shown, filetype.get_type(ext=ext)) == download


# ---------------------------------------------------------------------------------------------
# The sick-leave note


@pytest.mark.django_db
def test_sick_note_with_a_name_over_255_bytes_is_stored(disk, manager, staff, other_staff):
    leave = _sick_note(manager, staff, other_staff, LONG_CJK)

    assert STORED.fullmatch(leave.attachment.name)
    assert (disk / leave.attachment.name).read_bytes() == PDF_BYTES
    assert leave.attachment_name.endswith(".pdf")
    assert leave.attachment_name.startswith("𠀀")
    assert len(leave.attachment_name.encode()) <= 200


@pytest.mark.django_db
def test_sick_note_named_html_holding_a_pdf_is_stored_and_served_as_pdf(disk, client_for, manager, staff, other_staff):
    leave = _sick_note(manager, staff, other_staff, "note.html")

    response = client_for(manager).get(reverse("leave:attachment", args=[leave.pk]))

    assert leave.attachment.name.endswith(".pdf")
    assert STORED.fullmatch(leave.attachment.name)
    assert leave.attachment_name == "note.html"  # shown as the person named it
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="note.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_sick_note_with_a_chinese_name_is_offered_under_it(client_for, manager, staff, other_staff):
    leave = _sick_note(manager, staff, other_staff, "病假证明.png", PNG_BYTES)

    response = client_for(manager).get(reverse("leave:attachment", args=[leave.pk]))

    assert response["Content-Type"] == "image/png"
    # RFC 5987: the UTF-8 name, percent-encoded.
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E7%97%85%E5%81%87%E8%AF%81%E6%98%8E.png"


@pytest.mark.django_db
def test_emoji_only_note_name_is_shown_as_attachment(client_for, manager, staff, other_staff):
    with translation.override("zh-hans"):
        leave = _sick_note(manager, staff, other_staff, "😷.pdf")

    assert leave.attachment_name == "附件.pdf"


@pytest.mark.django_db
def test_note_stored_before_typing_is_served_by_its_content(client_for, manager, staff, other_staff):
    """A file stored under its sender's name by the old code is still sent as what it holds."""
    leave = _sick_note(manager, staff, other_staff, "note.pdf")
    leave.attachment.save("old.html", ContentFile(PDF_BYTES), save=False)
    LeaveRequest.objects.filter(pk=leave.pk).update(attachment=leave.attachment.name, attachment_name="old.html")

    response = client_for(manager).get(reverse("leave:attachment", args=[leave.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="old.pdf"'
