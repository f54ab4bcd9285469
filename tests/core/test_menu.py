"""The navigation registry (apps/core/menu.py) and the sidebar that shows it."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import menu
from apps.core.cache_keys import badges_changed
from apps.core.menu import MenuGroup, MenuItem, menu_for
from apps.core.roles import RoleName
from apps.leave.models import ActingApprover, CompTimeGrantRequest, LeaveRequest, LeaveType
from tests.factories import DepartmentFactory, UserFactory

# A working Tuesday, 10:00 in Shanghai.
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def registry():
    """Let a test register entries; the app's own registrations are restored afterwards."""
    groups, items = dict(menu._groups), dict(menu._items)
    yield menu
    menu._groups.clear()
    menu._groups.update(groups)
    menu._items.clear()
    menu._items.update(items)
    menu._changed()  # what register_* and unregister_* do: a new revision for the sorted registry and the sidebar


@pytest.fixture
def empty_registry(registry):
    menu._groups.clear()
    menu._items.clear()
    menu._changed()
    return registry


def _request(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _keys(shown):
    return [(entry.group.key, [i.item.key for i in entry.items]) for entry in shown]


def _item_keys(shown):
    return {i.item.key for entry in shown for i in entry.items}


def _grant(user, perm):
    app_label, codename = perm.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


# --- the registry -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_items_need_their_permission(empty_registry, staff):
    menu.register(
        MenuGroup("g", "G"),
        MenuItem("g.open", "g", "Open", "org:dashboard"),
        MenuItem("g.locked", "g", "Locked", "org:department", visible="conduct.add_ruleversion"),
    )
    assert _keys(menu_for(_request(staff))) == [("g", ["g.open"])]

    _grant(staff, "conduct.add_ruleversion")
    staff = type(staff).objects.get(pk=staff.pk)  # a fresh object: Django caches permissions on the user
    assert _keys(menu_for(_request(staff))) == [("g", ["g.locked", "g.open"])]


@pytest.mark.django_db
def test_superuser_sees_permission_items_and_inactive_user_does_not(empty_registry):
    menu.register(MenuGroup("g", "G"), MenuItem("g.locked", "g", "Locked", "org:dashboard", visible="x.nothing"))
    assert _keys(menu_for(_request(UserFactory(is_superuser=True)))) == [("g", ["g.locked"])]
    assert menu_for(_request(UserFactory(is_superuser=True, is_active=False))) == []


@pytest.mark.django_db
def test_a_group_with_no_visible_item_is_hidden(empty_registry, staff):
    menu.register(MenuGroup("shown", "Shown"), MenuItem("shown.a", "shown", "A", "org:dashboard"))
    menu.register(
        MenuGroup("hidden", "Hidden"),
        MenuItem("hidden.a", "hidden", "A", "org:department", visible=lambda request: False),
        MenuItem("hidden.b", "hidden", "B", "org:task_list", visible="conduct.add_ruleversion"),
    )
    menu.register_group(MenuGroup("empty", "Empty"))
    assert _keys(menu_for(_request(staff))) == [("shown", ["shown.a"])]


@pytest.mark.django_db
def test_groups_and_items_are_ordered_by_order_then_key(empty_registry, staff):
    menu.register(
        MenuGroup("late", "Late", order=20),
        MenuItem("late.b", "late", "B", "org:department", order=5),
        MenuItem("late.a", "late", "A", "org:task_list", order=5),
        MenuItem("late.first", "late", "First", "org:product_list", order=1),
    )
    menu.register(MenuGroup("early", "Early", order=10), MenuItem("early.x", "early", "X", "org:dashboard"))
    assert _keys(menu_for(_request(staff))) == [("early", ["early.x"]), ("late", ["late.first", "late.a", "late.b"])]


def test_an_item_must_belong_to_the_group_it_is_registered_with(empty_registry):
    with pytest.raises(ValueError, match="belongs to"):
        menu.register(MenuGroup("g", "G"), MenuItem("x.a", "x", "A", "org:dashboard"))


@pytest.mark.django_db
def test_badge_callable_is_shown_and_zero_means_no_badge(empty_registry, staff, client_for):
    menu.register(
        MenuGroup("g", "G"),
        MenuItem("g.some", "g", "Some", "org:department", badge=lambda request: 7),
        MenuItem("g.none", "g", "None", "org:task_list", badge=lambda request: 0),
    )
    html = client_for(staff).get(reverse("org:dashboard")).content.decode()
    assert 'data-testid="menu-badge-g.some">7<' in html
    assert "menu-badge-g.none" not in html


def test_anonymous_visitors_get_no_menu():
    assert menu_for(_request(AnonymousUser())) == []


@pytest.mark.django_db
def test_callable_visibility_is_asked_once_per_request(empty_registry, staff):
    calls = []

    def visible(request):
        calls.append(request)
        return True

    menu.register(MenuGroup("g", "G"), MenuItem("g.a", "g", "A", "org:dashboard", visible=visible))
    request = _request(staff)
    menu_for(request)
    menu_for(request)
    assert len(calls) == 1


# --- active entry -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/", {"org.dashboard"}),
        ("/leave/queue/", {"leave.queue"}),
        ("/leave/", {"leave.mine"}),
        ("/leave/12/", {"leave.mine"}),
        ("/attendance/notices/daily/", {"attendance.notices_daily"}),
        ("/attendance/notices/", {"attendance.notices"}),
        ("/tasks/5/", {"org.tasks"}),
        ("/notifications/", set()),
    ],
)
def test_the_entry_with_the_longest_matching_address_is_active(manager, path, active):
    shown = menu_for(_request(manager, path))
    assert {i.item.key for entry in shown for i in entry.items if i.active} == active
    assert {entry.group.key for entry in shown if entry.active} == {key.split(".")[0] for key in active}


