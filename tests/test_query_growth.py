"""Growth guards: a list page runs as many queries for 30 rows as for 2."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications.services import notification_send
from tests.factories import AssignedTaskFactory, ProductFactory, UserFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _make_tasks(manager, n):
    for _ in range(n):
        AssignedTaskFactory(owner=UserFactory(), assigned_by=manager)


def _make_products(manager, n):
    ProductFactory.create_batch(n)


def _make_notifications(manager, n):
    for i in range(n):
        notification_send(recipient=manager, title=f"n{i}", email=False)


def _make_people(manager, n):
    UserFactory.create_batch(n, department=manager.department)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("org:task_list", _make_tasks),
        ("org:product_list", _make_products),
        ("notifications:list", _make_notifications),
        ("conduct:status", _make_people),
        ("org:department", _make_people),
        ("org:dashboard", _make_products),
    ],
)
def test_list_page_query_count_does_not_grow_with_rows(client_for, manager, url_name, make):
    client = client_for(manager)
    url = reverse(url_name)
    make(manager, 2)
    client.get(url)  # warm caches (content types, permissions)
    with_two = _queries(client, url)

    make(manager, 28)
    with_thirty = _queries(client, url)

    assert with_two == with_thirty


@pytest.mark.django_db
def test_dashboard_exact_query_count(client_for, manager, django_assert_num_queries):
    client = client_for(manager)
    client.get(reverse("org:dashboard"))

    with django_assert_num_queries(16):
        client.get(reverse("org:dashboard"))
