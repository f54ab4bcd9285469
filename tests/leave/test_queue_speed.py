"""Issue 8: the approval queue is fast, and writing its rows in Python changed nothing on the page.

The queue's tables were ``{% listtable %}`` blocks whose cells were template code per row. Their cells
are now written once per row in Python (``apps/leave/templatetags/leave_tags.py``). The blocks they
replace are kept below, word for word, and rendered with the page's own context: the page must hold
exactly what they write, in both languages, for rows with every kind of detail (a private reason, comp
leave short of balance, a blocking important period, colleagues on leave and field work, half days,
markup in names and reasons) and for both tabs.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms, template
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_filters.fields import ModelChoiceIterator

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.core.forms import DateInput as CoreDateInput
from apps.core.templatetags.lists import ListTableNode
from apps.leave import widgets
from apps.leave.filters import LeaveQueueFilter
from apps.leave.models import CompTimeEntry, CompTimeGrantRequest, ImportantPeriod, LeaveRequest, LeaveType
from apps.leave.selectors import leave_approval_queue, leave_decided_by, leave_queue_people
from apps.leave.services import leave_request_approve, leave_request_reject
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
from tests.leave.helpers import at, make_leave

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

Status = LeaveRequest.Status
TUESDAY = datetime.date(2026, 12, 8)
WEDNESDAY = datetime.date(2026, 12, 9)
THURSDAY = datetime.date(2026, 12, 10)
FRIDAY = datetime.date(2026, 12, 11)

# What queue.html held before its rows were written in Python (the reference; no page uses it).
_REFERENCE = (Path(__file__).parent / "queue_blocks_reference.html").read_text(encoding="utf-8")
PENDING_BLOCK, GRANTS_BLOCK, DECIDED_BLOCK = (
    _REFERENCE.split(f"{{# ----- {name} ----- #}}\n")[1].split("{# -----")[0].strip()
    for name in ("PENDING_BLOCK", "GRANTS_BLOCK", "DECIDED_BLOCK")
)


def _pending(user, approver, start, end=None, *, code="personal", start_half="am", end_half="pm", reason="测试"):
    leave = make_leave(
        user,
        handover_to=UserFactory(department=user.department, full_name="赵<交接>"),
        approver=approver,
        start=start,
        end=end,
        code=code,
        start_half=start_half,
        end_half=end_half,
        status=Status.PENDING,
    )
    LeaveRequest.objects.filter(pk=leave.pk).update(reason=reason)
    return leave


def _notice(user, start, end=None, destination="上海瑞金医院"):
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=start,
        end_date=end or start,
        destination=destination,
        purpose="拜访",
        filed_at=timezone.now() - datetime.timedelta(days=2),
        deadline=timezone.now(),
    )


def _a_queue_with_everything(manager, marketing, staff, other_staff):
    """Rows with every detail the queue shows, and comp-time requests with and without a check-in."""
    _pending(staff, manager, TUESDAY, WEDNESDAY, start_half="pm", reason="孩子发烧 <b>&amp;</b>\n第二行")
    _pending(other_staff, manager, WEDNESDAY, code="sick", end_half="am", reason="病情（私密）")
    short = UserFactory(department=marketing, full_name="吴 & 补休")
    _pending(short, manager, THURSDAY, FRIDAY, code="comp")
    CompTimeEntry.objects.create(user=short, kind="grant", days=Decimal("0.5"), created_by=manager)
    covered = UserFactory(department=marketing, full_name="钱补休")
    _pending(covered, manager, TUESDAY, code="comp")
    CompTimeEntry.objects.create(user=covered, kind="grant", days=Decimal("3"), created_by=manager)
    make_leave(UserFactory(department=marketing, full_name="孙已批"), handover_to=manager, approver=manager,
               start=WEDNESDAY, end=THURSDAY, code="annual")  # fmt: skip
    _notice(UserFactory(department=marketing, full_name="周<外出>"), TUESDAY, FRIDAY, destination="华山医院 & 分院")
    _notice(UserFactory(department=marketing, full_name="郑外出"), THURSDAY)
    ImportantPeriod.objects.create(name="年度经销商大会 <2026>", start_date=THURSDAY, end_date=THURSDAY,
                                   declared_by=manager)  # fmt: skip
    ImportantPeriod.objects.create(name="市场部开放日", start_date=TUESDAY, end_date=TUESDAY, department=marketing,
                                   declared_by=manager)  # fmt: skip
    worker = UserFactory(department=marketing, full_name="冯<加班>")
    for day, checked_in in ((datetime.date(2026, 11, 28), at(2026, 11, 28, 9, 5)), (datetime.date(2026, 11, 29), None)):
        CompTimeGrantRequest.objects.create(
            user=worker, work_date=day, days=Decimal("1"), reason="布展 <展台> & 接待", approver=manager
        )
        if checked_in:
            CheckIn.objects.create(user=worker, date=day, checked_in_at=checked_in, on_working_day=False)
    CompTimeEntry.objects.create(user=worker, kind="grant", days=Decimal("1.5"), created_by=manager)


def _rendered(block, response, language):
    context = {key: response.context[key] for key in ("rows", "grants", "csrf_token") if key in response.context}
    with translation.override(language):
        return engines["django"].from_string(block).render(context)


def _same(body, expected):
    """The page holds ``expected`` exactly (shown as the differing slice of the page when not)."""
    head = expected[:200]
    assert head in body
    start = body.index(head)
    assert body[start : start + len(expected)] == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_queue_rows_written_in_python_are_the_listtable_blocks_markup(
    client_for, manager, marketing, staff, other_staff, language
):
    _a_queue_with_everything(manager, marketing, staff, other_staff)
    manager.language = language
    manager.save(update_fields=["language"])

    response = client_for(manager).get(reverse("leave:queue"))

    body = response.content.decode()
    assert response.status_code == 200
    _same(body, _rendered(PENDING_BLOCK, response, language))
    _same(body, _rendered(GRANTS_BLOCK, response, language))
    # The rows hold what the fixture made, so the comparison covered every kind of detail.
    assert body.count('data-testid="queue-select"') == 4
    assert 'data-testid="queue-reason-private"' not in body  # the head sees sick leave's reason
    assert "孩子发烧 &lt;b&gt;&amp;amp;&lt;/b&gt;" in body
    assert "queue-row table-warning" in body  # comp leave short of balance; comp leave in the open day
    assert "华山医院 &amp; 分院" in body and "周&lt;外出&gt;" in body and "孙已批" in body
    assert "年度经销商大会 &lt;2026&gt;" in body and "市场部开放日" in body
    assert body.count('data-testid="grant-balance"') == 2 and "09:05" in body


def test_a_routed_request_and_an_empty_queue_are_the_blocks_markup_too(client_for, marketing, other_staff):
    assistant = UserFactory(department=marketing, full_name="助理")
    _pending(other_staff, assistant, WEDNESDAY, code="sick", reason="病情（私密）")
    client = client_for(assistant)

    response = client.get(reverse("leave:queue"))

    body = response.content.decode()
    _same(body, _rendered(PENDING_BLOCK, response, "zh-hans"))
    assert "病情（私密）" in body  # routed to the assistant: they decide, so they see why

    LeaveRequest.objects.update(status=Status.WITHDRAWN)
    response = client.get(reverse("leave:queue"))
    _same(response.content.decode(), _rendered(PENDING_BLOCK, response, "zh-hans"))
    assert "list-empty" in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_decided_tab_rows_are_the_listtable_blocks_markup(client_for, manager, marketing, staff, other_staff, language):
    approved = _pending(staff, manager, TUESDAY, start_half="pm")
    rejected = _pending(other_staff, manager, WEDNESDAY, code="sick", end_half="am")
    leave_request_approve(actor=manager, leave=approved, comment="同意 <好>")
    leave_request_reject(actor=manager, leave=rejected, comment="人手不足 & 请改期")
    LeaveRequest.objects.filter(pk=approved.pk).update(status=Status.CANCELLED)
    manager.language = language
    manager.save(update_fields=["language"])

    response = client_for(manager).get(reverse("leave:queue") + "?tab=decided")

    body = response.content.decode()
    _same(body, _rendered(DECIDED_BLOCK, response, language))
    assert body.count('data-testid="queue-decision"') == 2
    assert "人手不足 &amp; 请改期" in body and "同意 &lt;好&gt;" in body


@pytest.mark.parametrize("value", [None, "", "2026-12-08", datetime.date(2026, 12, 8), '<"x">&'])
def test_the_filters_date_input_writes_djangos_markup(value):
    attrs = {"class": "form-control form-control-sm", "min": "2021-12-01", "max": "2029-12-01", "required": False}

    slow = CoreDateInput(attrs=attrs).render("date_from", value, attrs={"id": "id_date_from"})
    fast = widgets.DateInput(attrs=attrs).render("date_from", value, attrs={"id": "id_date_from"})

    assert fast == slow
    assert ('value="' in fast) is (value is not None)


@pytest.mark.parametrize("data", [None, {"person": "", "leave_type": "", "date_from": "2026-12-01"}, "chosen"])
def test_the_filters_choices_are_djangos_and_read_without_a_server_side_cursor(
    manager, marketing, staff, other_staff, data
):
    _pending(staff, manager, TUESDAY)
    _pending(other_staff, manager, WEDNESDAY, code="sick")
    queue = LeaveRequest.objects.filter(status=Status.PENDING)
    people = leave_queue_people(queryset=queue)
    chosen = data == "chosen"
    if chosen:
        data = {"person": str(other_staff.pk), "leave_type": str(LeaveType.objects.get(code="sick").pk)}

    with CaptureQueriesContext(connection) as ctx:
        fast = LeaveQueueFilter(data, queryset=queue, people=people)
        fast_html = [str(fast.form[name]) for name in ("leave_type", "person", "date_from", "date_to")]
    slow = LeaveQueueFilter(data, queryset=queue, people=people)
    for name in ("leave_type", "person"):
        field = slow.form.fields[name]
        field.iterator = ModelChoiceIterator
        field.widget = forms.Select(attrs=field.widget.attrs)
        field.widget.choices = field.choices
    for name in ("date_from", "date_to"):
        slow.form.fields[name].widget = CoreDateInput(attrs=slow.form.fields[name].widget.attrs)
    slow_html = [str(slow.form[name]) for name in ("leave_type", "person", "date_from", "date_to")]

    assert fast_html == slow_html
    assert "陈员工" in fast_html[1] and "李员工" in fast_html[1]
    assert not [q for q in ctx.captured_queries if "DECLARE" in q["sql"] or "CURSOR" in q["sql"]]
    # The types and the people, once each; a chosen type and person are also looked up when validated.
    assert len(ctx.captured_queries) == (4 if chosen else 2)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_filters_choices_read_as_values_are_the_instances_labels(manager, marketing, language):
    """Issue 8: the choices are read with values_list; each label is still the instance's ``str()``."""
    people = [
        UserFactory(department=marketing, full_name="王<全名> & 子"),
        UserFactory(department=marketing, full_name="", first_name="Ann", last_name="Lee"),
        UserFactory(department=marketing, full_name="", first_name="", last_name="", username="only-user"),
    ]
    for person in people:
        _pending(person, manager, TUESDAY)
    LeaveType.objects.filter(code="sick").update(name_en="")  # no English name: the Chinese one
    queue = LeaveRequest.objects.filter(status=Status.PENDING)
    data = {"person": str(people[1].pk), "leave_type": str(LeaveType.objects.get(code="personal").pk)}

    with translation.override(language):
        filterset = LeaveQueueFilter(data, queryset=queue, people=leave_queue_people(queryset=queue))
        html = {name: str(filterset.form[name]) for name in ("leave_type", "person")}
        expected = {
            "leave_type": [("", "All types" if language == "en" else "全部类型")]
            + [(str(t.pk), str(t)) for t in LeaveType.objects.all()],
            "person": [("", "Everyone" if language == "en" else "全部人员")]
            + [(str(p.pk), str(p)) for p in leave_queue_people(queryset=queue)],
        }

    for name, choices in expected.items():
        field = filterset.form.fields[name]
        slow = forms.Select(attrs=field.widget.attrs, choices=choices).render(
            filterset.form.add_prefix(name), data[name], attrs={"id": f"id_{name}"}
        )
        assert html[name] == slow
    assert "王&lt;全名&gt; &amp; 子" in html["person"]
    assert ">Ann Lee<" in html["person"] and ">only-user<" in html["person"]
    assert f'value="{people[1].pk}" selected' in html["person"]
    assert (">Sick leave<" in html["leave_type"]) is False


