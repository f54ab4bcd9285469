"""Issue 8: ``{{ form|crispy_fast }}`` writes what ``{{ form|crispy }}`` wrote, character for character.

The comp-time and acting-approver pages render their forms with it; each form is compared here with crispy's
rendering unbound, with bad input (errors, values kept) and with errors of the whole form, in both languages.
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from apps.core.forms import BoundedDateField, SingleLineCharField
from apps.core.people import people_choosable
from apps.core.templatetags import fast_forms
from apps.core.templatetags.fast_forms import crispy_fast
from apps.leave.forms import ActingApproverForm, CompGrantDirectForm, CompGrantRequestForm
from apps.leave.models import CompTimeEntry
from tests.clock import WORKING_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
FAST = engines["django"].from_string("{% load fast_forms %}{{ form|crispy_fast }}")


@pytest.fixture
def written_here(monkeypatch):
    """The forms of these tests are written by the filter itself, never handed to crispy."""

    def refuse(form):
        raise AssertionError(f"{type(form).__name__} went through crispy")

    monkeypatch.setattr(fast_forms, "as_crispy_form", refuse)


def _both(form) -> tuple[str, str]:
    # crispy first: it writes its classes into the widgets' attrs, which must change nothing for the other.
    return CRISPY.render({"form": form}), FAST.render({"form": form})


class EveryKind(forms.Form):
    required_css_class = "is-required"

    name = SingleLineCharField(label=mark_safe("Name <em>here</em>"), max_length=20, help_text="Your <b>name</b>")
    email = forms.EmailField(label="E-mail & more", required=False)
    count = forms.IntegerField(label="Count", min_value=1, widget=forms.NumberInput(attrs={"class": "w-25"}))
    day = BoundedDateField(label="Day", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        raise forms.ValidationError(["First <problem>", "second"])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_comp_time_and_acting_forms_render_as_crispy_renders_them(manager, staff, written_here, language):
    members = people_choosable(exclude=manager).filter(department=manager.department)
    bad_request = {"req-work_date": "2026-13-45", "req-days": "3", "req-reason": ""}
    good_request = {"req-work_date": "2026-11-28", "req-days": "0.5", "req-reason": 'a <b> & "c"'}
    bad_direct = {"direct-user": "999999", "direct-days": "0.1", "direct-reason": "x<y"}
    bad_acting = {"user": str(staff.pk), "start_date": "", "end_date": "2026-12-09"}
    cases = [
        CompGrantRequestForm(prefix="req", initial={"work_date": None}),
        CompGrantRequestForm(prefix="req", initial={"work_date": "2026-11-28"}),
        CompGrantRequestForm(bad_request, prefix="req"),
        CompGrantRequestForm(good_request, prefix="req"),
        CompGrantDirectForm(prefix="direct", members=members),
        CompGrantDirectForm(bad_direct, prefix="direct", members=members),
        ActingApproverForm(user=manager),
        ActingApproverForm(bad_acting, user=manager),
    ]
    with translation.override(language):
        for form in cases:
            if form.is_bound:
                form.is_valid()
            crispy, fast = _both(form)
            assert fast == crispy, form
        service_error = CompGrantRequestForm(good_request, prefix="req")
        assert service_error.is_valid()
        service_error.add_error(None, forms.ValidationError("Not on a <working> day", code="working_day"))
        crispy, fast = _both(service_error)
        assert fast == crispy
    assert 'value="a &lt;b&gt; &amp; &quot;c&quot;"' not in fast  # a textarea keeps its value as text
    assert "a &lt;b&gt; &amp; &quot;c&quot;</textarea>" in fast
    assert "Not on a &lt;working&gt; day" in fast and "alert-danger" in fast

    rendered = crispy_fast(cases[2])
    assert rendered.count("is-invalid") == 3 and rendered.count('class="invalid-feedback"') == 3
    assert 'value="2026-13-45"' in rendered  # the bad date is kept for correction
    assert rendered.count('<span class="asteriskField">*</span>') == 3
    assert "person-search" in crispy_fast(cases[5]) and 'value="x&lt;y"' in crispy_fast(cases[5])


@pytest.mark.parametrize("data", [None, {"name": "Ann", "count": "0", "email": "bad", "notes": "<x>"}])
def test_labels_help_text_optional_fields_and_form_errors_render_as_crispy_renders_them(written_here, data):
    form = EveryKind(data)
    if data:
        assert not form.is_valid()

    crispy, fast = _both(form)

    assert fast == crispy
    assert "Name &lt;em&gt;here&lt;/em&gt;" in fast and "E-mail &amp; more" in fast
    assert 'class="form-text">Your <b>name</b></div>' in fast
    assert fast.count('<span class="asteriskField">*</span>') == 2  # name and count; the rest optional
    assert 'class="w-25 numberinput form-control' in fast
    if data:
        assert "First &lt;problem&gt;" in fast and fast.count("invalid-feedback") == 2  # count and e-mail


def test_forms_it_does_not_write_go_through_crispy():
    class WithCheckbox(forms.Form):
        agree = forms.BooleanField(label="Agree")
        upload = forms.FileField(label="File", required=False)

    class Unlabelled(forms.Form):
        note = forms.CharField(label="")

    for form in (WithCheckbox(), Unlabelled(), EveryKind(auto_id=False)):
        crispy, fast = _both(form)
        assert fast == crispy


def test_the_comp_time_page_keeps_bad_input_with_its_errors(client_for, manager, staff, written_here):
    CompTimeEntry.objects.create(user=manager, kind="grant", days=Decimal("1"), created_by=manager)
    client = client_for(manager)

    response = client.post(
        reverse("leave:comp_time"), {"direct-user": str(staff.pk), "direct-days": "20", "direct-reason": "周末<加班>"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="div_id_direct-days"' in body and 'name="direct-days" value="20"' in body
    assert 'value="周末&lt;加班&gt;"' in body
    assert body.count("is-invalid") == 1 and 'id="error_1_id_direct-days"' in body
    assert f'<option value="{staff.pk}" selected data-search=' in body
    assert 'for="id_req-work_date" class="form-label requiredField"' in body


def test_the_acting_approver_page_keeps_bad_input_with_its_errors(client_for, manager, staff, written_here):
    response = client_for(manager).post(
        reverse("leave:acting"), {"user": str(staff.pk), "start_date": "2026-12-09", "end_date": "nope"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="start_date" value="2026-12-09"' in body and 'name="end_date" value="nope"' in body
    assert body.count('class="invalid-feedback"') == 1 and 'id="error_1_id_end_date"' in body
    assert datetime.date(2026, 12, 9).isoformat() in body