@pytest.mark.django_db
def test_the_active_entry_is_marked_in_the_page(client_for, manager):
    html = client_for(manager).get(reverse("leave:queue")).content.decode()
    assert 'active" href="/leave/queue/" data-menu-item="leave.queue" aria-current="page"' in html
    assert 'href="/leave/" data-menu-item="leave.mine" aria-current' not in html


# --- plug-in: an app registers, no template changes ---------------------------------------------


@pytest.mark.django_db
def test_an_entry_registered_by_an_app_appears_in_the_sidebar(registry, client_for, staff):
    url = reverse("org:dashboard")
    before = client_for(staff).get(url).content.decode()
    assert 'data-menu-item="newapp.items"' not in before

    menu.register(
        MenuGroup("newapp", "A new app", icon="bi-binoculars", order=35),
        MenuItem("newapp.items", "newapp", "New app items", "org:product_list", icon="bi-search"),
    )
    html = client_for(staff).get(url).content.decode()
    assert 'data-menu-group="newapp"' in html
    assert 'href="/products/" data-menu-item="newapp.items"' in html
    assert "New app items" in html
    # Groups render in order: leave (30) before the new one (35) before reports/rules.
    assert html.index('data-menu-group="leave"') < html.index('data-menu-group="newapp"')
    assert html.index('data-menu-group="newapp"') < html.index('data-menu-group="conduct"')


@pytest.mark.django_db
def test_an_entry_registered_again_with_a_new_label_shows_it_in_the_reused_sidebar(registry, client_for, staff):
    """The reused sidebar is keyed by entry keys, not labels: registering changes the registry's revision."""
    url = reverse("org:dashboard")
    group = MenuGroup("newapp", "A new app", icon="bi-binoculars", order=35)
    menu.register(group, MenuItem("newapp.items", "newapp", "Old label", "org:product_list", icon="bi-search"))
    assert "Old label" in client_for(staff).get(url).content.decode()

    menu.register(group, MenuItem("newapp.items", "newapp", "New label", "org:product_list", icon="bi-search"))
    html = client_for(staff).get(url).content.decode()
    assert "New label" in html
    assert "Old label" not in html


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_no_approval_queue_no_reports_no_acting_and_no_rule_admin(staff):
    keys = _item_keys(menu_for(_request(staff)))
    assert {"leave.create", "leave.mine", "attendance.today", "conduct.current", "org.dashboard"} <= keys
    assert not keys & {
        "leave.queue",
        "leave.acting",
        "reports.index",
        "attendance.summary",
        "attendance.notices_daily",
        "conduct.status",
        "conduct.publish",
        "admin.site",
    }


@pytest.mark.django_db
def test_the_department_head_sees_the_queue_acting_reports_and_summaries(manager):
    keys = _item_keys(menu_for(_request(manager)))
    assert {
        "leave.queue",
        "leave.acting",
        "reports.index",
        "attendance.summary",
        "attendance.notices_daily",
        "conduct.status",
    } <= keys
    assert "admin.site" not in keys


@pytest.mark.django_db
def test_an_acting_approver_sees_the_queue_only_while_acting(marketing, staff, manager):
    ActingApprover.objects.create(
        department=marketing,
        user=staff,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=2),
        created_by=manager,
    )
    keys = _item_keys(menu_for(_request(staff)))
    assert "leave.queue" in keys
    assert "leave.acting" not in keys  # naming an acting approver is the head's
    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        assert "leave.queue" not in _item_keys(menu_for(_request(staff)))


