"""A person's permissions are read from the cache between requests and never outlive a change (issue 8)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.core import cache_keys
from apps.core.permission_cache import _prefill
from apps.core.roles import RoleName
from tests.clock import WORKING_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

STATUS = reverse("conduct:status")  # needs conduct.view_acknowledgement_status
PAGE = reverse("accounts:profile")


def _permission():
    return Permission.objects.get(content_type__app_label="conduct", codename="view_acknowledgement_status")


def _permission_queries(client, url=PAGE):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries if "auth_permission" in q["sql"]]


def test_the_second_page_reads_no_permission(client_for, staff):
    client = client_for(staff)
    _response, first = _permission_queries(client)
    assert len(first) == 2  # own and through groups, as ModelBackend reads them

    response, second = _permission_queries(client)
    assert response.status_code == 200
    assert second == []


def test_a_permission_given_to_a_person_counts_at_once(client_for, staff):
    client = client_for(staff)
    assert client.get(STATUS).status_code == 403

    staff.user_permissions.add(_permission())

    assert client.get(STATUS).status_code == 200


def test_a_permission_taken_from_a_role_is_gone_at_once(client_for, manager):
    client = client_for(manager)
    assert client.get(STATUS).status_code == 200
    group = Group.objects.get(name=RoleName.DEPARTMENT_MANAGER)

    group.permissions.remove(_permission())

    assert client.get(STATUS).status_code == 403


def test_leaving_a_role_is_seen_at_once(client_for, manager):
    client = client_for(manager)
    assert client.get(STATUS).status_code == 200

    manager.groups.remove(Group.objects.get(name=RoleName.DEPARTMENT_MANAGER))

    assert client.get(STATUS).status_code == 403


def test_a_role_emptied_from_its_side_is_seen_at_once(client_for, manager):
    client = client_for(manager)
    assert client.get(STATUS).status_code == 200

    Group.objects.get(name=RoleName.DEPARTMENT_MANAGER).user_set.clear()

    assert client.get(STATUS).status_code == 403


def test_becoming_a_superuser_is_seen_at_once(client_for, staff):
    client = client_for(staff)
    assert client.get(STATUS).status_code == 403

    staff.is_superuser = True
    staff.save()

    assert client.get(STATUS).status_code == 200


def test_a_deactivated_person_has_no_permission_whatever_is_cached(client_for, manager):
    client_for(manager).get(STATUS)  # caches the manager's permissions
    user = User.objects.get(pk=manager.pk)
    User.objects.filter(pk=manager.pk).update(is_active=False)  # no signal: the cache is not told
    user.is_active = False
    assert _prefill(user) is None  # the cached sets were handed over …
    assert not user.has_perm("conduct.view_acknowledgement_status")  # … and still nothing is allowed


def test_migrate_marks_everyones_permissions(client_for, staff):
    client = client_for(staff)
    _permission_queries(client)
    versions = cache_keys.permissions_version_keys(staff.pk)
    before = cache.get(versions[0])
    call_command("migrate", verbosity=0)
    assert cache.get(versions[0]) != before
