"""Uploaded files: typed by their content, stored under a generated name, shown under their own.

The name a browser sends is only for people to read. The type comes from the content (the
``filetype`` library), the stored name is generated with that type's extension, and the file
is served with that type, so ``note.html`` holding a PDF is stored as ``<uuid>.pdf`` and sent
as ``application/pdf``. Apps list the types they accept by ``filetype`` extension, e.g.
``("pdf", "jpg", "png")``.
"""

import mimetypes
import posixpath
import re
import unicodedata
import uuid
from collections.abc import Iterable

import filetype
from django.utils.translation import gettext as _

from .forms import single_line

# Enough for every signature filetype knows.
_HEAD_BYTES = 8192

# Longest kept name in UTF-8 bytes: fits a 200-character column and, with a corrected
# extension, the 255-byte name limit of common file systems when the file is saved again.
DISPLAY_NAME_MAX_BYTES = 200

# Control and format characters, surrogates, private-use and unassigned code points, emoji and
# other pictographs: invisible, unsafe or unprintable in a file name.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk"})
# Path separators and the characters Windows refuses in file names.
_RESERVED = re.compile(r'[\\/:*?"<>|]')
# What counts as an extension worth keeping: a dot and up to ten letters or digits.
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}")


def _head(upload) -> bytes:
    """Return the first bytes of ``upload`` and leave it at its start."""
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    return head


def upload_kind(upload, *, allowed: Iterable[str]):
    """Return the ``filetype`` type of ``upload``'s content if it is one of ``allowed``, else None."""
    head = _head(upload)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.extension not in set(allowed):
        return None
    return kind


def upload_stored_name(kind) -> str:
    """Return a fresh storage name with the extension of the detected type."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if dot and _EXTENSION.fullmatch("." + extension):
        return stem, "." + extension
    return name, ""


def upload_display_name(name: str, *, max_bytes: int = DISPLAY_NAME_MAX_BYTES, fallback: str | None = None) -> str:
    """Return ``name`` made safe to show and to offer as a download name.

    Drops any path, line breaks, invisible characters and emoji, replaces characters Windows
    refuses, and shortens it to ``max_bytes`` in UTF-8 without splitting a character and without
    losing its extension. A name with nothing left before the extension becomes "attachment"
    (附件) with that extension.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = posixpath.basename(name.replace("\\", "/"))
    name = single_line(name)
    name = "".join(char for char in name if unicodedata.category(char) not in _DROPPED_CATEGORIES)
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split())
    stem, extension = _split_extension(name.strip())
    stem = stem.strip(". ")
    if not stem:
        stem = fallback or _("attachment")
    budget = max(max_bytes - len(extension.encode()), 1)
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(". ")
    return stem + extension


def upload_download_name(display_name: str, kind) -> str:
    """Return the name to offer for a download: the shown name, with the extension of its real type."""
    if kind is None or mimetypes.guess_type(display_name)[0] == kind.mime:
        return display_name
    stem, _extension = _split_extension(display_name)
    return f"{stem}.{kind.extension}"
