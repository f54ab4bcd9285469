"""Widgets written in Python; the selects live in ``apps/core/widgets.py`` and ``apps/core/people.py``."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from apps.core import forms as core_forms
from apps.core.people import PersonSelect
from apps.core.widgets import Select, attrs_html

__all__ = ["DateInput", "PersonSelect", "Select"]


class DateInput(core_forms.DateInput):
    """The ISO date input without templates: ``django/forms/widgets/input.html`` in Python (issue 8).

    Two date filters drew two template renders on every queue page; ``tests/leave/test_queue_speed.py``
    holds the markup equal to Django's.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(  # noqa: S308 (every value escaped)
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value_attr}{attrs_html(widget['attrs'])}>"
        )
