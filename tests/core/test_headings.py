"""Every page has exactly one heading (<h1>), in both languages, the check-in page included (issue 8).

The pages are the ones the sidebar offers (``menu_for``, so a new app's entries are covered without
editing this test) plus the detail pages reached from them.
"""

import datetime
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core.menu import menu_for
from apps.leave.models import LeaveRequest
from apps.reports.models import ReportJob
from tests.clock import at_working_morning
from tests.factories import AssignedTaskFactory
from tests.leave.helpers import make_leave

pytestmark = [pytest.mark.django_db, at_working_morning]

H1 = re.compile(r"<h1[\s>]")
LANGUAGES = ["zh-hans", "en"]


def _h1_count(html: str) -> int:
    return len(H1.findall(html))


def _menu_urls(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    urls = [shown.url for group in menu_for(request) for shown in group.items]
    # Django's own admin is not one of our pages.
    return [url for url in urls if not url.startswith(reverse("admin:index"))]


@pytest.fixture
def head(manager):
    """The department head, who also holds every permission: sees every entry of the sidebar."""
    manager.is_superuser = True
    manager.is_staff = True
    manager.save(update_fields=["is_superuser", "is_staff"])
    return manager


@pytest.fixture
def detail_urls(head, staff, other_staff):
    leave = make_leave(
        staff,
        handover_to=other_staff,
        approver=head,
        start=datetime.date(2026, 12, 3),
        status=LeaveRequest.Status.PENDING,
    )
    task = AssignedTaskFactory(owner=staff, assigned_by=head, title="回访医院")
    job = ReportJob.objects.create(
        report_type="attendance_monthly",
        params={"department": "MKT", "month": "2026-11"},
        title="月度考勤 · 市场部2026年11月",
        requested_by=head,
    )
    return [
        reverse("leave:detail", args=[leave.pk]),
        reverse("org:task_detail", args=[task.pk]),
        reverse("reports:job", args=[job.pk]),
        reverse("notifications:list"),
        reverse("accounts:profile"),
    ]


def test_the_check_counts_headings():
    assert _h1_count("<h1 class='h3'>a</h1><div class='h1'>b</div>") == 1
    assert _h1_count("<h1>a</h1><h1>b</h1>") == 2
    assert _h1_count("<h2>a</h2>") == 0


def test_the_sidebar_offers_the_pages_this_test_walks(head):
    urls = _menu_urls(head)

    assert reverse("attendance:today") in urls
    assert reverse("leave:queue") in urls
    assert len(urls) >= 15


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_the_navigation_has_one_heading(head, detail_urls, language):
    head.language = language
    head.save(update_fields=["language"])
    client = Client()
    client.force_login(head)

    counts = {}
    for url in [*_menu_urls(head), *detail_urls]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = _h1_count(response.content.decode())

    assert {url: n for url, n in counts.items() if n != 1} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_staff_members_pages_have_one_heading(client_for, staff, language):
    staff.language = language
    staff.save(update_fields=["language"])
    client = client_for(staff)

    counts = {url: _h1_count(client.get(url).content.decode()) for url in _menu_urls(staff)}

    assert {url: n for url, n in counts.items() if n != 1} == {}


def test_the_check_in_page_has_its_heading(client_for, staff):
    html = client_for(staff).get(reverse("attendance:today")).content.decode()

    assert re.search(r"<h1[^>]*>\s*签到\s*</h1>", html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_page_has_one_heading(language):
    html = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("accounts:login")).content.decode()

    assert _h1_count(html) == 1
