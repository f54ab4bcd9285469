"""Input that used to reach a 500 or slip through: dates out of range, NUL bytes, line breaks (issue 7)."""

import datetime
import zoneinfo

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation

from apps.accounts.forms import ProfileForm
from apps.attendance.forms import FieldNoticeForm, NoticesDayForm
from apps.conduct.forms import RuleVersionForm
from apps.core.forms import BoundedDateField, DateInput, SingleLineCharField, SingleLineFormMixin, single_line
from apps.leave.forms import (
    ActingApproverForm,
    CompGrantRequestForm,
    ImportantPeriodForm,
    LeaveRequestForm,
)
from apps.leave.models import ActingApprover
from apps.org.admin import AssignedTaskAdminForm
from apps.org.filters import TaskFilter
from apps.org.forms import TaskAssignForm
from apps.org.models import AssignedTask
from apps.reports.models import ReportJob
from tests.factories import ProductFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)  # a Tuesday
DAY = datetime.date(2026, 12, 2)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _task_filter_form(data=None, initial=None):
    form = TaskFilter(data, queryset=AssignedTask.objects.none()).form
    form.initial.update(initial or {})
    return form


# Every form of the project with a date, built the way its view builds it, with its date fields.
def _date_forms(user):
    return [
        (lambda data=None, initial=None: TaskAssignForm(data, initial=initial), ["due_date"]),
        (
            lambda data=None, initial=None: LeaveRequestForm(data, initial=initial, user=user),
            ["start_date", "end_date"],
        ),
        (lambda data=None, initial=None: FieldNoticeForm(data, initial=initial), ["start_date", "end_date"]),
        (lambda data=None, initial=None: ImportantPeriodForm(data, initial=initial), ["start_date", "end_date"]),
        (lambda data=None, initial=None: CompGrantRequestForm(data, initial=initial), ["work_date"]),
        (
            lambda data=None, initial=None: ActingApproverForm(data, initial=initial, user=user),
            ["start_date", "end_date"],
        ),
        (lambda data=None, initial=None: NoticesDayForm(data, initial=initial), ["date"]),
        (_task_filter_form, ["due_before"]),
    ]


# ---------------------------------------------------------------------------------------------
# Date inputs carry ISO dates in both languages


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_renders_an_iso_value_in_both_languages(clock, staff, language):
    for build, names in _date_forms(staff):
        form = build(initial=dict.fromkeys(names, DAY))
        for name in names:
            with translation.override(language):
                html = str(form[name])
            assert 'type="date"' in html, (type(form).__name__, name)
            assert 'value="2026-12-02"' in html, (type(form).__name__, name, html)


def test_the_shared_date_input_ignores_the_chinese_input_format():
    with translation.override("zh-hans"):
        html = DateInput().render("d", DAY)

    assert 'value="2026-12-02"' in html
    assert "2026/12/02" not in html


@pytest.mark.django_db
def test_leave_form_page_in_chinese_prefills_tomorrow_as_iso(clock, client_for, staff):
    with translation.override("zh-hans"):
        response = client_for(staff).get(reverse("leave:create"), headers={"accept-language": "zh-hans"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="start_date" value="2026-12-02"' in html
    assert "2026/12/02" not in html


# ---------------------------------------------------------------------------------------------
# Date ranges


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "code"), [("0001-01-01", "date_too_early"), ("9999-12-31", "date_too_late")])
def test_every_form_refuses_absurd_dates(clock, staff, value, code):
    for build, names in _date_forms(staff):
        form = build(data=dict.fromkeys(names, value))
        assert not form.is_valid()
        for name in names:
            assert [e.code for e in form.errors.as_data()[name]] == [code], (type(form).__name__, name)


