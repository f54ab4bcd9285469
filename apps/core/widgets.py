"""Select widgets (and text and date inputs) that write their markup in Python instead of templates.

Django renders a ``<select>`` through ``select.html`` and one ``select_option.html`` include per
option: with fifty people in a picker that is most of a page's rendering time (issue 8). These
widgets produce the same markup as Django's templates (and, for the person picker, as
``core/widgets/person_select.html``, see :class:`apps.core.people.PersonSelect`);
``tests/core/test_widgets.py`` and ``tests/core/test_render_widgets.py`` hold them equal.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from . import forms as core_forms


def attrs_html(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html`` in Python."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def select_html(widget: dict) -> str:
    """``django/forms/widgets/select.html`` and ``select_option.html`` in Python."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{attrs_html(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_html(widget: dict) -> str:
    """``django/forms/widgets/input.html`` in Python."""
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value_attr}{attrs_html(widget['attrs'])}>"
    )


def person_select_html(widget: dict, search_label: str | None = None) -> str:
    """``core/widgets/person_select.html`` in Python: the hidden search box, then the ``<select>``.

    ``search_label`` is the box's accessible name (default: "Search people by name or pinyin")."""
    search = format_html(
        '<input type="search" class="form-control form-control-sm mb-1 person-search" data-person-search="{}" '
        'aria-controls="{}" aria-label="{}" placeholder="{}" autocomplete="off" hidden>\n',
        widget["attrs"].get("id", ""),
        widget["attrs"].get("id", ""),
        search_label or gettext("Search people by name or pinyin"),
        gettext("Search by name or pinyin"),
    )
    return search + select_html(widget)


class Select(forms.Select):
    """A ``forms.Select`` rendered without templates (same markup; same class name, which crispy-forms writes)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return mark_safe(select_html(context["widget"]))  # noqa: S308 (every value escaped above)


class PythonInputMixin:
    """Render an ``<input>`` widget without templates (same markup as ``input.html``)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return mark_safe(input_html(context["widget"]))  # noqa: S308 (every value escaped above)


class TextInput(PythonInputMixin, forms.TextInput):
    """A ``forms.TextInput`` rendered without templates."""


class DateInput(PythonInputMixin, core_forms.DateInput):
    """:class:`apps.core.forms.DateInput` (ISO ``<input type="date">``) rendered without templates."""
