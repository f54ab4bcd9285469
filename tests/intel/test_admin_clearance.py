"""The intelligence admin keeps R-INTEL-03: clearance limits lists, counts, search and change URLs;
level changes are audited; nothing is deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from apps.core.models import AccessLog, LevelChange
from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.intel.models import IntelAttachment, IntelReport, Tag
from tests.clock import at_working_morning
from tests.factories import UserFactory
from tests.intel.factories_demo import IntelReportFactory

pytestmark = [pytest.mark.django_db, at_working_morning]

SECRET_TITLE = "华康诊断秘密降价方案"
INTERNAL_TITLE = "华康诊断新品发布会纪要"

CHANGELIST = "admin:intel_intelreport_changelist"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reports():
    return {
        "internal": IntelReportFactory(title=INTERNAL_TITLE, confidentiality=Level.INTERNAL),
        "secret": IntelReportFactory(title=SECRET_TITLE, confidentiality=Level.SECRET),
    }


@pytest.fixture
def internal_staff():
    # A staff admin user with the Staff role's view permissions and internal clearance.
    return UserFactory(is_staff=True, clearance=Level.INTERNAL, roles=[RoleName.STAFF])


@pytest.fixture
def secret_manager():
    return UserFactory(is_staff=True, clearance=Level.SECRET, roles=[RoleName.DEPARTMENT_MANAGER, RoleName.STAFF])


def test_r_intel_03_changelist_count_hides_a_secret_report_from_internal_clearance(
    reports, internal_staff, secret_manager
):
    internal = _client(internal_staff).get(reverse(CHANGELIST))
    secret = _client(secret_manager).get(reverse(CHANGELIST))

    assert internal.status_code == secret.status_code == 200
    assert internal.context["cl"].result_count == 1
    assert internal.context["cl"].full_result_count == 1
    assert secret.context["cl"].result_count == 2
    assert SECRET_TITLE not in internal.content.decode()
    assert INTERNAL_TITLE in internal.content.decode()
    assert SECRET_TITLE in secret.content.decode()


def test_r_intel_03_a_superuser_is_not_exempt_from_clearance(reports):
    superuser = UserFactory(is_staff=True, is_superuser=True, clearance=Level.INTERNAL)

    response = _client(superuser).get(reverse(CHANGELIST))

    assert response.context["cl"].result_count == 1
    assert SECRET_TITLE not in response.content.decode()


def test_r_intel_03_change_and_history_urls_of_a_secret_report_reveal_nothing(reports, internal_staff, secret_manager):
    secret = reports["secret"]
    change_url = reverse("admin:intel_intelreport_change", args=[secret.pk])
    history_url = reverse("admin:intel_intelreport_history", args=[secret.pk])

    hidden = _client(internal_staff).get(change_url)
    hidden_history = _client(internal_staff).get(history_url)
    shown = _client(secret_manager).get(change_url)

    # Django's admin answers a missing object with a redirect to the index, the same as "not cleared".
    assert hidden.status_code in (302, 404)
    assert hidden_history.status_code in (302, 404)
    assert SECRET_TITLE not in _client(internal_staff).get(change_url, follow=True).content.decode()
    assert shown.status_code == 200
    assert SECRET_TITLE in shown.content.decode()


def test_r_intel_03_search_does_not_reveal_a_secret_report(reports, internal_staff, secret_manager):
    url = reverse(CHANGELIST) + "?q=华康诊断"

    internal = _client(internal_staff).get(url)
    secret = _client(secret_manager).get(url)

    assert internal.context["cl"].result_count == 1
    assert SECRET_TITLE not in internal.content.decode()
    assert secret.context["cl"].result_count == 2

    only_secret = _client(internal_staff).get(reverse(CHANGELIST) + "?q=秘密降价")
    assert only_secret.context["cl"].result_count == 0


def test_r_intel_03_the_change_view_of_a_confidential_report_logs_the_read(secret_manager):
    confidential = IntelReportFactory(title="区域经销商返利政策", confidentiality=Level.CONFIDENTIAL)
    internal = IntelReportFactory(title="行业会议通知", confidentiality=Level.INTERNAL)
    client = _client(secret_manager)

    client.get(reverse("admin:intel_intelreport_change", args=[confidential.pk]))
    client.get(reverse("admin:intel_intelreport_change", args=[internal.pk]))

    logged = AccessLog.objects.values_list("object_id", "user_id", "action")
    assert list(logged) == [(str(confidential.pk), secret_manager.pk, AccessLog.Action.VIEW)]


def _change_form_data(report: IntelReport, **changes) -> dict:
    data = {
        "kind": report.kind,
        "title": report.title,
        "body": report.body,
        "source": report.source,
        "reported_on": report.reported_on.isoformat(),
        "confidentiality": report.confidentiality,
        "level_change_reason": "",
        "issuer": "",
        "issuer_kind": "",
        "document_number": "",
        "effective_on": "",
        "impact_assessment": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_r_intel_03_a_level_change_through_admin_is_audited(secret_manager):
    report = IntelReportFactory(title="化学发光试剂招标结果汇总", confidentiality=Level.INTERNAL)
    url = reverse("admin:intel_intelreport_change", args=[report.pk])
    client = _client(secret_manager)

    unchanged = client.post(url, _change_form_data(report, body="补充了两家医院的结果。"))
    assert unchanged.status_code == 302, unchanged.context and unchanged.context["adminform"].form.errors
    assert LevelChange.objects.count() == 0

    changed = client.post(
        url,
        _change_form_data(
            report,
            body="补充了两家医院的结果。",
            confidentiality=Level.CONFIDENTIAL,
            level_change_reason="含未公开底价",
        ),
    )

    assert changed.status_code == 302
    report.refresh_from_db()
    assert report.confidentiality == Level.CONFIDENTIAL
    assert report.body == "补充了两家医院的结果。"
    change = LevelChange.objects.get()
    assert (change.content_type, change.object_id) == (ContentType.objects.get_for_model(IntelReport), str(report.pk))
    assert (change.old_level, change.new_level, change.changed_by) == (
        Level.INTERNAL,
        Level.CONFIDENTIAL,
        secret_manager,
    )
    assert change.reason == "含未公开底价"


def test_r_intel_03_the_level_field_offers_only_levels_up_to_the_editors_clearance():
    editor = UserFactory(is_staff=True, clearance=Level.CONFIDENTIAL, roles=[RoleName.RESEARCH])
    report = IntelReportFactory(confidentiality=Level.INTERNAL)
    url = reverse("admin:intel_intelreport_change", args=[report.pk])
    client = _client(editor)

    form = client.get(url).context["adminform"].form
    refused = client.post(url, _change_form_data(report, confidentiality=Level.SECRET))

    assert [value for value, _label in form.fields["confidentiality"].choices if value != ""] == [
        Level.PUBLIC,
        Level.INTERNAL,
        Level.CONFIDENTIAL,
    ]
    assert refused.status_code == 200
    assert "confidentiality" in refused.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.confidentiality == Level.INTERNAL
    assert LevelChange.objects.count() == 0


def test_delete_is_not_offered_and_archive_is(reports, secret_manager):
    client = _client(secret_manager)
    report = reports["internal"]

    changelist = client.get(reverse(CHANGELIST))
    delete = client.get(reverse("admin:intel_intelreport_delete", args=[report.pk]))
    bulk_delete = client.post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"}
    )
    archive = client.post(reverse(CHANGELIST), {"action": "archive_selected", "_selected_action": [report.pk]})

    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices if name]
    assert actions == ["archive_selected"]
    assert delete.status_code == 403
    assert bulk_delete.status_code in (200, 302)
    assert IntelReport.objects.filter(pk=report.pk).exists()
    assert archive.status_code == 302
    report.refresh_from_db()
    assert report.is_archived


def test_archive_action_does_not_reach_a_report_above_clearance(reports):
    # Staff with change permission and internal clearance: the secret id in the post is ignored.
    editor = UserFactory(is_staff=True, clearance=Level.INTERNAL, roles=[RoleName.RESEARCH])
    secret = reports["secret"]

    _client(editor).post(reverse(CHANGELIST), {"action": "archive_selected", "_selected_action": [secret.pk]})

    secret.refresh_from_db()
    assert not secret.is_archived


def test_level_change_log_hides_entries_above_clearance(reports, internal_staff, secret_manager):
    from django.contrib.auth.models import Permission

    internal_staff.user_permissions.add(Permission.objects.get(codename="view_levelchange"))
    secret_manager.user_permissions.add(Permission.objects.get(codename="view_levelchange"))
    ct = ContentType.objects.get_for_model(IntelReport)
    LevelChange.objects.create(
        content_type=ct, object_id="1", object_repr=SECRET_TITLE, old_level=1, new_level=3, changed_by=secret_manager
    )
    LevelChange.objects.create(
        content_type=ct, object_id="2", object_repr=INTERNAL_TITLE, old_level=0, new_level=1, changed_by=secret_manager
    )
    url = reverse("admin:core_levelchange_changelist")

    internal = _client(internal_staff).get(url)
    secret = _client(secret_manager).get(url)

    assert internal.context["cl"].result_count == 1
    assert SECRET_TITLE not in internal.content.decode()
    assert secret.context["cl"].result_count == 2


def test_access_log_admin_hides_entries_above_clearance(reports, internal_staff, secret_manager):
    from django.contrib.auth.models import Permission

    from apps.core.models import AccessLog

    for user in (internal_staff, secret_manager):
        user.user_permissions.add(Permission.objects.get(codename="view_accesslog", content_type__app_label="core"))
    ct = ContentType.objects.get_for_model(IntelReport)
    AccessLog.objects.create(
        user=secret_manager, content_type=ct, object_id="1", object_repr=SECRET_TITLE, confidentiality=3, action="view"
    )
    AccessLog.objects.create(
        user=secret_manager,
        content_type=ct,
        object_id="2",
        object_repr=INTERNAL_TITLE,
        confidentiality=1,
        action="view",
    )
    url = reverse("admin:core_accesslog_changelist")

    internal = _client(internal_staff).get(url)
    secret = _client(secret_manager).get(url)

    assert internal.context["cl"].result_count == 1
    assert SECRET_TITLE not in internal.content.decode()
    assert secret.context["cl"].result_count == 2


def test_a_report_added_in_the_admin_alerts_followers_once_and_an_edit_does_not(
    secret_manager, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.intel import alerts

    calls = []
    monkeypatch.setattr(alerts, "alerts_item_filed", lambda **kwargs: calls.append(kwargs))
    client = _client(secret_manager)
    template = IntelReportFactory.build(title="迈瑞克生物新品上市", author=secret_manager)
    data = _change_form_data(template)

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(reverse("admin:intel_intelreport_add"), data)
    report = IntelReport.objects.get(title="迈瑞克生物新品上市")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:intel_intelreport_change", args=[report.pk]), {**data, "body": "补充"})

    assert added.status_code == 302
    assert report.author == secret_manager
    assert calls == [{"model": "report", "pk": report.pk}]


# ----- attachments and tags (R-INTEL-03)

ATTACHMENT_CHANGELIST = "admin:intel_intelattachment_changelist"


def _grant(*users, codenames=("view_intelattachment", "change_intelattachment", "view_tag")):
    from django.contrib.auth.models import Permission

    permissions = list(Permission.objects.filter(content_type__app_label="intel", codename__in=codenames))
    for user in users:
        user.user_permissions.add(*permissions)


def _attachment(report, text, level):
    from tests.intel.factories_search import attachment_with_text

    attachment = attachment_with_text(report=report, text=text)
    IntelAttachment.objects.filter(pk=attachment.pk).update(confidentiality=level)
    attachment.refresh_from_db()
    return attachment


def test_r_intel_03_raising_a_report_in_the_admin_raises_its_attachments_audited_and_reindexes(
    secret_manager, internal_staff
):
    from apps.intel.search import report_reindex

    report = IntelReportFactory(title="华南招标", body="正文", confidentiality=Level.INTERNAL)
    low = _attachment(report, "院内议价记录", Level.INTERNAL)
    high = _attachment(report, "绝密投标底价", Level.SECRET)
    report_reindex(report=report)
    report.refresh_from_db()
    assert "院内议价记录" in report.search_text
    assert "绝密投标底价" not in report.search_text

    url = reverse("admin:intel_intelreport_change", args=[report.pk])
    response = _client(secret_manager).post(
        url, _change_form_data(report, confidentiality=Level.SECRET, level_change_reason="含底价")
    )

    assert response.status_code == 302
    low.refresh_from_db()
    high.refresh_from_db()
    report.refresh_from_db()
    assert (report.confidentiality, low.confidentiality, high.confidentiality) == (Level.SECRET,) * 3
    changes = LevelChange.objects.order_by("id")
    assert [(c.content_type.model_class(), c.object_id, c.new_level, c.reason) for c in changes] == [
        (IntelReport, str(report.pk), Level.SECRET, "含底价"),
        (IntelAttachment, str(low.pk), Level.SECRET, "含底价"),
    ]
    assert "绝密投标底价" in report.search_text  # now at the report's level
    _grant(internal_staff)
    internal = _client(internal_staff).get(reverse(ATTACHMENT_CHANGELIST))
    assert internal.context["cl"].result_count == 0


def test_r_intel_03_attachment_admin_hides_attachments_of_a_report_above_clearance(internal_staff, secret_manager):
    report = IntelReportFactory(title=SECRET_TITLE, confidentiality=Level.SECRET)
    # An older, wrongly low attachment of a secret report: its report's level hides it too.
    _attachment(report, "附件正文", Level.INTERNAL)
    _grant(internal_staff, secret_manager)

    internal = _client(internal_staff).get(reverse(ATTACHMENT_CHANGELIST))
    secret = _client(secret_manager).get(reverse(ATTACHMENT_CHANGELIST))

    assert internal.status_code == secret.status_code == 200
    assert internal.context["cl"].result_count == 0
    assert secret.context["cl"].result_count == 1
    assert SECRET_TITLE not in internal.content.decode()


def _attachment_form_data(attachment, **changes):
    data = {"confidentiality": attachment.confidentiality, "level_change_reason": "", "is_archived": ""}
    data.update(changes)
    return data


def test_r_intel_03_attachment_level_below_its_report_is_refused_and_a_raise_reindexes(secret_manager):
    report = IntelReportFactory(title="华北渠道", confidentiality=Level.CONFIDENTIAL)
    attachment = _attachment(report, "经销商返利比例", Level.CONFIDENTIAL)
    from apps.intel.search import report_reindex

    report_reindex(report=report)
    url = reverse("admin:intel_intelattachment_change", args=[attachment.pk])
    _grant(secret_manager)
    client = _client(secret_manager)

    refused = client.post(
        url, _attachment_form_data(attachment, confidentiality=Level.INTERNAL, level_change_reason="r")
    )
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors["confidentiality"]] == ["attachment_level_below_report"]
    attachment.refresh_from_db()
    assert attachment.confidentiality == Level.CONFIDENTIAL
    assert LevelChange.objects.count() == 0

    raised = client.post(url, _attachment_form_data(attachment, confidentiality=Level.SECRET, level_change_reason="r"))
    assert raised.status_code == 302
    attachment.refresh_from_db()
    report.refresh_from_db()
    assert attachment.confidentiality == Level.SECRET
    assert "经销商返利比例" not in report.search_text  # more secret than its report: not indexed with it


def test_r_intel_03_archiving_attachments_in_the_admin_takes_their_text_out_of_search(secret_manager):
    from apps.intel.search import report_reindex

    report = IntelReportFactory(title="华中动态", confidentiality=Level.INTERNAL)
    attachment = _attachment(report, "渠道压货明细", Level.INTERNAL)
    report_reindex(report=report)
    report.refresh_from_db()
    assert "渠道压货明细" in report.search_text
    _grant(secret_manager)

    response = _client(secret_manager).post(
        reverse(ATTACHMENT_CHANGELIST), {"action": "archive_selected", "_selected_action": [attachment.pk]}
    )

    assert response.status_code == 302
    attachment.refresh_from_db()
    report.refresh_from_db()
    assert attachment.is_archived
    assert "渠道压货明细" not in report.search_text


@pytest.fixture
def secret_tag():
    tag = Tag.objects.create(name="秘密并购")
    report = IntelReportFactory(title=SECRET_TITLE, confidentiality=Level.SECRET)
    report.tags.add(tag)
    return tag


@pytest.fixture
def internal_tag():
    tag = Tag.objects.create(name="新品发布")
    report = IntelReportFactory(title=INTERNAL_TITLE, confidentiality=Level.INTERNAL)
    report.tags.add(tag)
    return tag


def test_r_intel_03_tag_admin_and_report_tag_filter_hide_a_tag_used_only_on_secret_reports(
    secret_tag, internal_tag, internal_staff, secret_manager
):
    tags_url = reverse("admin:intel_tag_changelist")
    _grant(internal_staff, secret_manager)
    internal_tags = _client(internal_staff).get(tags_url)
    secret_tags = _client(secret_manager).get(tags_url)
    assert internal_tags.status_code == secret_tags.status_code == 200
    assert set(internal_tags.context["cl"].result_list) == {internal_tag}
    assert set(secret_tags.context["cl"].result_list) == {internal_tag, secret_tag}

    internal_list = _client(internal_staff).get(reverse(CHANGELIST)).content.decode()
    secret_list = _client(secret_manager).get(reverse(CHANGELIST)).content.decode()
    assert secret_tag.name not in internal_list
    assert internal_tag.name in internal_list
    assert secret_tag.name in secret_list


def test_r_intel_03_report_admin_tag_field_offers_only_tags_within_clearance(secret_tag, internal_tag):
    editor = UserFactory(is_staff=True, clearance=Level.INTERNAL, roles=[RoleName.RESEARCH, RoleName.STAFF])
    manager = UserFactory(is_staff=True, clearance=Level.SECRET, roles=[RoleName.DEPARTMENT_MANAGER, RoleName.STAFF])
    add_url = reverse("admin:intel_intelreport_add")

    internal_form = _client(editor).get(add_url).context["adminform"].form
    secret_form = _client(manager).get(add_url).context["adminform"].form

    assert set(internal_form.fields["tags"].queryset) == {internal_tag}
    assert set(secret_form.fields["tags"].queryset) == {internal_tag, secret_tag}


def test_r_intel_03_report_filter_and_follow_form_offer_a_secret_only_tag_to_cleared_users_only(
    secret_tag, internal_tag
):
    from apps.intel.filters.reports import IntelReportFilter
    from apps.intel.forms.follows import FollowForm, follow_forms
    from apps.intel.models import Follow

    internal_user = UserFactory(clearance=Level.INTERNAL)
    secret_user = UserFactory(clearance=Level.SECRET)
    archived = IntelReportFactory(confidentiality=Level.INTERNAL, is_archived=True)
    archived.tags.add(secret_tag)  # an archived report does not make a tag offered

    def offered_by_filter(user):
        return set(IntelReportFilter(None, queryset=IntelReport.objects.all(), user=user).form.fields["tag"].queryset)

    def offered_by_follow(user):
        form = next(f for f in follow_forms(user=user) if f.target == Follow.Target.TAG)
        return set(form.fields["item"].queryset)

    assert offered_by_filter(internal_user) == offered_by_follow(internal_user) == {internal_tag}
    assert offered_by_filter(secret_user) == offered_by_follow(secret_user) == {internal_tag, secret_tag}
    posted = FollowForm({"tag-item": secret_tag.pk}, target=Follow.Target.TAG, user=internal_user)
    assert not posted.is_valid()
    assert FollowForm({"tag-item": secret_tag.pk}, target=Follow.Target.TAG, user=secret_user).is_valid()
