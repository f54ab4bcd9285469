"""``{{ form|crispy_fast }}``: what ``{{ form|crispy }}`` writes for a plain form, written in Python (issue 8).

crispy-forms renders each field through ``bootstrap5/field.html`` and its includes, and each input
through Django's widget templates: on the comp-time, acting-approver and "My alerts" pages that was
most of the rendering time. Any app's template may use it (``{% load fast_forms %}``).

This filter writes the same markup, character for character (labels, required marks, the
``form-control``/``form-select`` classes, ``is-invalid`` with each error, help text, the values
kept on bad input, non-field errors), for forms of text, number, date, textarea and select fields
(the select widgets of ``apps.core``, person pickers and their subclasses included). Any other form
(a checkbox, radio buttons, a file, a hidden or multi-part widget, a field without a label or id,
a ``helper``) goes through crispy itself. ``tests/core/test_fast_forms.py`` holds the output equal
to crispy's.
"""

from html import escape

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms, template
from django.conf import settings
from django.forms.widgets import Input
from django.template.defaultfilters import unordered_list
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from apps.core.people import PersonSelect
from apps.core.widgets import Select, attrs_html, input_html, select_html

register = template.Library()

# The widgets written here: inputs and textareas that keep Django's template and rendering, and the
# select widgets of apps/core (already written in Python).
INPUT_TEMPLATES = {f"django/forms/widgets/{name}.html" for name in ("text", "number", "date", "email", "url")}
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# The label as crispy-bootstrap5's field.html lays it out (its whitespace is kept by crispy's spaceless).
LABEL = (
    '<label\n                for="{id}" class="form-label{required}">\n'
    "                {label}{mark}\n            </label>"
)
REQUIRED_MARK = '<span class="asteriskField">*</span>'


def _supported(form) -> bool:
    if getattr(form, "helper", None) is not None or not isinstance(form, forms.BaseForm):
        return False
    return all(_field_supported(field) for field in form)


def _field_supported(field) -> bool:
    if _kind(field.field.widget) is None or field.field.localize:
        return False
    return bool(field.label and field.auto_id and not field.use_fieldset)


def _kind(widget) -> str | None:
    """``"select"``, ``"textarea"`` or ``"input"`` for a widget written here, else ``None``."""
    kind = type(widget)
    if kind is Select or (isinstance(widget, PersonSelect) and kind.render is PersonSelect.render):
        return "select"
    if kind.render is not forms.Widget.render:
        return None
    if isinstance(widget, forms.Textarea) and kind.get_context is forms.Widget.get_context:
        return "textarea" if widget.template_name == TEXTAREA_TEMPLATE else None
    if isinstance(widget, Input) and kind.get_context is Input.get_context:
        return "input" if widget.template_name in INPUT_TEMPLATES else None
    return None


def _css_class(widget, extra: str) -> str:
    """The ``class`` crispy's ``{% crispy_field %}`` gives the widget: its own, its class name, then ``extra``."""
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif css.find(name) == -1:
        css += f" {name}"
    present = css.split()
    for word in extra.split():
        if word not in present:
            css += f" {word}"
            present.append(word)
    return css


def _widget_html(field) -> str:
    """``str(field)`` with crispy's classes, the widget's template written in Python."""
    widget = field.field.widget
    kind = _kind(widget)
    extra = "form-select" if kind == "select" else "form-control"
    if field.errors:
        extra += " is-invalid"
    attrs = field.build_widget_attrs({"class": _css_class(widget, extra)}, widget)
    if "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if kind == "select":
        return widget.html(context) if isinstance(widget, PersonSelect) else select_html(context)
    if kind == "textarea":
        value = escape(str(context["value"])) if context["value"] else ""
        return f'<textarea name="{escape(context["name"])}"{attrs_html(context["attrs"])}>\n{value}</textarea>'
    return input_html(context)


def _field_html(field) -> str:
    required = field.field.required
    css = field.css_classes()
    parts = [
        f'<div id="div_{escape(field.auto_id)}" class="mb-3{f" {escape(css)}" if css else ""}">',
        LABEL.format(
            id=escape(field.id_for_label),
            required=" requiredField" if required else "",
            label=conditional_escape(field.label),
            mark=REQUIRED_MARK if required else "",
        ),
        _widget_html(field),
    ]
    if field.errors:
        errors = " ".join(
            f'<p id="error_{number}_{escape(field.auto_id)}"><strong>{conditional_escape(error)}</strong></p>'
            for number, error in enumerate(field.errors, start=1)
        )
        parts.append(f'<div id="{escape(str(field.errors.field_id))}_error" class="invalid-feedback"> {errors} </div>')
    if field.help_text:
        # As crispy: help text is trusted markup (``|safe``).
        parts.append(f'<div id="{escape(field.auto_id)}_helptext" class="form-text">{field.help_text}</div>')
    parts.append("</div>")
    return " ".join(parts)


@register.filter(name="crispy_fast", is_safe=True)
def crispy_fast(form):
    """Return ``{{ form|crispy }}`` of ``form`` (bootstrap5), without a template for the plain fields."""
    if not _supported(form):
        return as_crispy_form(form)
    parts = []
    if errors := form.non_field_errors():
        items = unordered_list(errors).lstrip()
        parts.append(f'<div class="alert alert-block alert-danger"> <ul class="m-0"> {items} </ul> </div>')
    parts.extend(_field_html(field) for field in form)
    return mark_safe(f"\n\n{remove_spaces(' '.join(parts))}\n")  # noqa: S308 (every value escaped above)


@register.filter(name="crispy_fast_field", is_safe=True)
def crispy_fast_field(field):
    """Return ``{{ field|as_crispy_field }}`` of a bound field (bootstrap5), without templates for a
    plain field; the same markup but for the whitespace between tags, which crispy's spaceless
    rendering of a whole form removes too. Other fields, and fields of a form with a ``helper``,
    go through crispy itself."""
    if not isinstance(field, forms.BoundField) or getattr(field.form, "helper", None) is not None:
        return as_crispy_field(field)
    if not _field_supported(field):
        return as_crispy_field(field)
    return mark_safe(remove_spaces(_field_html(field)))  # noqa: S308 (every value escaped above)
