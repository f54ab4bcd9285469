"""Responses that carry personal or classified data."""

from django.http import FileResponse, HttpResponse

PRIVATE_CACHE_CONTROL = "private, no-store"


def private_download(response: HttpResponse) -> HttpResponse:
    """Mark a download of personal or classified data: no cache keeps it, no browser re-types it."""
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(handle, *, filename: str, content_type: str) -> FileResponse:
    """Return ``handle`` as an attachment named ``filename`` (RFC 5987 for non-ASCII), never cached."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    return private_download(response)
