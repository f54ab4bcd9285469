"""Issue 8: what every page in the navigation no longer does on each request.

With warm caches no page writes the session, reads the permissions, counts the unread
notifications or reads the approver roles: those come from the session refresh interval and the
per-user caches (apps/core/middleware_session.py, permission_cache.py, badges.py). The bench
(bench/pages.py) measures the pages; the growth guards are in tests/test_query_growth.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.pages import PAGES
from tests.clock import WORKING_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

NOT_ON_A_WARM_PAGE = {
    "a session write": lambda sql: "django_session" in sql and not sql.startswith("SELECT"),
    "a permission read": lambda sql: "auth_permission" in sql,
    "an unread count": lambda sql: "COUNT" in sql.upper() and '"read_at" IS NULL' in sql,
    "the approver roles": lambda sql: (
        "leave_actingapprover" in sql and "EXISTS" in sql.upper() and "accounts_user" in sql
    ),
}


@pytest.mark.parametrize(("label", "url_name", "query"), PAGES, ids=[p[0] for p in PAGES])
def test_a_warm_navigation_page_reads_no_session_permission_or_badge(client_for, manager, label, url_name, query):
    client = client_for(manager)
    url = reverse(url_name) + (f"?{query}" if query else "")
    client.get(url)

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)

    assert response.status_code == 200
    found = {
        what: [q["sql"][:120] for q in ctx.captured_queries if matches(q["sql"])]
        for what, matches in NOT_ON_A_WARM_PAGE.items()
    }
    assert {what: sqls for what, sqls in found.items() if sqls} == {}
