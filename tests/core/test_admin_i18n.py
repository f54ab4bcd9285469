"""Django admin speaks Chinese throughout, django-axes' and django-celery-beat's models included
(issue 8). axes ships no Simplified Chinese: ``apps/core/third_party.py`` lists its words for our
catalogue, which Django reads before the packages' own."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# English model and app names that must not show in the Chinese admin.
ENGLISH_NAMES = [
    "Axes",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Access attempt expirations",
    "Periodic tasks",
    "Periodic Tasks",
    "Crontabs",
    "Intervals",
    "Solar events",
    "Clocked",
    "Model name",
    "Add link",
    "Change or view list link",
]
# Column headers and filters of axes' change lists.
AXES_WORDS = ["Attempt Time", "IP Address", "User Agent", "Username", "Path", "Locked Out", "Logout Time"]
AXES_CHANGELISTS = ["axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"]


def _visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", html)


def _shown(words: list[str], text: str) -> list[str]:
    return [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags=re.I)]


@pytest.fixture
def admin_client():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, language="zh-hans")
    client = Client()
    client.force_login(admin)
    return client


def test_the_check_finds_english_names():
    text = _visible_text('<a href="/admin/axes/">Axes</a><th>Access logs</th><p>访问 Path</p>')

    assert _shown(ENGLISH_NAMES + AXES_WORDS, text) == ["Axes", "Access logs", "Path"]


def test_every_models_name_is_translated():
    """Our apps' and the packages' models: the Chinese verbose names differ from the English ones."""
    untranslated = []
    for model in apps.get_models():
        if model._meta.app_label == "classified_app":  # a test-only app
            continue
        with translation.override("en"):
            english = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
        with translation.override("zh-hans"):
            chinese = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
        if any(en == zh or re.search(r"[A-Za-z]{3}", zh) for en, zh in zip(english, chinese, strict=True)):
            untranslated.append((model._meta.label, chinese))

    assert untranslated == []


def test_every_apps_name_in_the_admin_is_translated():
    untranslated = []
    shown = {model._meta.app_label for model in admin.site._registry} - {"classified_app"}
    for config in apps.get_app_configs():
        if config.label not in shown:
            continue
        with translation.override("zh-hans"):
            name = str(config.verbose_name)
        if re.search(r"[A-Za-z]{3}", name):
            untranslated.append((config.label, name))

    assert untranslated == []


def test_the_admin_index_is_chinese(admin_client):
    text = _visible_text(admin_client.get(reverse("admin:index")).content.decode())

    assert "登录尝试" in text
    assert "周期性任务" in text
    assert _shown(ENGLISH_NAMES, text) == []
    assert "在应用程序 " not in text


@pytest.mark.parametrize("changelist", AXES_CHANGELISTS)
def test_axes_change_lists_are_chinese(admin_client, changelist):
    response = admin_client.get(reverse(f"admin:{changelist}_changelist"))

    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert _shown(ENGLISH_NAMES + AXES_WORDS, text) == []


@pytest.mark.parametrize("model", ["periodictask", "crontabschedule", "intervalschedule", "clockedschedule"])
def test_celery_beat_change_lists_are_chinese(admin_client, model):
    response = admin_client.get(reverse(f"admin:django_celery_beat_{model}_changelist"))

    assert response.status_code == 200
    assert _shown(ENGLISH_NAMES, _visible_text(response.content.decode())) == []
