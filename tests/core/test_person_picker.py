"""Person pickers (issue 8, "Words and typography"): the handover picker lists department colleagues
first, sorted by pinyin, and can be searched; it never offers inactive accounts or the system
administrator. The acting-approver, comp-time and task pickers follow the same rule.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.people import people_choosable, person_search_text, person_sort_key
from apps.core.roles import RoleName
from apps.leave.forms import ActingApproverForm, LeaveRequestForm
from apps.leave.models import LeaveType
from apps.org.forms import TaskAssignForm
from tests.clock import SHANGHAI
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI))]


class SelectParser(HTMLParser):
    """Collect a rendered <select>: its option labels in order, grouped by optgroup label (None outside any)."""

    def __init__(self):
        super().__init__()
        self.groups: list[tuple[str | None, list[str]]] = []
        self.options: list[dict] = []
        self._group: str | None = None
        self._option: dict | None = None
        self.search: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "optgroup":
            self._group = attrs["label"]
            self.groups.append((self._group, []))
        elif tag == "option":
            self._option = {**attrs, "label": "", "group": self._group}
        elif tag == "input" and attrs.get("type") == "search":
            self.search = attrs

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self._group = None
        elif tag == "option" and self._option is not None:
            self.options.append(self._option)
            if self._option["value"]:
                if not self.groups or self.groups[-1][0] != self._group:
                    self.groups.append((self._group, []))
                self.groups[-1][1].append(self._option["label"])
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option["label"] += data.strip()


def parse(html: str) -> SelectParser:
    parser = SelectParser()
    parser.feed(html)
    return parser


@pytest.fixture
def administration(db):
    return DepartmentFactory(code="ADM", name="行政部", name_en="Administration")


@pytest.fixture
def people(marketing, administration):
    """Marketing colleagues created out of pinyin order, two people elsewhere, and everyone who must not show."""
    created = {
        name: UserFactory(username=username, full_name=name, department=marketing, roles=[RoleName.STAFF])
        for username, name in [("zw", "张伟"), ("wjg", "王建国"), ("lj", "李静"), ("cc", "陈晨"), ("zq", "曾强")]
    }
    created["赵敏"] = UserFactory(username="zm", full_name="赵敏", department=administration)
    created["安娜"] = UserFactory(username="an", full_name="安娜", department=administration)
    created["requester"] = UserFactory(username="me", full_name="刘洋", department=marketing, roles=[RoleName.STAFF])
    created["inactive"] = UserFactory(username="gone", full_name="白离职", department=marketing, is_active=False)
    created["left"] = UserFactory(
        username="left",
        full_name="艾已走",
        department=marketing,
        employment_start=datetime.date(2020, 1, 1),
        employment_end=datetime.date(2026, 10, 31),
    )
    created["admin"] = UserFactory(
        username="sysadmin", full_name="系统管理员", is_superuser=True, is_staff=True, attendance_exempt=True
    )
    created["marketing_superuser"] = UserFactory(
        username="root2", full_name="包超级", department=marketing, is_superuser=True
    )
    created["nodept"] = UserFactory(username="nodept", full_name="毕无部门")
    return created


EXCLUDED = ("白离职", "艾已走", "系统管理员", "包超级", "毕无部门", "刘洋")


def rendered(form, field: str) -> SelectParser:
    return parse(str(form[field]))


def test_handover_picker_lists_the_department_first_each_group_sorted_by_pinyin(people):
    with translation.override("en"):
        picker = rendered(LeaveRequestForm(user=people["requester"]), "handover_to")

    assert picker.groups == [
        # chen, li, wang, zeng (曾 read as a surname, not céng), zhang
        ("My department", ["陈晨", "李静", "王建国", "曾强", "张伟"]),
        ("Other departments", ["安娜", "赵敏"]),
    ]


def test_group_labels_are_translated(people):
    with translation.override("zh-hans"):
        picker = rendered(LeaveRequestForm(user=people["requester"]), "handover_to")

    assert [group for group, _names in picker.groups] == ["我的部门", "其他部门"]


def test_handover_picker_never_offers_inactive_people_the_administrator_or_the_requester(people):
    picker = rendered(LeaveRequestForm(user=people["requester"]), "handover_to")

    offered = {option["label"] for option in picker.options}
    for name in EXCLUDED:
        assert name not in offered
    assert {"陈晨", "赵敏"} <= offered  # the rule leaves real colleagues in


@pytest.mark.parametrize("who", ["inactive", "left", "admin", "marketing_superuser", "nodept", "requester"])
def test_an_excluded_person_posted_by_hand_is_refused(people, who):
    data = {
        "leave_type": LeaveType.objects.get(code="personal").pk,
        "start_date": "2026-11-10",
        "end_date": "2026-11-10",
        "start_half": "am",
        "end_half": "pm",
        "reason": "家里有事",
        "handover_notes": "客户名单在共享盘",
    }
    refused = LeaveRequestForm({**data, "handover_to": people[who].pk}, user=people["requester"])
    accepted = LeaveRequestForm({**data, "handover_to": people["陈晨"].pk}, user=people["requester"])

    assert not refused.is_valid()
    assert [error.code for error in refused.errors.as_data()["handover_to"]] == ["invalid_choice"]
    assert accepted.is_valid(), accepted.errors


def test_the_picker_can_be_searched_by_name_pinyin_and_initials(people):
    picker = rendered(LeaveRequestForm(user=people["requester"]), "handover_to")

    assert picker.search is not None
    assert picker.search["data-person-search"] == "id_handover_to"
    # Hidden until person_picker.js shows it: without JavaScript the plain select is all there is.
    assert "hidden" in picker.search
    searchable = {option["label"]: option.get("data-search") for option in picker.options if option["value"]}
    assert searchable["陈晨"] == "陈晨 chenchen cc"
    assert searchable["王建国"] == "王建国 wangjianguo wjg"


def test_the_leave_form_page_loads_the_search_script_and_keeps_to_the_policy(client_for, people):
    body = client_for(people["requester"]).get(reverse("leave:create")).content.decode()

    assert re.search(r'<script src="[^"]*js/person_picker\.js"', body)
    assert 'data-person-search="id_handover_to"' in body
    assert "<optgroup" in body
    assert " style=" not in body and " onclick=" not in body


def test_pinyin_sort_key_orders_syllable_by_syllable():
    names = ["张伟", "林峰", "王建国", "李静", "陈晨", "Alice Wang"]

    assert sorted(names, key=person_sort_key) == ["Alice Wang", "陈晨", "李静", "林峰", "王建国", "张伟"]
    assert person_search_text("李静") == "李静 lijing lj"


def test_acting_approver_picker_follows_the_same_rule(people):
    with translation.override("en"):
        picker = rendered(ActingApproverForm(user=people["requester"]), "user")

    offered = {option["label"] for option in picker.options}
    assert picker.groups[0] == ("My department", ["陈晨", "李静", "王建国", "曾强", "张伟"])
    assert not offered & set(EXCLUDED)


def test_task_owner_picker_follows_the_rule_but_lets_the_assigner_take_a_task(people):
    assigner = people["王建国"]
    with translation.override("en"):
        picker = rendered(TaskAssignForm(user=assigner), "owner")

    assert picker.groups == [
        ("My department", ["陈晨", "李静", "刘洋", "王建国", "曾强", "张伟"]),
        ("Other departments", ["安娜", "赵敏"]),
    ]
    refused = TaskAssignForm({"owner": people["admin"].pk, "title": "t", "due_date": "2026-11-10"}, user=assigner)
    assert not refused.is_valid()
    assert "owner" in refused.errors


def test_a_picker_without_a_department_of_its_own_is_one_sorted_list(people):
    picker = rendered(TaskAssignForm(), "owner")

    assert [group for group, _names in picker.groups] == [None]
    assert picker.groups[0][1][:3] == ["安娜", "陈晨", "李静"]


def test_people_choosable_is_one_query_whatever_the_number_of_people(people, django_assert_num_queries):
    form = LeaveRequestForm(user=people["requester"])
    with django_assert_num_queries(1):
        str(form["handover_to"])
    assert people_choosable().count() == 8
