"""R-INTEL-03: a log entry names its item, so an item raised above a reader's clearance takes its
old access-log and level-change entries out of that reader's view (pages and admin alike)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from apps.core.models import AccessLog, LevelChange
from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.intel.models import IntelReport
from apps.intel.selectors.reports import access_log_list, level_change_list
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TITLE = "华康诊断拟收购新源医疗"


def _entries(user):
    ct = ContentType.objects.get_for_model(IntelReport)
    AccessLog.objects.create(
        user=user, content_type=ct, object_id="7", object_repr=TITLE, confidentiality=Level.CONFIDENTIAL, action="view"
    )
    LevelChange.objects.create(
        content_type=ct,
        object_id="7",
        object_repr=TITLE,
        old_level=Level.INTERNAL,
        new_level=Level.CONFIDENTIAL,
        changed_by=user,
    )
    return ct


def _raise_to_secret(ct, user):
    LevelChange.objects.create(
        content_type=ct,
        object_id="7",
        object_repr=TITLE,
        old_level=Level.CONFIDENTIAL,
        new_level=Level.SECRET,
        changed_by=user,
    )


def test_entries_of_an_item_later_raised_above_clearance_are_hidden():
    reader = UserFactory(clearance=Level.CONFIDENTIAL, roles=[RoleName.DEPARTMENT_MANAGER])
    secret = UserFactory(clearance=Level.SECRET, roles=[RoleName.DEPARTMENT_MANAGER])
    ct = _entries(secret)

    assert access_log_list(user=reader).count() == 1
    assert level_change_list(user=reader).count() == 1

    _raise_to_secret(ct, secret)

    assert access_log_list(user=reader).count() == 0
    assert level_change_list(user=reader).count() == 0
    assert access_log_list(user=secret).count() == 1
    assert level_change_list(user=secret).count() == 2


def test_admin_logs_hide_entries_of_an_item_later_raised_above_clearance():
    reader = UserFactory(is_staff=True, clearance=Level.CONFIDENTIAL)
    secret = UserFactory(clearance=Level.SECRET)
    for codename in ("view_accesslog", "view_levelchange"):
        reader.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="core"))
    ct = _entries(secret)
    _raise_to_secret(ct, secret)
    client = Client()
    client.force_login(reader)

    for name in ("admin:core_accesslog_changelist", "admin:core_levelchange_changelist"):
        response = client.get(reverse(name))
        assert response.context["cl"].result_count == 0, name
        assert TITLE not in response.content.decode()
