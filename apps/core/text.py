"""Small helpers for user-facing text in both languages."""

from collections.abc import Iterable

from django.utils.translation import get_language


def join_messages(messages: Iterable[str]) -> str:
    """Join whole sentences the way the active language does.

    Chinese sentences end in full-width punctuation and are written one after the other with no
    space ("……已满。请另选日期。"); English ones are separated by a space.
    """
    separator = "" if (get_language() or "").startswith("zh") else " "
    return separator.join(str(message).strip() for message in messages if str(message).strip())