@pytest.mark.django_db
def test_the_approver_of_a_heads_leave_sees_the_queue(staff):
    DepartmentFactory(leave_approver=staff)
    assert "leave.queue" in _item_keys(menu_for(_request(staff)))


@pytest.mark.django_db
def test_someone_with_a_request_routed_to_them_sees_the_queue(staff, other_staff):
    leave = _pending(other_staff, staff)
    assert "leave.queue" in _item_keys(menu_for(_request(staff)))
    leave.status = LeaveRequest.Status.APPROVED
    leave.save()
    badges_changed()  # what the decision services do: the menu's roles are cached per user
    assert "leave.queue" not in _item_keys(menu_for(_request(staff)))


def _pending(user, approver, status=LeaveRequest.Status.PENDING):
    return LeaveRequest.objects.create(
        user=user,
        leave_type=LeaveType.objects.get(code="personal"),
        start_date=TODAY,
        end_date=TODAY,
        days=1,
        reason="r",
        handover_to=UserFactory(),
        handover_notes="n",
        approver=approver,
        status=status,
    )


def _grant_request(user, approver, status=CompTimeGrantRequest.Status.PENDING):
    return CompTimeGrantRequest.objects.create(
        user=user, work_date=TODAY, days=1, reason="r", approver=approver, status=status
    )


def _waiting(user) -> int:
    from apps.leave.selectors import comp_grant_queue, leave_approval_queue

    return leave_approval_queue(user=user, on_date=TODAY).count() + comp_grant_queue(user=user, on_date=TODAY).count()


def _badge(user):
    shown = menu_for(_request(user))
    return next((i.badge for entry in shown for i in entry.items if i.item.key == "leave.queue"), "no entry")


@pytest.mark.django_db
def test_the_queue_badge_counts_exactly_what_the_queue_shows(marketing, manager, staff, other_staff):
    gm = UserFactory()
    elsewhere = DepartmentFactory(head=UserFactory())
    outsider = UserFactory(department=elsewhere)
    _pending(staff, manager)  # a member's request, routed to the head
    _pending(other_staff, UserFactory())  # routed elsewhere, but the head decides for the department
    _pending(outsider, manager)  # routed to the manager from another department
    _pending(manager, gm)  # the head's own leave goes up a level
    _pending(staff, manager, status=LeaveRequest.Status.APPROVED)  # decided already
    _grant_request(staff, manager)
    _grant_request(other_staff, manager, status=CompTimeGrantRequest.Status.REJECTED)
    ActingApprover.objects.create(
        department=elsewhere, user=other_staff, start_date=TODAY, end_date=TODAY, created_by=elsewhere.head
    )
    _pending(UserFactory(department=elsewhere), elsewhere.head)  # other_staff acts for that department

    for user in (manager, gm, other_staff, staff, elsewhere.head):
        user = type(user).objects.get(pk=user.pk)
        expected = _waiting(user)
        badge = _badge(user)
        if badge != "no entry":
            assert badge == expected, user.username
    assert _badge(manager) == 4
    assert _badge(gm) == 1
    assert _badge(other_staff) == 2  # acting for the other department: both its members' requests
    assert _badge(staff) == "no entry"


@pytest.mark.django_db
def test_the_queue_badge_is_shown_in_the_sidebar(client_for, manager, staff):
    _pending(staff, manager)
    _pending(staff, manager)
    html = client_for(manager).get(reverse("org:dashboard")).content.decode()
    assert 'data-testid="menu-badge-leave.queue">2<' in html


@pytest.mark.django_db
def test_reports_show_for_anyone_holding_one_report_type(staff):
    _grant(staff, "reports.view_leave_report")
    assert "reports.index" in _item_keys(menu_for(_request(staff)))


@pytest.mark.django_db
def test_the_admin_site_is_for_staff_accounts(staff):
    staff.is_staff = True
    staff.save()
    assert "admin.site" in _item_keys(menu_for(_request(staff)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "queue", "reports", "check_in"),
    [("zh-hans", "待我审批", "报表", "签到"), ("en", "Approval queue", "Reports", "Check-in")],
)
def test_pages_show_the_queue_and_reports_to_the_manager_only(
    client_for, staff, manager, language, queue, reports, check_in
):
    for user in (staff, manager):
        user.language = language
        user.save()
    staff_html = client_for(staff).get(reverse("leave:mine")).content.decode()
    manager_html = client_for(manager).get(reverse("leave:mine")).content.decode()

    assert f'<span class="flex-grow-1">{check_in}</span>' in staff_html
    assert f'<span class="flex-grow-1">{queue}</span>' not in staff_html
    assert f'<span class="flex-grow-1">{reports}</span>' not in staff_html
    assert 'href="/leave/queue/"' not in staff_html
    assert 'href="/reports/"' not in staff_html

    assert f'<span class="flex-grow-1">{queue}</span>' in manager_html
    assert f'<span class="flex-grow-1">{reports}</span>' in manager_html


