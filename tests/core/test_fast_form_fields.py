"""Issue 8: ``{{ field|crispy_fast_field }}`` writes what ``{{ field|as_crispy_field }}`` wrote, but for the
whitespace between tags; ``{{ form|crispy_fast }}`` on "My alerts" writes what ``{{ form|crispy }}`` wrote.

Each field of the leave request form is compared unbound and with bad input (errors, values kept), in
both languages; the file field is handed to crispy itself.
"""

import pytest
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django.template import engines
from django.urls import reverse
from django.utils import translation

from apps.core.templatetags import fast_forms
from apps.intel.forms.follows import follow_forms
from apps.leave.forms import LeaveRequestForm
from tests.clock import WORKING_MORNING
from tests.intel.factories_follows import CompetitorFactory, CompetitorProductFactory, IntelReportFactory, TagFactory
from tests.intel.factories_follows import reader as intel_reader

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

CRISPY_FIELD = engines["django"].from_string("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")
FAST_FIELD = engines["django"].from_string("{% load fast_forms %}{{ field|crispy_fast_field }}")
CRISPY_FORM = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
FAST_FORM = engines["django"].from_string("{% load fast_forms %}{{ form|crispy_fast }}")

FIELDS = [
    "leave_type",
    "start_date",
    "start_half",
    "end_date",
    "end_half",
    "reason",
    "handover_to",
    "handover_notes",
    "attachment",
]
BAD_INPUT = {
    "leave_type": "999999",
    "start_date": "2026-13-45",
    "start_half": "noon",
    "end_date": "",
    "end_half": "pm",
    "reason": 'a <b> & "c"',
    "handover_to": "999999",
    "handover_notes": "",
}


@pytest.fixture
def crispy_calls(monkeypatch):
    """The fields ``crispy_fast_field`` handed to crispy."""
    calls = []
    original = fast_forms.as_crispy_field

    def counted(field, *args, **kwargs):
        calls.append(field.name)
        return original(field, *args, **kwargs)

    monkeypatch.setattr(fast_forms, "as_crispy_field", counted)
    return calls


def leave_form(user, data):
    form = LeaveRequestForm(data, user=user)
    if data is not None:
        assert not form.is_valid()
    return form


def crispy_field(field) -> str:
    return remove_spaces(CRISPY_FIELD.render({"field": field})).strip()


def fast_field(field) -> str:
    return FAST_FIELD.render({"field": field}).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("data", [None, BAD_INPUT], ids=["unbound", "bad-input"])
def test_each_leave_request_field_renders_as_crispy_renders_it(manager, staff, crispy_calls, language, data):
    with translation.override(language):
        for name in FIELDS:
            # One form for each rendering: crispy writes its classes into the widget's attributes.
            expected = crispy_field(leave_form(staff, data)[name])
            crispy_calls.clear()
            written = fast_field(leave_form(staff, data)[name])
            if name == "attachment":  # crispy's own output, its whitespace included
                assert crispy_calls == ["attachment"]
                assert written == CRISPY_FIELD.render({"field": leave_form(staff, data)[name]}).strip()
                assert remove_spaces(written) == expected
                continue
            assert crispy_calls == [], name
            assert written == expected, name
            # The other order, on one form: what crispy leaves in the attributes changes nothing.
            form = leave_form(staff, data)
            assert fast_field(form[name]) == expected, name
            assert crispy_field(form[name]) == expected, name


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bad_input_is_kept_and_every_error_shown(manager, staff, language):
    with translation.override(language):
        form = leave_form(staff, BAD_INPUT)
        written = {name: fast_field(form[name]) for name in FIELDS}

    assert 'value="2026-13-45"' in written["start_date"]
    assert "a &lt;b&gt; &amp; &quot;c&quot;</textarea>" in written["reason"]
    for name in ("leave_type", "start_date", "start_half", "end_date", "handover_to", "handover_notes"):
        assert "is-invalid" in written[name] and f'id="error_1_id_{name}"' in written[name], name
    for name in ("reason", "end_half", "attachment"):
        assert "is-invalid" not in written[name], name
    assert f'<option value="{manager.pk}"' in written["handover_to"]  # the colleague picker still offers people
    assert 'class="asteriskField"' not in written["attachment"]
    assert 'id="id_handover_notes_helptext"' in written["handover_notes"]


def test_the_leave_types_of_the_form_follow_a_change_of_leave_type(staff):
    from apps.leave.models import LeaveType

    sick = LeaveType.objects.get(code="sick")
    before = fast_field(LeaveRequestForm(user=staff)["leave_type"])
    assert f'<option value="{sick.pk}">' in before

    sick.is_active = False
    sick.save()

    after = fast_field(LeaveRequestForm(user=staff)["leave_type"])
    assert f'<option value="{sick.pk}">' not in after


# ----- "My alerts" --------------------------------------------------------------------------------


@pytest.fixture
def alerts_reader():
    user = intel_reader()
    assert user.has_perm("intel.view_intelreport")
    CompetitorFactory(name="迈瑞<医疗>")
    CompetitorProductFactory(name="化学发光 & 免疫")
    IntelReportFactory(tags=[TagFactory(name="集采")])
    return user


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_follow_form_renders_as_crispy_renders_it(alerts_reader, language):
    with translation.override(language):
        expected = [remove_spaces(CRISPY_FORM.render({"form": f})) for f in follow_forms(user=alerts_reader)]
        written = [FAST_FORM.render({"form": f}) for f in follow_forms(user=alerts_reader)]
        posted = {"target": "competitor", "competitor-item": "999999"}
        expected_bad = remove_spaces(CRISPY_FORM.render({"form": follow_forms(posted, user=alerts_reader)[0]}))
        bad_forms = follow_forms(posted, user=alerts_reader)
        assert not bad_forms[0].is_valid()
        written_bad = FAST_FORM.render({"form": bad_forms[0]})

    assert len(written) == 4
    for fast, crispy in zip(written, expected, strict=True):
        assert remove_spaces(fast) == crispy
        assert fast.count("data-person-search=") == 1
    competitor, product, tag, province = written
    assert "迈瑞&lt;医疗&gt;" in competitor and "化学发光 &amp; 免疫" in product and "集采" in tag
    assert province.count("<option") == 1 + 31
    assert remove_spaces(written_bad) == expected_bad
    assert "is-invalid" in written_bad


@pytest.mark.parametrize(
    ("language", "label", "people_label"),
    [
        ("zh-hans", "按名称或拼音搜索列表", "按姓名或拼音搜索人员"),
        ("en", "Search the list by name or pinyin", "Search people by name or pinyin"),
    ],
)
def test_my_alerts_page_holds_the_forms_and_names_its_search_boxes(
    client_for, alerts_reader, language, label, people_label
):
    alerts_reader.language = language
    alerts_reader.save()
    client = client_for(alerts_reader)

    response = client.get(reverse("intel:follow_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(f'aria-label="{label}"') == 4
    assert people_label not in html
    with translation.override(language):
        for form in follow_forms(user=alerts_reader):
            assert remove_spaces(CRISPY_FORM.render({"form": form})).strip() in html, form.target
    assert "迈瑞&lt;医疗&gt;" in html and "化学发光 &amp; 免疫" in html and "集采" in html