# ---------------------------------------------------------------------------------------------
# The list component places cells written in Python without resolving them through the context


_LIST = (
    "{% load lists %}{% listtable rows as item testid='t' %}"
    "{% rowclass %}{{ row.css }}CELL{% endrowclass %}"
    "{% column 'A' primary %}{{ row.a }}CELL{% endcolumn %}"
    "{% column 'B' %}{{ item.b }}CELL{% endcolumn %}"
    "{% column 'C' nowrap %} {{ row.c }} CELL{% endcolumn %}"
    "{% rowactions %}{{ row.actions }}CELL{% endrowactions %}{% endlisttable %}"
)


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_list_components_shortcut_for_dict_cells_renders_what_the_variable_node_renders(autoescape):
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    rows = [
        {"css": "a<b", "a": mark_safe("<b>safe</b>"), "b": "<i>\"plain\" & 'text'</i>", "c": "", "actions": ""},
        {"css": mark_safe("x"), "a": 5, "b": None, "c": gettext_lazy("Actions"), "actions": mark_safe(" <a>go</a> ")},
        {"a": Decimal("1.50"), "b": datetime.date(2026, 12, 8), "c": [1, "<x>"]},  # missing keys, other types
        ["not", "a", "dict"],
    ]
    django_engine = engines["django"].engine
    wrap = ("{% autoescape off %}", "{% endautoescape %}") if not autoescape else ("", "")
    fast = django_engine.from_string(wrap[0] + _LIST.replace("CELL", "") + wrap[1])
    slow = django_engine.from_string(wrap[0] + _LIST.replace("CELL", "{% comment %}{% endcomment %}") + wrap[1])
    [node] = fast.nodelist.get_nodes_by_type(ListTableNode)

    with translation.override("zh-hans"):
        html = fast.render(template.Context({"rows": rows}))
        expected = slow.render(template.Context({"rows": rows}))

    assert sorted(key for key in node.keys.values() if key) == ["a", "b", "c"]
    assert (node.rowclass_key, node.actions_key) == ("css", "actions")
    assert html == expected
    assert ("&lt;i&gt;&quot;plain&quot;" in html) is autoescape and "<b>safe</b>" in html and "操作" in html


