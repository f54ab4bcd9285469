"""Issue 8: the options of model-choice fields, and a few small per-person values, are cached under a stamp
of every model they are read from (``apps/core/choices.py``, ``apps/core/cache_keys.py``).

Every test reads a page (or a field) once to fill the cache before it changes anything, so a stamp that
was not replaced would show the old options: each rule below fails if the cache keeps a stale value.
"""

import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.conduct.models import RuleVersion
from apps.conduct.panels import pending_rules_number
from apps.conduct.services import rule_acknowledge, rule_version_publish
from apps.core import cache_keys, choices
from apps.core.choices import CachedChoices, CachedModelChoiceField, cached_for_models
from apps.core.models import ConfidentialityLevel as Level
from apps.core.services import classified_level_change
from apps.intel.filters.reports import IntelReportFilter
from apps.intel.forms.follows import FollowForm
from apps.intel.models import Competitor, CompetitorProduct, Follow, IntelReport, Province, Tag
from apps.intel.selectors.follows import _followed_ids
from apps.intel.services.follows import follow_add, follow_remove
from apps.org.models import Department
from tests.broker import unreachable_caches
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
from tests.intel.factories_reports import CompetitorFactory, IntelReportFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

SELECT = re.compile(r'<select name="(?P<name>[^"]+)"[^>]*>(?P<body>.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(?P<value>[^"]*)"[^>]*>(?P<label>.*?)</option>', re.S)
# The tables the report list's four option sets are read from, one query each on a miss.
OPTION_TABLES = ("intel_competitor", "intel_competitorproduct", "intel_province", "intel_tag")


def options(html: str, name: str) -> dict[str, str]:
    """The ``value: label`` pairs of the one select named ``name`` in ``html``, without the empty choice."""
    bodies = [match["body"] for match in SELECT.finditer(html) if match["name"] == name]
    assert len(bodies) == 1, f"{len(bodies)} selects named {name!r}"
    return {match["value"]: match["label"] for match in OPTION.finditer(bodies[0]) if match["value"]}


def labels(html: str, name: str) -> set[str]:
    return set(options(html, name).values())


def list_page(client) -> str:
    response = client.get(reverse("intel:report_list"))
    assert response.status_code == 200
    return response.content.decode()


def option_tables_read(captured) -> list[str]:
    """Which option tables the captured queries read from (a table once per query)."""
    sqls = [query["sql"] for query in captured.captured_queries]
    return sorted(table for sql in sqls for table in OPTION_TABLES if f'FROM "{table}"' in sql)


# ----- cache_keys --------------------------------------------------------------------------------


def test_choices_keys_name_the_field_scope_language_and_version():
    key = cache_keys.choices_key("IntelReportFilter.province", "clearance-1", "en", 1)

    assert key.startswith("mktdept:") and "IntelReportFilter.province" in key
    others = {
        cache_keys.choices_key("IntelReportFilter.tag", "clearance-1", "en", 1),
        cache_keys.choices_key("IntelReportFilter.province", "clearance-3", "en", 1),
        cache_keys.choices_key("IntelReportFilter.province", "clearance-1", "zh-hans", 1),
        cache_keys.choices_key("IntelReportFilter.province", "clearance-1", "en", 2),
    }
    assert len(others) == 4 and key not in others
    stamps = cache_keys.choices_version_keys(["intel.Competitor", "intel.Province"])
    assert len(set(stamps)) == 2 and all(stamp.startswith("mktdept:") for stamp in stamps)
    assert cache_keys.choices_version_keys(["intel.Province"]) == stamps[1:]


def test_choices_changed_replaces_the_stamps_now_and_again_after_commit(django_capture_on_commit_callbacks):
    competitor_stamp, province_stamp = cache_keys.choices_version_keys(["intel.Competitor", "intel.Province"])
    cache_keys.choices_changed(["intel.Province"])
    province_before = cache.get(province_stamp)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cache_keys.choices_changed(["intel.Competitor"])
    now = cache.get(competitor_stamp)
    assert now is not None
    assert cache.get(province_stamp) == province_before  # another model's stamp is left alone

    assert len(callbacks) == 1
    callbacks[0]()
    assert cache.get(competitor_stamp) not in (None, now)


