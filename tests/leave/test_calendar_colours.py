"""The leave calendar of issue 8: colours per leave type with a legend, pending leave apart, a
department filter for everyone who may see several departments, a list of days on a phone,
month navigation that names the month, and a query count flat in the number of requests.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import RoleName
from apps.leave.models import LeaveRequest, LeaveType
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import SHANGHAI, make_leave

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
NOVEMBER = {"month": "2026-11"}
Status = LeaveRequest.Status


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def entries(body: str) -> list[dict[str, str]]:
    """The grid's leave entries: their classes, status and leave-type code, in page order."""
    pattern = (
        r'<a class="([^"]*calendar-entry[^"]*)" href="[^"]*" '
        r'data-testid="calendar-cell" data-status="(\w+)" data-type="(\w+)"'
    )
    return [{"class": c, "status": s, "type": t} for c, s, t in re.findall(pattern, body)]


def colour_of(css_class: str) -> str:
    return re.search(r"\bleave-c\d\b", css_class).group(0)


@pytest.fixture
def mixed_leave(staff, other_staff, assistant, manager):
    """Sick (approved) on the 5th, personal (pending) on the 12th, annual (approved) on the 19th."""
    return [
        make_leave(other_staff, handover_to=assistant, approver=manager, start=datetime.date(2026, 11, 5), code="sick"),
        make_leave(
            assistant,
            handover_to=other_staff,
            approver=manager,
            start=datetime.date(2026, 11, 12),
            status=Status.PENDING,
        ),
        make_leave(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 19), code="annual"),
    ]


def test_each_leave_type_has_its_own_colour_by_the_order_of_the_types(client_for, staff, mixed_leave):
    body = client_for(staff).get(reverse("leave:calendar"), NOVEMBER).content.decode()

    found = {entry["type"]: colour_of(entry["class"]) for entry in entries(body)}
    # comp, personal, sick, annual by sort order: the 2nd, 3rd and 4th colours.
    assert found == {"personal": "leave-c2", "sick": "leave-c3", "annual": "leave-c4"}


def test_a_type_keeps_its_colour_when_another_is_retired(client_for, staff, mixed_leave):
    LeaveType.objects.filter(code="comp").update(is_active=False)

    response = client_for(staff).get(reverse("leave:calendar"), NOVEMBER)

    found = {entry["type"]: colour_of(entry["class"]) for entry in entries(response.content.decode())}
    assert found["sick"] == "leave-c3"
    # A retired type with no leave this month leaves the legend.
    assert [leave_type.code for leave_type, _colour in response.context["legend"]] == ["personal", "sick", "annual"]


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("zh-hans", ["补休", "事假", "病假", "年假"]),
        ("en", ["Comp leave", "Personal leave", "Sick leave", "Annual leave"]),
    ],
)
def test_the_legend_names_every_type_with_its_colour_in_both_languages(client_for, staff, language, names):
    staff.language = language
    staff.save(update_fields=["language"])

    body = client_for(staff).get(reverse("leave:calendar"), NOVEMBER).content.decode()

    legend = body[body.index('data-testid="calendar-legend"') :]
    legend = legend[: legend.index("</ul>")]
    found = re.findall(r'<span class="leave-swatch (leave-c\d)" aria-hidden="true"></span> ([^<]+)</li>', legend)
    assert found == [(f"leave-c{i}", name) for i, name in enumerate(names, start=1)]


def test_pending_leave_is_striped_in_its_colour_and_approved_leave_is_solid(client_for, staff, mixed_leave):
    body = client_for(staff).get(reverse("leave:calendar"), NOVEMBER).content.decode()

    by_status = {entry["status"]: entry["class"].split() for entry in entries(body)}
    assert "is-pending" in by_status["pending"]
    assert "is-pending" not in by_status["approved"]
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    rule = re.search(r"\.calendar-entry\.is-pending[^{]*\{([^}]*)\}", css).group(1)
    assert "repeating-linear-gradient" in rule and "dashed var(--leave-colour)" in rule
    for number in range(1, 9):
        assert re.search(rf"\.leave-c{number} \{{ --leave-colour: #[0-9a-f]+;", css)


@pytest.fixture
def company(manager, marketing):
    """总经理办公室 above marketing and sales; a separate finance department with its own leave."""
    head_office = DepartmentFactory(code="GMO", name="总经理办公室", name_en="General Manager's Office")
    general_manager = UserFactory(username="gm", full_name="周国强", department=head_office, roles=[RoleName.STAFF])
    head_office.head = general_manager
    head_office.save()
    marketing.parent = head_office
    marketing.save()
    sales = DepartmentFactory(code="SAL", name="销售部", name_en="Sales", parent=marketing)
    finance = DepartmentFactory(code="FIN", name="财务部", name_en="Finance")
    seller = UserFactory(username="sal1", full_name="孙销售", department=sales, roles=[RoleName.STAFF])
    accountant = UserFactory(username="fin1", full_name="钱财务", department=finance, roles=[RoleName.STAFF])
    colleague = UserFactory(username="fin2", full_name="吴财务", department=finance, roles=[RoleName.STAFF])
    make_leave(seller, handover_to=manager, approver=manager, start=datetime.date(2026, 11, 9))
    make_leave(accountant, handover_to=colleague, approver=colleague, start=datetime.date(2026, 11, 10))
    return {"gm": general_manager, "sales": sales, "finance": finance}