@pytest.mark.django_db
def test_bounded_date_field_accepts_its_edges_and_refuses_a_day_beyond(clock):
    field = BoundedDateField(years_back=1, years_ahead=2)
    form_field = type("F", (forms.Form,), {"day": field})().fields["day"]

    assert form_field.clean("2025-12-01") == datetime.date(2025, 12, 1)
    assert form_field.clean("2028-12-01") == datetime.date(2028, 12, 1)
    for value, code in (("2025-11-30", "date_too_early"), ("2028-12-02", "date_too_late")):
        with pytest.raises(forms.ValidationError) as exc:
            form_field.clean(value)
        assert exc.value.code == code
    # The browser is told the same range.
    assert (form_field.widget.attrs["min"], form_field.widget.attrs["max"]) == ("2025-12-01", "2028-12-01")


@pytest.mark.django_db
def test_bounded_date_field_message_names_the_limit_in_the_language_of_the_page(clock):
    field = BoundedDateField(years_back=1, years_ahead=2)

    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as exc:
            field.clean("9999-12-31")
        # The message is lazy: read it in the page's language too.
        assert exc.value.messages == ["Enter a date no later than 1 Dec 2028."]


@pytest.mark.django_db
def test_task_due_9999_12_31_is_refused_with_a_message_and_the_input_kept(clock, client_for, manager, staff):
    data = {"owner": staff.pk, "title": "整理招标信息", "due_date": "9999-12-31"}

    response = client_for(manager).post(reverse("org:task_create"), data)

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["due_date"]] == ["date_too_late"]
    assert 'value="整理招标信息"' in response.content.decode()
    assert not AssignedTask.objects.exists()


@pytest.mark.django_db
def test_acting_approver_from_0001_01_01_is_refused(clock, client_for, manager, staff):
    data = {"user": staff.pk, "start_date": "0001-01-01", "end_date": "2026-12-10"}

    response = client_for(manager).post(reverse("leave:acting"), data)

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["start_date"]] == ["date_too_early"]
    assert not ActingApprover.objects.exists()


# ---------------------------------------------------------------------------------------------
# Field work by day: any date parameter gives a page


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-13-01", "2026-12-01\x00", "\x00"])
def test_notices_daily_out_of_range_or_unreadable_date_falls_back_to_today(clock, client_for, manager, value):
    response = client_for(manager).get(reverse("attendance:notices_daily"), {"date": value})

    assert response.status_code == 200
    assert response.context["day"] == datetime.date(2026, 12, 1)
    assert len(_messages(response)) == 1


@pytest.mark.django_db
def test_notices_daily_hides_the_link_beyond_each_edge(clock, client_for, manager):
    client = client_for(manager)
    url = reverse("attendance:notices_daily")

    last = client.get(url, {"date": "2031-12-01"})
    first = client.get(url, {"date": "2021-12-01"})
    middle = client.get(url, {"date": "2026-12-01"})

    assert (last.context["previous"], last.context["next"]) == (datetime.date(2031, 11, 30), None)
    assert 'data-testid="next-day"' not in last.content.decode()
    assert (first.context["previous"], first.context["next"]) == (None, datetime.date(2021, 12, 2))
    assert 'data-testid="previous-day"' not in first.content.decode()
    assert 'data-testid="previous-day"' in middle.content.decode()
    assert 'data-testid="next-day"' in middle.content.decode()
    assert _messages(last) == _messages(first) == _messages(middle) == []


# ---------------------------------------------------------------------------------------------
# NUL bytes in query parameters (PostgreSQL refuses them in a query)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"stage": "\x00"}, {"stage": "growth\x00", "q": "免疫"}])
def test_product_list_with_a_nul_byte_warns_and_shows_the_list(client_for, staff, params):
    ProductFactory(name="免疫分析仪", code="CL-1")

    response = client_for(staff).get(reverse("org:product_list"), params)

    assert response.status_code == 200
    assert len(_messages(response)) == 1
    assert "\x00" not in response.content.decode()


