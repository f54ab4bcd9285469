"""Every page under the Content-Security-Policy in headless Chromium, in both languages (issue 7).

The manager opens the log-in page, the password reset page, a 404 and the lockout page while logged
out, then every page of the navigation bar, the leave form (its htmx preview) and a report with its
chart; the administrator opens the admin index, a changelist, a change form and django-celery-beat's
periodic task form. Any CSP violation, JavaScript console error or uncaught exception fails the test.

Violations are caught twice: Chromium logs each one to the console ("Refused to ... because it
violates the following Content Security Policy directive"), and an init script listens for the
``securitypolicyviolation`` event. Playwright's init scripts are exempt from the page's policy.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule

from apps.accounts.models import User
from apps.org.demo import DEMO_PASSWORD
from tests.e2e.test_browser import browser, demo, log_in, screenshot  # noqa: F401 (browser, demo: fixtures)

pytestmark = pytest.mark.browser

LANGUAGES = [("zh-hans", "zh-CN"), ("en", "en-US")]

VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("securitypolicyviolation: " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


class Watch:
    """Collect CSP violations, console errors and uncaught exceptions of one page."""

    def __init__(self, page):
        self.problems: list[str] = []
        # Documents answered on purpose with an error status (404, 429): Chromium logs "Failed to
        # load resource" for them, which is not a defect.
        self.expected_error_urls: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: uncaught {error}"))

    def _console(self, message):
        text = message.text
        if message.type != "error" and "Content Security Policy" not in text:
            return
        url = message.location.get("url", "")
        if text.startswith("Failed to load resource") and url in self.expected_error_urls:
            return
        self.problems.append(f"{url}: [{message.type}] {text}")


def new_page(browser, locale):  # noqa: F811
    context = browser.new_context(locale=locale, timezone_id="Asia/Shanghai")
    context.add_init_script(VIOLATION_LISTENER)
    page = context.new_page()
    return context, page, Watch(page)


def open_ok(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    return response


def use_language(page, language):
    """Switch the logged-in user's language with the navigation bar's switch when needed."""
    from playwright.sync_api import expect

    if page.locator("html").get_attribute("lang") != language:
        page.get_by_test_id(f"lang-{language}").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The new page's scripts stand at the end of its body: wait until they have run.
    page.wait_for_load_state("load")


def logged_out_pages(page, watch, live_server, language):
    from playwright.sync_api import expect

    login = live_server.url + reverse("accounts:login")
    open_ok(page, login)
    expect(page.locator("html")).to_have_attribute("lang", language)
    open_ok(page, live_server.url + reverse("accounts:password_reset"))

    missing = live_server.url + "/no-such-page/"
    watch.expected_error_urls.add(missing)
    assert page.goto(missing).status == 404
    expect(page.locator("main h1")).to_have_text("404")

    # The lockout page (axes) answers the failure that reaches the limit with 429.
    watch.expected_error_urls.add(login)
    page.goto(login)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.locator("#main input[name=username]").fill(f"locked-{language}")
        page.locator("#main input[name=password]").fill("wrong")
        with page.expect_navigation() as navigation:
            page.locator("#main form button[type=submit]").click()
    assert navigation.value.status == 429
    expect(page.locator("#main .alert-warning h1")).to_be_visible()
    watch.expected_error_urls.discard(login)


def navigation_pages(page, live_server):
    hrefs = page.eval_on_selector_all("nav a[href]", "links => links.map(link => link.getAttribute('href'))")
    seen = []
    for href in hrefs:
        if href.startswith("/") and href not in seen:
            seen.append(href)
    return seen


def leave_form(page, live_server):
    from playwright.sync_api import expect

    open_ok(page, live_server.url + reverse("leave:create"))
    preview = page.locator("#leave-preview")
    expect(preview).to_have_text("—")
    start = timezone.localdate() + datetime.timedelta(days=14)
    page.locator("#id_start_date").fill(start.isoformat())
    with page.expect_request(lambda request: reverse("leave:preview") in request.url) as preview_request:
        page.locator("#id_end_date").fill((start + datetime.timedelta(days=1)).isoformat())
    # The preview is a GET: it must not carry the CSRF token into the URL.
    assert "csrfmiddlewaretoken" not in preview_request.value.url
    assert "start_date=" in preview_request.value.url
    expect(preview).not_to_have_text("—")


def chart_is_drawn(page):
    return page.evaluate(
        "() => { const c = document.querySelector('canvas[data-chart]'); return !!(c && Chart.getChart(c)); }"
    )


def report_with_chart(page, live_server, language):
    url = live_server.url + reverse("reports:type", args=["attendance_monthly"])
    open_ok(page, url)
    assert chart_is_drawn(page)
    # "Show the chart" posts the form (a GET would put its CSRF token in the URL, history and logs).
    with page.expect_navigation():
        page.get_by_test_id("show-chart").click()
    assert page.url == url
    assert "csrfmiddlewaretoken" not in page.url
    assert chart_is_drawn(page)
    # The POST form still carries its token for "Build the file".
    assert page.locator("#report-form input[name=csrfmiddlewaretoken]").is_enabled()
    screenshot(page, f"csp-report-chart-{language}")


def htmx_post(page, live_server):
    """An htmx POST gets Django's token from the page (the CSRF cookie is HttpOnly)."""
    open_ok(page, live_server.url + reverse("notifications:list"))
    url = reverse("notifications:read_all")

    def is_the_post(response):
        return response.request.method == "POST" and response.url.endswith(url)

    with page.expect_response(is_the_post) as answer:
        page.evaluate("url => htmx.ajax('POST', url, {source: document.body, swap: 'none'})", url)
    assert answer.value.request.headers.get("x-csrftoken")
    assert answer.value.status == 302, answer.value.status


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_sec_csp_06_every_page_runs_under_the_policy_without_console_errors(
    browser,  # noqa: F811
    live_server,
    language,
    locale,
):
    context, page, watch = new_page(browser, locale)
    try:
        logged_out_pages(page, watch, live_server, language)

        log_in(page, live_server, "manager", DEMO_PASSWORD)
        use_language(page, language)
        page.wait_for_function("() => typeof window.htmx !== 'undefined'")
        assert page.evaluate("htmx.config.allowEval") is False
        csrf = [c for c in context.cookies() if c["name"] == settings.CSRF_COOKIE_NAME]
        assert csrf and csrf[0]["httpOnly"] is True

        pages = navigation_pages(page, live_server)
        assert reverse("leave:create") in pages and reverse("attendance:summary") in pages
        for path in pages:
            open_ok(page, live_server.url + path)
        screenshot(page, f"csp-last-nav-page-{language}")
        open_ok(page, live_server.url + reverse("attendance:summary"))
        assert chart_is_drawn(page)

        leave_form(page, live_server)
        report_with_chart(page, live_server, language)
        htmx_post(page, live_server)
    finally:
        context.close()

    assert not watch.problems, "\n".join(watch.problems)


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_sec_csp_06_admin_runs_under_the_policy_without_console_errors(
    browser,  # noqa: F811
    live_server,
    language,
    locale,
):
    from playwright.sync_api import expect

    manager = User.objects.get(username="manager")
    crontab = CrontabSchedule.objects.create(minute="30", hour="8", day_of_week="1", timezone=settings.TIME_ZONE)
    context, page, watch = new_page(browser, locale)
    try:
        log_in(page, live_server, "admin", DEMO_PASSWORD)
        use_language(page, language)
        for path in [
            reverse("admin:index"),
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_change", args=[manager.pk]),
            reverse("admin:django_celery_beat_periodictask_add"),
            reverse("admin:workcalendar_calendaryear_changelist"),
            reverse("admin:workcalendar_calendaryear_import"),
        ]:
            open_ok(page, live_server.url + path)
            expect(page.locator("html")).to_have_attribute("lang", re.compile(language, re.IGNORECASE))
        # The periodic task form's script (moved out of line) still spells out the chosen crontab.
        open_ok(page, live_server.url + reverse("admin:django_celery_beat_periodictask_add"))
        page.locator("#id_crontab").select_option(str(crontab.pk))
        expect(page.get_by_test_id("crontab-in-words")).not_to_be_empty()
        screenshot(page, f"csp-admin-periodic-task-{language}")
    finally:
        context.close()

    assert not watch.problems, "\n".join(watch.problems)
