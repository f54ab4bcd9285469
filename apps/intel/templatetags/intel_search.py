"""``{{ text|highlight:terms }}``: the text escaped, with each match of the search terms in ``<mark>``."""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from ..search import highlight_pattern

register = template.Library()


@register.filter(needs_autoescape=True)
def highlight(text, terms, autoescape=True):
    """Escape ``text`` piece by piece and wrap the matches of ``terms`` (a sequence of words) in ``<mark>``.

    The text between and inside matches is escaped before any markup is added, so a title such as
    ``<script>`` stays text whatever the terms are.
    """
    text = "" if text is None else str(text)
    esc = conditional_escape if autoescape else (lambda value: value)
    pattern = highlight_pattern(terms or ())
    if pattern is None:
        return esc(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
