"""Login, lockout, language preference, session idle timeout and login-required pages."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

LOGIN_URL = reverse("accounts:login")


def _login(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


@pytest.mark.django_db
def test_every_page_needs_login(client):
    for name in ["org:dashboard", "org:department", "org:task_list", "conduct:current", "notifications:list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL)


@pytest.mark.django_db
def test_login_page_and_health_check_are_public(client):
    assert client.get(LOGIN_URL).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get("/healthz/").content == b"ok"


@pytest.mark.django_db
def test_login_with_right_password_reaches_dashboard(client):
    user = UserFactory()

    response = _login(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("org:dashboard")


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_but_not_colleagues_on_the_same_ip(client, settings):
    victim = UserFactory()
    colleague = UserFactory()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.username, "wrong-password")
    locked = _login(client, victim.username, PASSWORD)
    colleague_response = _login(client, colleague.username, PASSWORD)

    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert colleague_response.status_code == 302
    assert colleague_response.url == reverse("org:dashboard")


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, settings):
    user = UserFactory()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, user.username, "wrong-password")

    assert _login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_session_expires_after_idle_time_and_is_renewed_by_each_request(client, settings):
    settings.SESSION_COOKIE_AGE = 600
    user = UserFactory()
    client.force_login(user)
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=5))

    assert client.get(reverse("org:dashboard")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + timedelta(seconds=590)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("org:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


@pytest.mark.django_db
def test_ui_is_chinese_by_default_and_english_on_request(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)

    chinese = client.get(reverse("org:dashboard"))
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("org:dashboard"))

    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert "工作台" in chinese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Dashboard" in english.content.decode()
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.django_db
def test_language_switch_with_unknown_code_changes_nothing(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)

    response = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "zh-hans"


@pytest.mark.django_db
def test_language_switch_works_before_login(client):
    client.post(reverse("accounts:set_language"), {"language": "en", "next": LOGIN_URL})

    assert '<html lang="en">' in client.get(LOGIN_URL).content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="someone@example.com")

    client.post(reverse("accounts:password_reset"), {"email": "someone@example.com"})

    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    assert response.context["validlink"] is True
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "A-much-better-pw-42", "new_password2": "A-much-better-pw-42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-much-better-pw-42")


@pytest.mark.django_db
def test_logout_is_post_only(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("org:dashboard")).status_code == 302


@pytest.mark.django_db
def test_profile_update_keeps_input_and_saves_language(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"phone": " 13800000000 ", "language": "en"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.phone, user.language) == ("13800000000", "en")
    bad = client.post(reverse("accounts:profile"), {"phone": "139", "language": "xx"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["language"]
    assert 'value="139"' in bad.content.decode()


@pytest.mark.django_db
def test_error_pages_are_translated(client, settings):
    settings.DEBUG = False
    user = UserFactory(language="en")
    client.force_login(user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    user.language = "zh-hans"
    user.save()
    assert "页面不存在" in client.get("/no-such-page/").content.decode()
