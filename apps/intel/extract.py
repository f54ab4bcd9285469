"""Text of an uploaded attachment, for search. Filled in by the search work."""


def attachment_text(*, handle, content_type: str) -> str:
    """Return the plain text of the file open in ``handle`` (empty when it has none we can read)."""
    return ""
