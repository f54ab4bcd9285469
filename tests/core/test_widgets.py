"""Issue 8: the select widgets written in Python produce exactly the markup of Django's templates."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils import translation

from apps.core.people import PersonChoiceField, PersonSelect
from apps.core.widgets import Select
from tests.factories import DepartmentFactory, UserFactory

CHOICES = [
    ("", "---"),
    ("a&b", 'A "quoted" <b>'),
    ("Group <1>", [("x", "X & Y"), ("y", "Y")]),
    (3, "Three"),
]


def _templated_person_select(widget: PersonSelect, name, value, attrs) -> str:
    """What ``PersonSelect.template_name`` renders (the reference markup)."""
    context = widget.get_context(name, value, attrs)
    return get_default_renderer().render(widget.template_name, context)


@pytest.mark.parametrize("value", ["", "a&b", "y", 3, None])
@pytest.mark.parametrize("attrs", [None, {"id": "id_f", "class": "form-select", "required": True, "disabled": False}])
def test_select_writes_djangos_markup(value, attrs):
    fast = Select(choices=CHOICES).render("f", value, attrs=attrs)
    templated = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)

    assert fast == templated
    assert "<option" in fast


@pytest.mark.django_db
def test_person_select_writes_its_templates_markup():
    department = DepartmentFactory()
    chooser = UserFactory(full_name="陈晨", department=department)
    UserFactory(full_name="曾<静>", department=department)
    UserFactory(full_name='O"Brien & co', department=DepartmentFactory())
    field = PersonChoiceField()
    field.set_chooser(chooser, exclude_chooser=False)
    widget = field.widget
    widget.choices = field.choices

    with translation.override("zh-hans"):
        fast = widget.render("owner", chooser.pk, attrs={"id": "id_owner", "class": "form-select"})
        templated = _templated_person_select(widget, "owner", chooser.pk, {"id": "id_owner", "class": "form-select"})

    assert fast == templated
    assert "<optgroup" in fast
    assert " zeng" in fast  # the surname's reading, for the search
