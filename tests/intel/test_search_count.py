"""R-INTEL-05: the capped count of a middling term is read from the GIN bitmap, and the planner
settings it needs end with it (apps/intel/search.py, ``report_count``)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import ConfidentialityLevel
from apps.intel import search
from apps.intel.models import IntelReport
from apps.intel.search import query_parse, report_count, report_match
from tests.intel.factories_search import SearchReportFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings are PostgreSQL's")


@pytest.fixture
def shares(monkeypatch):
    values = {"集采": 0.7, "化学发光": 0.6, "上市预计": 0.057, "罗氏": 0.4, "降价": 0.5}
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))  # no pg_stats read
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", values)
    return values


def test_count_from_bitmap_for_a_middling_share_only(shares):
    assert search._count_from_bitmap(query_parse("上市预计"))  # 5.7 %: the scan would read 3,500 vectors
    assert search._count_from_bitmap(query_parse("罗氏 降价"))  # 0.4 × 0.5 = 20 % estimated
    assert not search._count_from_bitmap(query_parse("集采"))  # 70 %: the scan stops early
    assert not search._count_from_bitmap(query_parse("化学发光"))
    assert not search._count_from_bitmap(query_parse("新出"))  # not listed: PostgreSQL reads the bitmap itself
    assert not search._count_from_bitmap(query_parse("上市预计 新出"))
    assert not search._count_from_bitmap(query_parse("上市预计 hba"))  # a prefix: left to PostgreSQL


def _settings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        return cursor.fetchone()


def _count_and_queries(query):
    parsed = query_parse(query)
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    with CaptureQueriesContext(connection) as ctx:
        count = report_count(queryset=matched, parsed=parsed)
    return count, [q["sql"] for q in ctx.captured_queries]


@postgresql_only
@pytest.mark.django_db
def test_r_intel_05_middling_count_switches_scans_off_for_that_query_only(shares):
    SearchReportFactory.create_batch(3, body="新品上市预计明年")
    SearchReportFactory(body="上市，预计")
    assert _settings() == ("on", "on")
    count, sqls = _count_and_queries("上市预计")
    assert count == 3
    switched = [n for n, sql in enumerate(sqls) if "set_config('enable_seqscan', 'off', true)" in sql]
    counted = [n for n, sql in enumerate(sqls) if sql.startswith("SELECT COUNT(*)")]
    assert switched and counted and switched[0] < counted[0]
    assert any(sql.startswith("ROLLBACK TO SAVEPOINT") for sql in sqls[counted[0] :])  # in the test's transaction
    assert _settings() == ("on", "on")  # the rest of the request plans as usual
    count, sqls = _count_and_queries("集采")  # frequent: counted as before, nothing switched
    assert not any("set_config" in sql for sql in sqls)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_r_intel_05_middling_count_in_autocommit_ends_its_own_transaction(shares):
    """Outside any transaction (as a request runs) the count opens one and rolls it back."""
    SearchReportFactory.create_batch(2, body="新品上市预计明年")
    assert connection.get_autocommit()
    count, sqls = _count_and_queries("上市预计")
    assert count == 2
    assert any("set_config" in sql for sql in sqls)
    assert connection.get_autocommit() and not connection.in_atomic_block
    assert _settings() == ("on", "on")
    with transaction.atomic():
        SearchReportFactory(body="上市预计")  # a write before the count in the same transaction
        assert _count_and_queries("上市预计")[0] == 3
    assert IntelReport.objects.filter(body="上市预计").exists()  # the count's rollback undid nothing else


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_r_intel_05_search_page_counts_a_middling_term_from_the_bitmap_within_clearance(shares, client_for, staff):
    """Through the page, as a request runs (autocommit): the count is right, within clearance."""
    SearchReportFactory.create_batch(3, body="新品上市预计明年", confidentiality=ConfidentialityLevel.INTERNAL)
    SearchReportFactory(body="上市预计", confidentiality=ConfidentialityLevel.SECRET)
    with CaptureQueriesContext(connection) as ctx:
        response = client_for(staff).get(reverse("intel:search"), {"q": "上市预计"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3  # the secret report is not counted
    assert any("set_config('enable_seqscan', 'off', true)" in q["sql"] for q in ctx.captured_queries)
    assert _settings() == ("on", "on")