# ---------------------------------------------------------------------------------------------
# The filter form's fields: written from the filter set, remembered while nothing is filtered

# What leave/queue.html held in its filter form before the view wrote these fields (the reference).
_FIELDS_LOOP = """{% for field in filter.form %}
  <div class="col-6 col-md-3">
    <label class="form-label small mb-1" for="{{ field.id_for_label }}">{{ field.label }}</label>
    {{ field }}
    {% for error in field.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
  </div>
  {% endfor %}"""


def _fields_reference(manager, data, language, decided=False):
    requests = leave_decided_by(user=manager) if decided else leave_approval_queue(user=manager, on_date=TUESDAY)
    with translation.override(language):
        filterset = LeaveQueueFilter(data, queryset=requests, people=leave_queue_people(queryset=requests))
        html = engines["django"].from_string(_FIELDS_LOOP).render({"filter": filterset})
    return f'<input type="hidden" name="tab" value="decided">\n  {html}' if decided else f"\n  {html}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_empty_filter_forms_fields_are_remembered_and_are_the_forms_markup(
    client_for, manager, marketing, staff, other_staff, language, monkeypatch
):
    from apps.leave import views

    _a_queue_with_everything(manager, marketing, staff, other_staff)
    manager.language = language
    manager.save(update_fields=["language"])
    client = client_for(manager)
    url = reverse("leave:queue")
    built = []

    class Counted(LeaveQueueFilter):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(views, "LeaveQueueFilter", Counted)
    views._EMPTY_FILTER_FIELDS.clear()  # an earlier test may have left these very fields

    first, again, second_page = (client.get(url, data).content.decode() for data in ({}, {}, {"page": "1"}))

    expected = _fields_reference(manager, None, language)
    assert expected in first and expected in again and expected in second_page
    assert built == [1]  # the form was built once; the other pages placed its remembered fields
    # A choice that changes is a new form: a type renamed, someone new in the queue.
    LeaveType.objects.filter(code="sick").update(name="病假（新）", name_en="Sick leave (new)")
    _pending(UserFactory(department=marketing, full_name="新人"), manager, FRIDAY)
    body = client.get(url).content.decode()
    assert _fields_reference(manager, None, language) in body
    assert ("病假（新）" if language == "zh-hans" else "Sick leave (new)") in body and "新人" in body
    decided = client.get(url, {"tab": "decided", "leave_type": ""}).content.decode()
    assert _fields_reference(manager, {"tab": "decided", "leave_type": ""}, language, decided=True) in decided


def test_a_filtered_queue_writes_its_form_with_the_values_and_errors(
    client_for, manager, marketing, staff, other_staff
):
    _a_queue_with_everything(manager, marketing, staff, other_staff)
    client = client_for(manager)
    sick = str(LeaveType.objects.get(code="sick").pk)

    for data in ({"leave_type": sick, "person": str(other_staff.pk)}, {"date_from": "junk", "date_to": "2026-12-09"}):
        body = client.get(reverse("leave:queue"), data).content.decode()

        assert _fields_reference(manager, data, "zh-hans") in body
    assert "invalid-feedback" in body