def test_a_head_above_other_departments_chooses_among_them_and_no_others(client_for, company):
    client = client_for(company["gm"])

    own = client.get(reverse("leave:calendar"), NOVEMBER)
    below = client.get(reverse("leave:calendar"), {**NOVEMBER, "department": "SAL"})
    elsewhere = client.get(reverse("leave:calendar"), {**NOVEMBER, "department": "FIN"})

    assert not company["gm"].has_perm("leave.view_all_leave")
    choices = [code for code, _name in own.context["filter_form"].fields["department"].choices]
    assert choices == ["GMO", "MKT", "SAL"]
    assert own.context["department"].code == "GMO"
    assert [row["user"].username for row in below.context["grid"]] == ["sal1"]
    assert "department=SAL" in below.context["next"]
    assert elsewhere.context["department"].code == "GMO"
    assert [row["user"].username for row in elsewhere.context["grid"]] == []
    assert [m.level_tag for m in elsewhere.context["messages"]] == ["warning"]


def test_the_filter_is_offered_only_to_those_who_may_see_several_departments(client_for, company, manager, staff):
    def offered(user):
        return 'data-testid="calendar-filter"' in client_for(user).get(reverse("leave:calendar")).content.decode()

    assert offered(company["gm"])  # head of a department with departments below it
    assert offered(manager)  # view_all_leave
    assert not offered(staff)


def test_someone_without_a_department_sees_nobody_s_leave(client_for, company):
    loner = UserFactory(username="loner", roles=[RoleName.STAFF])

    response = client_for(loner).get(reverse("leave:calendar"), NOVEMBER)

    assert response.status_code == 200
    assert response.context["department"] is None
    assert response.context["grid"] == [] and response.context["leaves"] == []


def test_on_a_phone_the_grid_gives_way_to_a_list_of_the_days_with_leave(client_for, staff, mixed_leave):
    response = client_for(staff).get(reverse("leave:calendar"), NOVEMBER)
    body = response.content.decode()

    assert '<div class="table-responsive d-none d-sm-block" data-testid="calendar-grid">' in body
    assert '<div class="d-sm-none" data-testid="calendar-days">' in body
    assert [item["day"].day for item in response.context["agenda"]] == [5, 12, 19]
    days = body[body.index('data-testid="calendar-days"') :]
    assert days.count('data-testid="calendar-day-entry" data-status="pending"') == 1
    assert days.count('data-testid="calendar-day-entry" data-status="approved"') == 2


@pytest.mark.parametrize(
    ("language", "previous", "following"),
    [("zh-hans", "上个月", "下个月"), ("en", "Previous month", "Next month")],
)
@pytest.mark.parametrize("url_name", ["leave:calendar", "attendance:month", "attendance:summary"])
def test_month_navigation_names_the_month(client_for, manager, language, previous, following, url_name):
    manager.language = language
    manager.save(update_fields=["language"])

    body = client_for(manager).get(reverse(url_name), NOVEMBER).content.decode()

    assert re.search(rf'rel="prev">‹ {previous}</a>', body)
    assert re.search(rf'rel="next">{following} ›</a>', body)


def _leave_for_growth(department, approver, count: int) -> None:
    codes = ["comp", "personal", "sick", "annual"]
    for i in range(count):
        person = UserFactory(department=department, roles=[RoleName.STAFF])
        make_leave(
            person,
            handover_to=approver,
            approver=approver,
            start=datetime.date(2026, 11, 2 + i % 25),
            code=codes[i % 4],
            status=Status.PENDING if i % 3 else Status.APPROVED,
            days=1,
        )


@pytest.mark.parametrize("viewer", ["manager", "gm"])
def test_calendar_queries_do_not_grow_with_the_number_of_requests(client_for, company, manager, marketing, viewer):
    user = manager if viewer == "manager" else company["gm"]
    client = client_for(user)
    params = {**NOVEMBER, "department": "MKT"}

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("leave:calendar"), params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _leave_for_growth(marketing, manager, 2)
    client.get(reverse("leave:calendar"), params)  # warm the caches
    with_two = count()
    _leave_for_growth(marketing, manager, 28)
    with_thirty = count()

    assert with_two == with_thirty
