"""Content-Security-Policy on every kind of page, a CSRF cookie scripts cannot read, and templates
that stay within the policy (issue 7, "Security headers").

The browser side (no violation, no console error, htmx and Chart.js working) is
``tests/e2e/test_csp.py``.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path, reverse

from apps.org.models import Department
from tests.factories import UserFactory

REQUIRED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
}


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page")


def forbidden(request):
    raise PermissionDenied


# A URLconf for this module: the project's own plus two views that fail on purpose.
urlpatterns = [
    path("test-500/", boom),
    path("test-403/", forbidden),
    path("", include("mktdept.urls")),
]


def policy_of(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']} ({response.status_code})"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_strict_policy(response) -> None:
    policy = policy_of(response)
    for directive, sources in REQUIRED.items():
        assert policy.get(directive) == sources, f"{directive}: {policy.get(directive)}"
    for directive in ("default-src", "script-src", "script-src-elem", "script-src-attr"):
        unsafe = {s for s in policy.get(directive, set()) if s.startswith("'unsafe-")}
        assert not unsafe, f"{directive} allows {unsafe}"
    # No directive at all may allow string evaluation or inline styles and scripts.
    assert not any("'unsafe-eval'" in s or "'unsafe-inline'" in s for s in policy.values())


@pytest.fixture
def user(db):
    return UserFactory(department=Department.objects.get(code=settings.MAIN_DEPARTMENT_CODE))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["org:dashboard", "leave:create", "reports:index", "attendance:today"])
def test_sec_csp_01_app_pages_send_the_strict_policy(client_for, user, name):
    response = client_for(user).get(reverse(name))

    assert response.status_code == 200
    assert_strict_policy(response)


@pytest.mark.django_db
def test_sec_csp_01_login_and_password_reset_pages_send_the_policy(client):
    assert_strict_policy(client.get(reverse("accounts:login")))
    assert_strict_policy(client.get(reverse("accounts:password_reset")))


@pytest.mark.django_db
def test_sec_csp_01_admin_pages_send_the_policy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    index = client.get(reverse("admin:index"))
    changelist = client.get(reverse("admin:accounts_user_changelist"))

    assert index.status_code == changelist.status_code == 200
    assert_strict_policy(index)
    assert_strict_policy(changelist)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("url", "status"), [("/no-such-page/", 404), ("/test-403/", 403), ("/test-500/", 500)])
def test_sec_csp_01_error_pages_send_the_policy(client_for, user, url, status):
    client = client_for(user)
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code == status
    assert_strict_policy(response)


@pytest.mark.django_db
def test_sec_csp_01_axes_lockout_page_sends_the_policy(client):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert_strict_policy(response)


@pytest.mark.django_db
def test_sec_csp_02_htmx_runs_without_eval_or_injected_styles(client_for, user):
    html = client_for(user).get(reverse("org:dashboard")).content.decode()

    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert meta, "no htmx-config meta tag"
    config = meta.group(1)
    assert '"allowEval":false' in config
    assert '"includeIndicatorStyles":false' in config


def test_sec_csp_03_csrf_cookie_is_http_only():
    assert settings.CSRF_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_sec_csp_03_csrf_cookie_is_sent_http_only(client):
    response = client.get(reverse("accounts:login"))

    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True


@pytest.mark.django_db
def test_sec_csp_03_htmx_style_post_with_the_page_token_header_is_accepted(user):
    """What static/js/app.js does: read the token from the page's form, send it as X-CSRFToken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    html = client.get(reverse("notifications:list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    without = client.post(reverse("notifications:read_all"), headers={"HX-Request": "true"})
    with_token = client.post(reverse("notifications:read_all"), headers={"HX-Request": "true", "X-CSRFToken": token})

    assert without.status_code == 403
    assert with_token.status_code == 302


class _FormCollector(HTMLParser):
    """Collect each <form>'s method and the names of the inputs inside it."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"method": (attrs.get("method") or "get").lower(), "inputs": []}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None:
            self._open["inputs"].append(attrs.get("name"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "attendance:summary",
        "attendance:notices_daily",
        "leave:calendar",
        "org:product_list",
        "org:task_list",
        "reports:index",
    ],
)
def test_sec_csp_04_get_forms_carry_no_csrf_token(client_for, manager, name):
    response = client_for(manager).get(reverse(name))
    parser = _FormCollector()
    parser.feed(response.content.decode())

    get_forms = [form for form in parser.forms if form["method"] == "get"]

    assert response.status_code == 200
    assert get_forms, f"{name} has no GET form any more; update this test"
    assert all("csrfmiddlewaretoken" not in form["inputs"] for form in get_forms)


TEMPLATE_DIRS = [settings.BASE_DIR / "templates", *sorted((settings.BASE_DIR / "apps").glob("*/templates"))]
# What the policy blocks in a template: inline scripts (a <script> without src), event-handler
# attributes, javascript: URLs, htmx's hx-on (eval), and style attributes (style-src has no
# 'unsafe-inline'). json_script output is rendered at run time and does not appear here.
FORBIDDEN = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "on*= handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on": re.compile(r"\b(?:data-)?hx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "hx-vals/hx-vars js:": re.compile(r"hx-va(?:ls|rs)\s*=\s*['\"]\s*js:", re.IGNORECASE),
}


def _template_files() -> list[Path]:
    return [p for d in TEMPLATE_DIRS for p in sorted(d.rglob("*")) if p.suffix in {".html", ".txt"}]


def test_sec_csp_05_templates_hold_nothing_the_policy_blocks():
    found = []
    for template in _template_files():
        text = template.read_text(encoding="utf-8")
        for what, pattern in FORBIDDEN.items():
            if pattern.search(text):
                found.append(f"{template.relative_to(settings.BASE_DIR)}: {what}")

    assert _template_files()
    assert found == []


def test_sec_csp_05_the_forbidden_patterns_catch_what_they_should():
    samples = {
        "inline <script>": "<script>alert(1)</script>",
        "on*= handler": '<button type="button" onclick="go()">',
        "hx-on": '<div hx-on:click="x()">',
        "javascript: URL": '<a href="javascript:void(0)">',
        "style attribute": '<div class="a" style="width: 5%">',
        "<style> element": "<style>p{}</style>",
        "hx-vals/hx-vars js:": "<div hx-vals='js:{a: b()}'>",
    }
    allowed = '<script src="/static/js/app.js"></script><div class="onward" data-confirm="ok">'

    assert all(FORBIDDEN[what].search(sample) for what, sample in samples.items())
    assert not any(pattern.search(allowed) for pattern in FORBIDDEN.values())