# ----- queries -----------------------------------------------------------------------------------


def test_options_are_read_with_one_query_each_on_a_miss_and_none_when_warm(
    client_for, staff, django_assert_num_queries
):
    CompetitorFactory(name="迈瑞医疗")
    client = client_for(staff)
    with CaptureQueriesContext(connection) as cold:
        list_page(client)
    with CaptureQueriesContext(connection) as warm:
        list_page(client)

    assert option_tables_read(cold) == sorted(OPTION_TABLES)
    assert option_tables_read(warm) == []
    warm_count = len(warm.captured_queries)
    with django_assert_num_queries(warm_count):
        list_page(client)

    choices.models_changed(Province)
    with django_assert_num_queries(warm_count + 1) as province_miss:
        list_page(client)
    assert option_tables_read(province_miss) == ["intel_province"]

    # The product options are read from competitor products and their competitors: both stamps count.
    choices.models_changed(Competitor)
    with django_assert_num_queries(warm_count + 2) as competitor_miss:
        list_page(client)
    assert option_tables_read(competitor_miss) == ["intel_competitor", "intel_competitorproduct"]

    choices.models_changed(IntelReport)  # the tags offered depend on the reports that carry them
    with django_assert_num_queries(warm_count + 1) as tag_miss:
        list_page(client)
    assert option_tables_read(tag_miss) == ["intel_tag"]

    with django_assert_num_queries(warm_count):
        list_page(client)


def test_a_field_reads_its_options_once_then_from_the_cache(staff, django_assert_num_queries):
    def province_select() -> str:
        return str(IntelReportFilter(user=staff).form["province"])

    with django_assert_num_queries(1):
        cold = province_select()
    with django_assert_num_queries(0):
        warm = province_select()

    assert warm == cold
    assert len(options(cold, "province")) == Province.objects.count() > 30


# ----- signals replace the stamps ----------------------------------------------------------------


def test_a_saved_renamed_or_deleted_competitor_shows_on_the_next_page(client_for, staff):
    client = client_for(staff)
    kept = CompetitorFactory(name="迈瑞医疗")
    assert options(list_page(client), "competitor") == {str(kept.pk): "迈瑞医疗"}

    added = CompetitorFactory(name="新产业生物")
    assert options(list_page(client), "competitor") == {str(kept.pk): "迈瑞医疗", str(added.pk): "新产业生物"}

    added.short_name = "新产业"  # the option shows the short name when there is one
    added.save()
    assert options(list_page(client), "competitor") == {str(kept.pk): "迈瑞医疗", str(added.pk): "新产业"}

    added.delete()
    assert options(list_page(client), "competitor") == {str(kept.pk): "迈瑞医疗"}


def test_a_renamed_province_shows_its_new_label(client_for, staff):
    client = client_for(staff)
    guangdong = Province.objects.get(code="440000")
    assert options(list_page(client), "province")[str(guangdong.pk)] == "广东省"

    guangdong.name = "广东"
    guangdong.save()

    assert options(list_page(client), "province")[str(guangdong.pk)] == "广东"


def test_a_tag_follows_its_links_and_the_level_of_its_reports(client_for, staff, manager):
    assert (staff.clearance, manager.clearance) == (Level.INTERNAL, Level.SECRET)
    secret = IntelReportFactory(confidentiality=Level.SECRET)
    secret.tags.add(TagFactory(name="秘密课题"))
    internal = IntelReportFactory(confidentiality=Level.INTERNAL)
    low, high = client_for(staff), client_for(manager)

    # The secret reader fills the cache first: the internal reader must not be offered their tag.
    assert labels(list_page(high), "tag") == {"秘密课题"}
    assert labels(list_page(low), "tag") == set()

    channel = TagFactory(name="渠道")
    assert labels(list_page(low), "tag") == set()  # a tag on no report is not offered
    internal.tags.add(channel)  # m2m_changed on the through model
    assert labels(list_page(low), "tag") == {"渠道"}
    assert labels(list_page(high), "tag") == {"秘密课题", "渠道"}

    internal.tags.remove(channel)
    assert labels(list_page(low), "tag") == set()

    classified_level_change(user=manager, obj=secret, new_level=Level.INTERNAL, reason="公开范围扩大")
    assert labels(list_page(low), "tag") == {"秘密课题"}


