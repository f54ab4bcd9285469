"""Words and typography (issue 8): capitalised English labels, breadcrumbs that follow the way a
page was reached, and Chinese sentences built whole instead of glued with spaces."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.core.menu import menu_for
from apps.leave.models import LeaveRequest
from apps.reports.models import ReportJob
from tests.clock import at_working_morning
from tests.factories import AssignedTaskFactory
from tests.leave.helpers import make_leave

pytestmark = [pytest.mark.django_db, at_working_morning]


class _Cells(HTMLParser):
    """Collect the text of every <label>, <th>, <legend> and <dt>."""

    TAGS = {"label", "th", "legend", "dt"}

    def __init__(self):
        super().__init__()
        self.texts: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            self.texts.append((name, " ".join("".join(parts).split())))

    def handle_data(self, data):
        for _tag, parts in self._open:
            parts.append(data)


def label_texts(html: str) -> list[tuple[str, str]]:
    parser = _Cells()
    parser.feed(html)
    return [(tag, text) for tag, text in parser.texts if text]


def lower_case_labels(html: str) -> list[tuple[str, str]]:
    return [(tag, text) for tag, text in label_texts(html) if text[0].isalpha() and text[0].islower()]


def _menu_urls(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    urls = [shown.url for group in menu_for(request) for shown in group.items]
    return [url for url in urls if not url.startswith(reverse("admin:index"))]


@pytest.fixture
def head(manager):
    manager.is_superuser = True
    manager.is_staff = True
    manager.language = "en"
    manager.save(update_fields=["is_superuser", "is_staff", "language"])
    return manager


@pytest.fixture
def leave(head, staff, other_staff):
    return make_leave(
        staff,
        handover_to=other_staff,
        approver=head,
        start=datetime.date(2026, 12, 3),
        status=LeaveRequest.Status.PENDING,
    )


# ---------------------------------------------------------------------------------------------
# English labels are capitalised


def test_the_label_check_finds_lower_case_labels():
    html = '<label for="x">leave type*</label><th>Status</th><th> <a>working days</a></th><label>3 days</label>'

    assert lower_case_labels(html) == [("label", "leave type*"), ("th", "working days")]


def test_every_label_and_header_of_every_page_is_capitalised_in_english(head, leave, staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=head, title="Call the hospital")
    job = ReportJob.objects.create(
        report_type="attendance_monthly",
        params={"department": "MKT", "month": "2026-11"},
        title="Monthly attendance",
        requested_by=head,
    )
    extra = [
        reverse("leave:detail", args=[leave.pk]),
        reverse("org:task_detail", args=[task.pk]),
        reverse("org:task_create"),
        reverse("reports:job", args=[job.pk]),
        reverse("reports:type", args=["attendance_monthly"]),
        reverse("reports:type", args=["leave_statistics"]),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
    ]
    client = Client()
    client.force_login(head)

    offenders = {}
    for url in [*_menu_urls(head), *extra]:
        response = client.get(url)
        assert response.status_code == 200, url
        found = lower_case_labels(response.content.decode())
        if found:
            offenders[url] = found

    assert offenders == {}, "\n".join(f"{url}: {found}" for url, found in offenders.items())


@pytest.mark.parametrize("url_name", ["accounts:login", "accounts:password_reset"])
def test_the_logged_out_forms_are_capitalised_in_english(url_name):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse(url_name)).content.decode()

    assert label_texts(html)
    assert lower_case_labels(html) == []


# ---------------------------------------------------------------------------------------------
# Breadcrumbs follow the way the page was reached


def _trail(html: str) -> list[str]:
    nav = html.split('data-testid="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", nav)]


@pytest.mark.parametrize(
    ("source", "trail"),
    [
        ("queue", ["待我审批", "请假申请"]),
        ("calendar", ["请假日历", "请假申请"]),
        ("handovers", ["交接给我的工作", "请假申请"]),
        ("mine", ["我的请假", "请假申请"]),
        ("", ["我的请假", "请假申请"]),
        ("elsewhere", ["我的请假", "请假申请"]),
    ],
)
def test_a_request_says_where_it_was_opened_from(client_for, leave, head, source, trail):
    head.language = "zh-hans"
    head.save(update_fields=["language"])

    html = client_for(head).get(reverse("leave:detail", args=[leave.pk]), {"source": source}).content.decode()

    assert _trail(html) == trail


def test_the_breadcrumb_links_back_to_the_page_it_names(client_for, leave, head):
    html = client_for(head).get(reverse("leave:detail", args=[leave.pk]), {"source": "calendar"}).content.decode()

    assert f'<a href="{reverse("leave:calendar")}" data-testid="breadcrumb-calendar">Leave calendar</a>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Leave request</li>' in html


@pytest.mark.parametrize(
    ("url_name", "source", "who"),
    [
        ("leave:mine", "mine", "staff"),
        ("leave:handovers", "handovers", "other_staff"),
        ("leave:queue", "queue", "head"),
    ],
)
def test_the_lists_open_a_request_saying_where_from(client_for, leave, request, url_name, source, who):
    html = client_for(request.getfixturevalue(who)).get(reverse(url_name)).content.decode()

    assert f'href="{reverse("leave:detail", args=[leave.pk])}?source={source}"' in html


@pytest.mark.parametrize(
    ("url_name", "parent"),
    [("org:task_detail", "Assigned tasks"), ("reports:job", "Report center"), ("attendance:notice_create", None)],
)
def test_other_detail_pages_have_a_breadcrumb(client_for, head, staff, url_name, parent):
    if url_name == "org:task_detail":
        url = reverse(url_name, args=[AssignedTaskFactory(owner=staff, assigned_by=head).pk])
    elif url_name == "reports:job":
        job = ReportJob.objects.create(report_type="attendance_monthly", title="Monthly attendance", requested_by=head)
        url = reverse(url_name, args=[job.pk])
    else:
        url = reverse(url_name)

    trail = _trail(client_for(head).get(url).content.decode())

    assert len(trail) == 2
    if parent:
        assert trail[0] == parent


# ---------------------------------------------------------------------------------------------
# Chinese sentences are built whole: no translated word glued to a value with a space

TEMPLATE_DIRS = [Path(__file__).resolve().parents[2] / "templates", Path(__file__).resolve().parents[2] / "apps"]
GLUED = re.compile(r"\{% (?:translate|trans) \"[^\"]*\" %\} +\{\{|\}\} +\{% (?:translate|trans) ")


def test_the_glue_check_finds_glued_pieces():
    assert GLUED.search('{% translate "working days" %} {{ leave.days }}')
    assert GLUED.search('{{ leave.start_date }} {% translate "afternoon" %}')
    assert not GLUED.search("{% blocktranslate %}{{ days }} working days{% endblocktranslate %}")


def test_no_template_glues_a_translated_word_to_a_value():
    offenders = [
        f"{path.name}: {match.group(0)}"
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        for match in GLUED.finditer(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


class _Leave:
    start_date = datetime.date(2026, 12, 10)
    end_date = datetime.date(2026, 12, 11)

    def __init__(self, start_half="am", end_half="pm"):
        self.start_half, self.end_half = start_half, end_half


@pytest.mark.parametrize(
    ("language", "leave", "expected"),
    [
        ("zh-hans", _Leave("pm", "am"), "2026年12月10日下午至2026年12月11日上午"),
        ("zh-hans", _Leave(), "2026年12月10日至2026年12月11日"),
        ("en", _Leave("pm", "am"), "10 Dec 2026 afternoon – 11 Dec 2026 morning"),
        ("en", _Leave(), "10 Dec 2026 – 11 Dec 2026"),
    ],
)
def test_a_leave_period_reads_as_one_phrase(language, leave, expected):
    with translation.override(language):
        text = render_to_string("leave/includes/_period.html", {"leave": leave})

    assert text.strip() == expected


def test_the_period_reads_like_the_notification(client_for, leave, head):
    """The request page shows its dates as the approver's notification does (both in Chinese)."""
    head.language = "zh-hans"
    head.save(update_fields=["language"])

    html = client_for(head).get(reverse("leave:detail", args=[leave.pk])).content.decode()

    assert "2026年12月3日至2026年12月3日" in html