@pytest.mark.django_db
def test_product_list_keeps_a_valid_filter_when_another_is_refused(client_for, staff):
    ProductFactory(name="生化分析仪", code="MK-1")
    ProductFactory(name="免疫分析仪", code="CL-1")

    response = client_for(staff).get(reverse("org:product_list"), {"q": "免疫", "stage": "\x00"})

    assert [p.name for p in response.context["page_obj"]] == ["免疫分析仪"]
    assert 'value="免疫"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"type": "a\x00b"}, {"status": "\x00"}, {"type": "no-such-report"}])
def test_report_center_with_a_bad_filter_warns_and_lists_everything(client_for, manager, params):
    response = client_for(manager).get(reverse("reports:index"), params)

    assert response.status_code == 200
    assert len(_messages(response)) == 1
    assert (response.context["type_code"], response.context["status"]) == ("", "")


@pytest.mark.django_db
def test_report_center_still_filters_by_a_known_status(client_for, manager):
    ReportJob.objects.create(report_type="attendance_monthly", title="九月", requested_by=manager, status="done")
    ReportJob.objects.create(report_type="attendance_monthly", title="十月", requested_by=manager, status="failed")

    response = client_for(manager).get(reverse("reports:index"), {"status": "done"})

    assert [job.title for job in response.context["page_obj"]] == ["九月"]
    assert _messages(response) == []


@pytest.mark.django_db
def test_task_list_with_a_nul_byte_in_the_search_answers(client_for, staff):
    response = client_for(staff).get(reverse("org:task_list"), {"q": "a\x00b", "due_before": "\x00"})

    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------
# One-line fields


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("季度\r\n招标", "季度 招标"), ("a\rb\nc", "a b c"), ("a\u2028b\x85c", "a b c"), ("plain", "plain")],
)
def test_single_line_replaces_every_line_break(raw, clean):
    assert single_line(raw) == clean
    assert SingleLineCharField().clean(f" {raw}\n") == clean


def test_single_line_mixin_changes_one_line_fields_only():
    class NoteForm(SingleLineFormMixin, forms.Form):
        subject = forms.CharField()
        body = forms.CharField(widget=forms.Textarea)

    form = NoteForm({"subject": "第一行\r\n第二行", "body": "第一行\r\n第二行"})

    assert form.is_valid()
    assert form.cleaned_data == {"subject": "第一行 第二行", "body": "第一行\r\n第二行"}


@pytest.mark.django_db
def test_task_title_with_line_breaks_is_stored_on_one_line_and_its_email_is_sent(
    clock, client_for, manager, staff, django_capture_on_commit_callbacks
):
    data = {"owner": staff.pk, "title": "整理\r\n招标信息\n", "due_date": "2026-12-10"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(reverse("org:task_create"), data)

    assert response.status_code == 302
    assert AssignedTask.objects.get().title == "整理 招标信息"
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert "\r" not in mail.outbox[0].subject


@pytest.mark.django_db
def test_task_admin_form_puts_the_title_on_one_line(clock, staff):
    form = AssignedTaskAdminForm(
        {"title": "整理\r\n招标信息", "description": "第一行\r\n第二行", "owner": staff.pk, "due_date": "2026-12-10"}
    )

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["title"], form.cleaned_data["description"]) == ("整理 招标信息", "第一行\r\n第二行")


@pytest.mark.parametrize(
    ("form_class", "data", "field", "expected"),
    [
        (RuleVersionForm, {"title": "考勤\n制度", "title_en": "Check-in\r\nrules", "body": "x"}, "title", "考勤 制度"),
        (RuleVersionForm, {"title": "考勤", "title_en": "Rules\r\nEN", "body": "x"}, "title_en", "Rules EN"),
        (ProfileForm, {"phone": "138\n0000", "language": "zh-hans"}, "phone", "138 0000"),
    ],
)
def test_other_one_line_fields_drop_line_breaks(form_class, data, field, expected):
    form = form_class(data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == expected
