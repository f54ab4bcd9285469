"""Widgets written in Python; the selects and inputs shared by every app live in ``apps/core/widgets.py``
and ``apps/core/people.py`` (``DateInput`` is the core one, re-exported for the queue's filters)."""

from django.utils.safestring import mark_safe

from apps.core.people import PersonSelect
from apps.core.widgets import DateInput, Select, select_html

__all__ = ["ChoiceSelect", "DateInput", "PersonSelect", "Select"]


class ChoiceSelect(Select):
    """A select of plain ``(value, label)`` choices, its options written straight from them (issue 8).

    ``Select.optgroups`` builds a dictionary of some ten entries per option through ``create_option``;
    for a flat list of choices this writes the same markup (``select_html``) from the value, the label
    and whether it is chosen, by the same rule: the first choice whose value, as text, is among the
    widget's values (``""`` when nothing is chosen). Grouped choices go through Django's way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # iter(): a model choice iterator's len() would run a COUNT
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        groups = []
        has_selected = False
        for index, (option_value, label) in enumerate(choices):
            if option_value is None:
                option_value = ""
            selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in values
            has_selected |= selected
            option = {"value": option_value, "label": label, "attrs": self.checked_attribute if selected else {}}
            groups.append((None, (option,), index))
        return mark_safe(  # noqa: S308 (every value escaped in select_html)
            select_html({"name": name, "attrs": final_attrs, "optgroups": groups})
        )
