"""Issue 9 (speed): the text and date inputs written in Python produce exactly the markup of Django's templates."""

import datetime

import pytest
from django import forms

from apps.core import forms as core_forms
from apps.core.widgets import DateInput, TextInput

ATTRS = [
    None,
    {
        "id": "id_q",
        "class": "form-control",
        "autofocus": True,
        "required": False,
        "placeholder": '例如 "化学发光" & <b>',
    },
]


@pytest.mark.parametrize("value", [None, "", "集采", '<script>"x"&', 3])
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("input_type", [None, "search"])
def test_text_input_writes_djangos_markup(value, attrs, input_type):
    fast, templated = TextInput(), forms.TextInput()
    if input_type:
        fast.input_type = templated.input_type = input_type

    assert fast.render("q", value, attrs=attrs) == templated.render("q", value, attrs=attrs)
    assert fast.render("q", value, attrs=attrs).startswith(f'<input type="{input_type or "text"}" name="q"')


@pytest.mark.parametrize("value", [None, "", datetime.date(2026, 12, 1), "2026-13-40", "<x>"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_date_from", "min": "2025-12-01", "max": "2027-12-01"}])
def test_date_input_writes_the_core_date_inputs_markup(value, attrs):
    fast = DateInput().render("date_from", value, attrs=attrs)

    assert fast == core_forms.DateInput().render("date_from", value, attrs=attrs)
    assert fast.startswith('<input type="date" name="date_from"')
    if isinstance(value, datetime.date):
        assert 'value="2026-12-01"' in fast  # ISO whatever the language
