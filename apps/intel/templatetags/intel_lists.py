"""Cells of the intelligence lists written in Python (issue 9: search and report lists at p50 ≤ 50 ms).

A page of 25 reports renders each of these once per row. As template code they cost more than the
rest of the row together: ``get_kind_display`` rebuilds the field's choice dictionary on every call,
an ``{% include %}`` of the level badge resolves and binds a template per row, a ``{% for %}`` over
a relation builds a loop context per item, and ``{% url %}`` walks the resolver for every row. These
filters write the same markup (``tests/intel/test_render_cells.py`` holds them equal to the template
code they replace).
"""

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.models import ConfidentialityLevel

register = template.Library()

_LEVEL_CLASSES = {
    ConfidentialityLevel.PUBLIC: "text-bg-secondary",
    ConfidentialityLevel.INTERNAL: "text-bg-info",
    ConfidentialityLevel.CONFIDENTIAL: "text-bg-warning",
}
_LEVEL_LABELS = dict(ConfidentialityLevel.choices)

# Model field -> {value: lazy label}; the labels are translated when rendered, so one dictionary
# serves every language.
_choice_labels: dict = {}


def level_badge_html(level) -> SafeString:
    """The level badge of the intelligence pages: ``level`` (a ConfidentialityLevel value), its label and colour."""
    level = int(level)
    css = "text-bg-danger" if level >= ConfidentialityLevel.SECRET else _LEVEL_CLASSES.get(level, "text-bg-secondary")
    label = conditional_escape(_LEVEL_LABELS.get(level, level))
    return mark_safe(  # noqa: S308 (the label is escaped; level is an integer)
        f'<span class="badge intel-level intel-level-{level} {css}" data-testid="level-badge">{label}</span>'
    )


@register.filter
def level_badge(level):
    """``{{ report.confidentiality|level_badge }}``: the level badge of the intelligence pages."""
    if level is None or level == "":
        return ""
    return level_badge_html(level)


@register.filter
def display(obj, field_name: str):
    """``{{ report|display:"kind" }}``: what ``obj.get_kind_display()`` returns, without rebuilding the choices."""
    field = obj._meta.get_field(field_name)
    labels = _choice_labels.get(field)
    if labels is None:
        labels = _choice_labels[field] = dict(field.flatchoices)
    value = getattr(obj, field.attname)
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value is not among the choices
        return value


@register.filter(needs_autoescape=True)
def names(items, separator=", ", autoescape=True):
    """``{{ report.competitor_list|names:list_separator }}``: each item as text, escaped, joined by ``separator``.

    The same as ``{% for x in items %}{{ x }}{% if not forloop.last %}{{ separator }}{% endif %}{% endfor %}``.
    """
    if not items:
        return ""
    esc = conditional_escape if autoescape else str
    return mark_safe(str(esc(separator)).join(str(esc(str(item))) for item in items))  # noqa: S308 (escaped)


@register.filter(needs_autoescape=True)
def tag_badges(tags, autoescape=True):
    """``{{ report.tag_list|tag_badges }}``: one light badge per tag, each followed by a space."""
    esc = conditional_escape if autoescape else str
    return mark_safe(  # noqa: S308 (every name escaped)
        "".join(f'<span class="badge text-bg-light border">{esc(tag.name)}</span> ' for tag in tags)
    )


# An id no row has: the detail address is reversed once with it, then each row's id takes its place.
_ID_PLACEHOLDER = 9_876_543_210_123
_url_templates: dict = {}


@register.filter
def detail_url(pk, view_name: str):
    """``{{ report.pk|detail_url:"intel:report_detail" }}``: ``{% url "intel:report_detail" report.pk %}``.

    For views whose only argument is an ``<int:pk>``. The address is reversed once per view, script
    prefix and URLconf; each row then costs a string replacement instead of a walk of the resolver.
    """
    if not isinstance(pk, int) or isinstance(pk, bool):
        return conditional_escape(reverse(view_name, args=[pk]))
    key = (view_name, get_script_prefix(), get_urlconf())
    pattern = _url_templates.get(key)
    if pattern is None:
        pattern = _url_templates[key] = reverse(view_name, args=[_ID_PLACEHOLDER])
    return conditional_escape(pattern.replace(str(_ID_PLACEHOLDER), str(pk)))