def test_the_admin_archive_action_removes_archived_rows_from_the_options(client_for, staff):
    admin_user = UserFactory(is_staff=True, is_superuser=True, clearance=Level.SECRET)
    competitor = CompetitorFactory(name="待归档公司")
    report = IntelReportFactory(confidentiality=Level.INTERNAL)
    report.tags.add(TagFactory(name="旧标签"))
    client, admin_client = client_for(staff), client_for(admin_user)
    page = list_page(client)
    assert "待归档公司" in labels(page, "competitor")
    assert "旧标签" in labels(page, "tag")

    response = admin_client.post(
        reverse("admin:intel_competitor_changelist"),
        {"action": "archive_selected", "_selected_action": [competitor.pk]},
    )
    assert response.status_code == 302
    competitor.refresh_from_db()
    assert competitor.is_active is False
    assert "待归档公司" not in labels(list_page(client), "competitor")

    # Reports are archived with is_archived: a tag used only on an archived report is no longer offered.
    response = admin_client.post(
        reverse("admin:intel_intelreport_changelist"), {"action": "archive_selected", "_selected_action": [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_archived is True
    assert "旧标签" not in labels(list_page(client), "tag")


def test_an_update_without_models_changed_keeps_the_cached_options(client_for, staff):
    """The reason the admin's archive action calls ``models_changed``: ``QuerySet.update`` sends no signal."""
    competitor = CompetitorFactory(name="悄悄停用")
    client = client_for(staff)
    assert "悄悄停用" in labels(list_page(client), "competitor")

    Competitor.objects.filter(pk=competitor.pk).update(is_active=False)
    assert "悄悄停用" in labels(list_page(client), "competitor")

    choices.models_changed(Competitor)
    assert "悄悄停用" not in labels(list_page(client), "competitor")


# ----- language ----------------------------------------------------------------------------------


def test_options_are_cached_per_language(staff, django_assert_num_queries):
    guangdong = str(Province.objects.get(code="440000").pk)

    def province_options(language: str) -> dict[str, str]:
        with translation.override(language):
            return options(str(IntelReportFilter(user=staff).form["province"]), "province")

    chinese, english = province_options("zh-hans"), province_options("en")
    with django_assert_num_queries(0):
        warm_chinese, warm_english = province_options("zh-hans"), province_options("en")

    assert chinese[guangdong] == warm_chinese[guangdong] == "广东省"
    assert english[guangdong] == warm_english[guangdong] == "Guangdong"
    assert warm_chinese == chinese and warm_english == english


def test_a_reader_of_another_language_gets_their_own_labels_on_the_page(client_for, staff, other_staff):
    other_staff.language = "en"
    other_staff.save()
    chinese_reader, english_reader = client_for(staff), client_for(other_staff)
    guangdong = str(Province.objects.get(code="440000").pk)

    for _visit in range(2):  # the second visit of each reads the cache
        assert options(list_page(chinese_reader), "province")[guangdong] == "广东省"
        assert options(list_page(english_reader), "province")[guangdong] == "Guangdong"


# ----- configuration and validation --------------------------------------------------------------


def test_reading_cached_options_of_an_unwatched_model_is_refused():
    assert Department._meta.label not in choices._watched
    field = CachedModelChoiceField(
        queryset=Department.objects.all(), cached_choices=CachedChoices("test.departments", (Department,))
    )
    with pytest.raises(ImproperlyConfigured, match="org.Department"):
        list(field.choices)

    computed = []
    with pytest.raises(ImproperlyConfigured, match="org.Department"):
        cached_for_models("test.value", (Competitor, Department), lambda: computed.append(1))
    assert computed == []  # refused before anything is read

    assert cached_for_models("test.value", (Competitor,), lambda: 42) == 42  # a watched model is fine


def test_a_value_no_longer_in_the_queryset_is_refused_while_the_cache_still_offers_it(
    client_for, staff, django_assert_num_queries
):
    gone, kept = CompetitorFactory(name="停业公司"), CompetitorFactory(name="在营公司")
    assert "停业公司" in str(FollowForm(target=Follow.Target.COMPETITOR, user=staff)["item"])
    client = client_for(staff)
    assert "停业公司" in labels(list_page(client), "competitor")

    Competitor.objects.filter(pk=gone.pk).update(is_active=False)  # no signal: the stamp stays

    stale = FollowForm(target=Follow.Target.COMPETITOR, user=staff)
    with django_assert_num_queries(0):
        assert str(gone.pk) in options(str(stale["item"]), "competitor-item")
    refused = FollowForm({"competitor-item": str(gone.pk)}, target=Follow.Target.COMPETITOR, user=staff)
    assert not refused.is_valid()
    assert [error.code for error in refused.errors.as_data()["item"]] == ["invalid_choice"]
    accepted = FollowForm({"competitor-item": str(kept.pk)}, target=Follow.Target.COMPETITOR, user=staff)
    assert accepted.is_valid() and accepted.cleaned_data["item"] == kept

    filterset = IntelReportFilter({"competitor": str(gone.pk)}, queryset=IntelReport.objects.all(), user=staff)
    assert str(gone.pk) in options(str(filterset.form["competitor"]), "competitor")  # still offered
    assert not filterset.is_valid()
    assert "competitor" in filterset.errors
    response = client.get(reverse("intel:report_list"), {"competitor": gone.pk})
    assert response.status_code == 200
    assert "competitor" in response.context["filter"].errors


# ----- Redis down --------------------------------------------------------------------------------


def test_with_redis_down_the_options_come_from_the_database(client_for, staff):
    CompetitorFactory(name="迈瑞医疗")
    client = client_for(staff)

    with override_settings(CACHES=unreachable_caches()):
        with CaptureQueriesContext(connection) as first:
            page = list_page(client)
        assert labels(page, "competitor") == {"迈瑞医疗"}
        assert options(page, "province")[str(Province.objects.get(code="440000").pk)] == "广东省"

        CompetitorFactory(name="新产业生物")  # its stamp cannot be written: nothing was cached either
        with CaptureQueriesContext(connection) as second:
            page = list_page(client)
        assert labels(page, "competitor") == {"迈瑞医疗", "新产业生物"}

    # Nothing could be cached: every visit reads every option set.
    assert option_tables_read(first) == option_tables_read(second) == sorted(OPTION_TABLES)


# ----- per-person values: the rules reminder and the follows -------------------------------------


def test_the_rules_reminder_is_cached_per_person_until_a_version_or_an_acknowledgement(
    client_for, staff, other_staff, manager, django_assert_num_queries
):
    first = RuleVersion.objects.get(number=1)
    assert pending_rules_number(staff) == 1
    with django_assert_num_queries(0):
        assert pending_rules_number(staff) == 1
    assert pending_rules_number(other_staff) == 1
    dashboard = client_for(staff)
    assert "（第1版）" in dashboard.get(reverse("org:dashboard")).content.decode()

    rule_acknowledge(user=staff, version=first)
    with django_assert_num_queries(1):
        assert pending_rules_number(staff) is None
    with django_assert_num_queries(0):
        assert pending_rules_number(staff) is None
    assert pending_rules_number(other_staff) == 1  # one person's value is not another's
    assert 'data-testid="rules-pending"' not in dashboard.get(reverse("org:dashboard")).content.decode()
    assert "（第1版）" in client_for(other_staff).get(reverse("org:dashboard")).content.decode()

    second = rule_version_publish(actor=manager, title="市场部管理准则", body="1、新条款")
    assert second.number == 2
    assert pending_rules_number(staff) == 2
    assert pending_rules_number(other_staff) == 2
    assert "（第2版）" in dashboard.get(reverse("org:dashboard")).content.decode()


def test_the_follows_are_cached_per_person_until_one_is_added_or_removed(staff, other_staff, django_assert_num_queries):
    competitor = CompetitorFactory()
    guangdong = Province.objects.get(code="440000")
    assert _followed_ids(staff) == {target: [] for target in Follow.Target.values}
    with django_assert_num_queries(0):
        assert not any(_followed_ids(staff).values())

    follow, created = follow_add(user=staff, target=Follow.Target.COMPETITOR, obj=competitor)
    assert created
    with django_assert_num_queries(1):
        assert _followed_ids(staff)[Follow.Target.COMPETITOR] == [competitor.pk]
    with django_assert_num_queries(0):
        assert _followed_ids(staff)[Follow.Target.COMPETITOR] == [competitor.pk]
    assert not any(_followed_ids(other_staff).values())

    follow_add(user=other_staff, target=Follow.Target.PROVINCE, obj=guangdong)
    assert _followed_ids(other_staff)[Follow.Target.PROVINCE] == [guangdong.pk]
    assert _followed_ids(staff)[Follow.Target.PROVINCE] == []

    follow_remove(user=staff, follow=follow)
    assert _followed_ids(staff)[Follow.Target.COMPETITOR] == []
    assert _followed_ids(other_staff)[Follow.Target.PROVINCE] == [guangdong.pk]


def test_watched_models_cover_every_cached_field_of_the_report_filter(staff):
    filterset = IntelReportFilter(user=staff)
    for name in ("competitor", "product", "province", "tag"):
        cached = filterset.form.fields[name].cached_choices
        assert cached is not None, name
        assert {choices._label(model) for model in cached.models} <= choices._watched, name
    assert {Tag._meta.label, IntelReport._meta.label, IntelReport.tags.through._meta.label} <= choices._watched
    assert CompetitorProduct._meta.label in choices._watched


def test_a_log_in_keeps_the_people_options_and_a_new_name_replaces_them():
    """People are offered by name: saving only ``last_login`` (every log-in) keeps their stamp."""
    from django.contrib.auth.signals import user_logged_in
    from django.test import RequestFactory

    from apps.accounts.models import User

    person = UserFactory(full_name="登录前")
    stamp_key = cache_keys.choices_version_keys(["accounts.User"])[0]
    cache_keys.choices_changed(["accounts.User"])
    before = cache.get(stamp_key)

    user_logged_in.send(sender=User, request=RequestFactory().get("/"), user=person)
    assert cache.get(stamp_key) == before

    person.full_name = "改名后"
    person.save(update_fields=["full_name"])
    assert cache.get(stamp_key) != before


def test_seed_demo_replaces_every_stamp_after_its_bulk_writes(monkeypatch):
    """The demo loaders write in bulk (no signals): the command marks every cached option and
    dashboard fact out of date once it is done."""
    from django.core.management import call_command

    from apps.org.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "demo_data_load", lambda: {"users": 0, "tasks": 0, "leave": 0})
    monkeypatch.setattr(
        seed_demo,
        "intel_demo_load",
        lambda: dict.fromkeys(("competitors", "products", "prices", "reports", "plans", "battlecards"), 0),
    )
    watched = sorted(choices._watched)
    keys = [*cache_keys.choices_version_keys(watched), *cache_keys.dashboard_version_keys()]
    cache.set_many(dict.fromkeys(keys, "old"))

    call_command("seed_demo", stdout=io.StringIO())

    stamps = cache.get_many(keys)
    assert "accounts.User" in watched and "intel.Tag" in watched and "conduct.Acknowledgement" in watched
    assert all(stamps.get(key) not in (None, "old") for key in keys)