@pytest.mark.django_db
def test_login_page_has_the_language_switch_and_no_sidebar(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="lang-en"' in html
    assert 'id="mainNav"' not in html


@pytest.mark.django_db
def test_top_bar_keeps_bell_user_menu_and_language_switch(client_for, staff):
    html = client_for(staff).get(reverse("org:dashboard")).content.decode()
    for marker in (
        'data-testid="bell"',
        'data-testid="user-menu"',
        'data-testid="lang-en"',
        'data-testid="menu-toggle"',
    ):
        assert marker in html
    # The sidebar is a responsive offcanvas: a column from lg up, a drawer below.
    assert 'class="offcanvas-lg offcanvas-start' in html


# --- query cost ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "manager"])
def test_the_whole_menu_costs_three_queries(role, request, django_assert_num_queries):
    user = request.getfixturevalue(role)
    user = type(user).objects.get(pk=user.pk)
    # Permissions (user and group: two queries) and the approver roles (one), whatever the item count.
    with django_assert_num_queries(3):
        menu_for(_request(user))


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("org:dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_menu_items(registry, client_for, manager):
    client = client_for(manager)
    _dashboard_queries(client)
    before = _dashboard_queries(client)

    from apps.leave.menus import may_use_approval_queue

    group = MenuGroup("many", "Many")
    items = []
    for i in range(30):
        visible = ("conduct.add_ruleversion", may_use_approval_queue, None)[i % 3]
        items.append(MenuItem(f"many.{i}", "many", f"Item {i}", "org:product_list", order=i, visible=visible))
    menu.register(group, *items)

    html = client.get(reverse("org:dashboard")).content.decode()
    assert html.count('data-menu-item="many.') == 30
    assert _dashboard_queries(client) == before


@pytest.mark.django_db
def test_partials_that_do_not_show_the_menu_do_not_compute_it(staff):
    from django.template import RequestContext, Template

    request = _request(staff)
    with CaptureQueriesContext(connection) as ctx:
        Template("plain").render(RequestContext(request, {}))
    assert len(ctx.captured_queries) == 0


@pytest.mark.django_db
def test_roles_fixture_gives_staff_no_report_permission(staff):
    # Guards the staff cases above: if the Staff role gains a report type, they mean nothing.
    assert not staff.has_perm("reports.view_leave_report")
    assert RoleName.STAFF in staff.groups.values_list("name", flat=True)


# --- the sidebar's reused HTML (issue 8) ---------------------------------------------------------


def test_reuse_renders_a_block_once_per_key():
    from django.template import Context, Template

    template = Template("{% load shell %}{% reuse key %}{{ shown }}{% endreuse %}")

    first = template.render(Context({"key": ("zh-hans", 1), "shown": "one"}))
    same_key = template.render(Context({"key": ("zh-hans", 1), "shown": "two"}))
    other_key = template.render(Context({"key": ("en", 1), "shown": "two"}))

    assert (first, same_key, other_key) == ("one", "one", "two")


@pytest.mark.django_db
def test_the_reused_sidebar_follows_the_page_the_language_and_the_badges(client_for, manager, staff):
    client = client_for(manager)
    dashboard = client.get(reverse("org:dashboard")).content.decode()
    tasks = client.get(reverse("org:task_list")).content.decode()

    def active(html):
        return html[html.index('aria-current="page"') - 300 : html.index('aria-current="page"')]

    assert 'data-menu-item="org.dashboard"' in active(dashboard)
    assert 'data-menu-item="org.tasks"' in active(tasks)

    manager.language = "en"
    manager.save()
    english = client_for(manager).get(reverse("org:dashboard")).content.decode()
    assert ">Menu<" in english and ">菜单<" in dashboard

    LeaveRequest.objects.create(
        user=staff,
        leave_type=LeaveType.objects.get(code="personal"),
        start_date=TODAY + datetime.timedelta(days=7),
        end_date=TODAY + datetime.timedelta(days=7),
        days=1,
        reason="r",
        handover_to=UserFactory(),
        handover_notes="n",
        approver=manager,
        status="pending",
    )
    badges_changed(user_ids=[manager.pk])
    with_badge = client_for(manager).get(reverse("org:dashboard")).content.decode()
    assert 'data-testid="menu-badge-leave.queue"' in with_badge
    assert 'data-testid="menu-badge-leave.queue"' not in english
