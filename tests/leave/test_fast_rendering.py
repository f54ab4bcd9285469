"""Issue 8: what the leave pages write in Python instead of templates is the templates' markup, word for word.

The select widgets (``apps/leave/widgets.py``) and the row filters (``apps/leave/templatetags/leave_tags.py``)
replace an include per option or per row; each is compared here with the template it stands for.
"""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from apps.core.people import PersonChoiceField, PersonSelect
from apps.leave import widgets
from apps.leave.models import LeaveRequest
from apps.leave.templatetags.leave_tags import leave_period, leave_status
from tests.clock import WORKING_MORNING
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import make_leave

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _pair(widget_class, fast_class, **field_kwargs):
    class Slow(forms.Form):
        choice = forms.ChoiceField(
            widget=widget_class(attrs={"class": "form-select", "data-x": 'a"<b'}), **field_kwargs
        )

    class Fast(forms.Form):
        choice = forms.ChoiceField(widget=fast_class(attrs={"class": "form-select", "data-x": 'a"<b'}), **field_kwargs)

    return Slow, Fast


@pytest.mark.parametrize("value", [None, "2", "<&>"])
def test_fast_select_writes_djangos_markup_with_groups_and_escaping(value):
    choices = [("", "—"), ("1", "One & <two>"), ("Group “A”", [("2", "Two"), ("<&>", 'Quote "q"')]), ("3", "三")]
    slow_form, fast_form = _pair(forms.Select, widgets.Select, choices=choices, required=False)
    data = {"choice": value} if value is not None else None

    slow, fast = str(slow_form(data)["choice"]), str(fast_form(data)["choice"])

    assert fast == slow
    assert "optgroup" in fast and "&lt;two&gt;" in fast
    assert (f'value="{value}" selected' in fast.replace("&lt;&amp;&gt;", "<&>")) is (value is not None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_fast_person_select_writes_the_person_pickers_markup(marketing, language):
    chooser = UserFactory(department=marketing, full_name="王经理")
    UserFactory(department=marketing, full_name="陈晨")
    UserFactory(department=DepartmentFactory(), full_name="李静 <b>")
    chosen = UserFactory(department=marketing, full_name="张伟")

    def form(widget_class, data=None):
        class Form(forms.Form):
            user = PersonChoiceField(label="person", widget=widget_class)

        instance = Form(data)
        instance.fields["user"].set_chooser(chooser)
        return instance

    with translation.override(language):
        for data in (None, {"user": str(chosen.pk)}):
            slow, fast = str(form(PersonSelect, data)["user"]), str(form(widgets.PersonSelect, data)["user"])
            assert fast.strip() == slow.strip()
            assert "person-search" in fast and "data-search" in fast and "&lt;b&gt;" in fast and "optgroup" in fast


@pytest.mark.parametrize(("start_half", "end_half"), [("am", "pm"), ("pm", "pm"), ("am", "am"), ("pm", "am")])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_row_filters_write_what_the_period_and_status_includes_write(staff, manager, start_half, end_half, language):
    leave = make_leave(
        staff,
        handover_to=UserFactory(department=staff.department),
        approver=manager,
        start=datetime.date(2026, 12, 8),
        end=datetime.date(2026, 12, 10),
        status=LeaveRequest.Status.PENDING,
    )
    leave.start_half, leave.end_half = start_half, end_half

    with translation.override(language):
        for status in LeaveRequest.Status.values:
            leave.status = status
            assert leave_status(leave) == render_to_string("leave/includes/_status.html", {"leave": leave}).strip()
        assert leave_period(leave) == render_to_string("leave/includes/_period.html", {"leave": leave})
        # And through the template engine, as the pages use them.
        rendered = Template("{% load leave_tags %}{{ leave|leave_period }}").render(Context({"leave": leave}))
        assert rendered == leave_period(leave)
    assert ("afternoon" in rendered or "下午" in rendered) is (start_half == "pm")
