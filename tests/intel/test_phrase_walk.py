"""R-INTEL-05: a phrase with more matches than RANK_LIMIT walks the date index, with the same answers.

A term of three or more Chinese characters is a phrase of bigrams (``<->``); its matches are found
by the GIN index and checked on each candidate's positions. Above RANK_LIMIT matches the page
query writes the match as ``ts_match_vq()``, which no index serves, so PostgreSQL walks the date
index newest first and checks rows only until a page is full (apps/intel/search.py,
docs/benchmarks.md "Phrase search (this session)"). The count still uses the GIN index.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.intel import search
from apps.intel.models import IntelReport
from apps.intel.search import query_parse, report_count, report_match, report_order, report_search
from tests.intel.factories_search import SearchReportFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")


def _found(query):
    return [r.pk for r in report_search(queryset=IntelReport.objects.all(), query=query)]


@pytest.fixture
def walk_every_match(monkeypatch):
    """Every search with a match takes the "more than RANK_LIMIT" path."""
    monkeypatch.setattr(search, "RANK_LIMIT", 0)
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))  # no pg_stats read
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", frozenset())


@postgresql_only
def test_r_intel_05_phrase_page_walks_the_date_index_and_count_uses_gin(walk_every_match):
    old = SearchReportFactory(title="甲", body="新品上市预计明年", reported_on=datetime.date(2026, 10, 1))
    new = SearchReportFactory(title="乙", body="上市预计推迟", reported_on=datetime.date(2026, 11, 1))
    SearchReportFactory(title="丙", body="上市，预计推迟", reported_on=datetime.date(2026, 11, 5))  # a gap
    parsed = query_parse("上市预计")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    with CaptureQueriesContext(connection) as ctx:
        count = report_count(queryset=matched)
        page = list(report_order(queryset=matched, parsed=parsed, count=count)[:20])
    assert count == 2
    assert page == [new, old]
    count_sql, page_sql = (q["sql"] for q in ctx.captured_queries)
    assert "@@" in count_sql and "ts_match_vq" not in count_sql  # the count is served by the GIN index
    assert "ts_match_vq" in page_sql and "@@" not in page_sql  # the page walks the date index


@postgresql_only
def test_r_intel_05_single_lexeme_and_ranked_queries_keep_their_plans(walk_every_match, monkeypatch):
    SearchReportFactory(title="甲", body="集采降价")
    for query in ["集采", "集采 降价", "hba"]:  # no phrase: GIN bitmap or the planner's date walk
        parsed = query_parse(query)
        matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
        assert "ts_match_vq" not in str(report_order(queryset=matched, parsed=parsed, count=1).query)
    monkeypatch.setattr(search, "RANK_LIMIT", 200)
    parsed = query_parse("集采降价")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    ranked = str(report_order(queryset=matched, parsed=parsed, count=1).query)
    assert "ts_rank" in ranked and "ts_match_vq" not in ranked  # at most RANK_LIMIT: ranked from GIN


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("上市", ["inside", "gap", "latin"]),  # 2 characters
        ("上市预", ["inside", "latin"]),  # 3
        ("上市预计", ["inside", "latin"]),  # 4
        ("品上市预计明", ["inside"]),  # 5 and more
        ("新品上市预计明年", ["inside"]),
        ("上市预计 clia", ["latin"]),  # mixed Latin
        ("市预计明 ＣＬＩＡ", []),
        ("市预", ["inside", "latin"]),
    ],
)
def test_r_intel_05_every_substring_found_and_nothing_across_a_gap_on_the_walk(walk_every_match, query, expected):
    reports = {
        "inside": SearchReportFactory(title="甲", body="新品上市预计明年", reported_on=datetime.date(2026, 11, 3)),
        "gap": SearchReportFactory(title="乙", body="新品上市，预计明年", reported_on=datetime.date(2026, 11, 2)),
        "latin": SearchReportFactory(title="丙", body="CLIA 平台上市预计", reported_on=datetime.date(2026, 11, 1)),
    }
    assert _found(query) == [reports[name].pk for name in expected]


def test_r_intel_05_walk_answers_match_the_ranked_answers(monkeypatch):
    """The same matches, whichever plan orders them: only the order differs (ranked or newest first)."""
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", frozenset())
    bodies = ["市场营销加强", "市场，营销", "营销市场", "国内市场营销投入", "场营销"]
    for n, body in enumerate(bodies):
        SearchReportFactory(title=f"报告{n}", body=body, reported_on=datetime.date(2026, 11, 1 + n))
    ranked = set(_found("市场营销"))
    monkeypatch.setattr(search, "RANK_LIMIT", 0)
    walked = _found("市场营销")
    assert set(walked) == ranked
    assert len(walked) == 2
    assert walked == sorted(walked, key=lambda pk: IntelReport.objects.get(pk=pk).reported_on, reverse=True)


def test_r_intel_05_title_still_ranks_above_body_for_a_phrase():
    body_only = SearchReportFactory(title="周报", body="本周上市预计：上市预计。", reported_on="2026-11-25")
    in_title = SearchReportFactory(title="新品上市预计", body="详见附件。", reported_on="2026-11-01")
    results = list(report_search(queryset=IntelReport.objects.all(), query="上市预计"))
    if connection.vendor == "postgresql":
        assert results == [in_title, body_only]
    else:
        assert results == [body_only, in_title]  # SQLite: newest first


def test_sqlite_fallback_never_writes_the_unindexed_match(walk_every_match, monkeypatch):
    both = SearchReportFactory(title="甲", body="新品上市预计明年")
    SearchReportFactory(title="乙", body="新品上市，预计明年")
    monkeypatch.setattr(search, "is_postgresql", lambda: False)
    parsed = query_parse("上市预计")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    ordered = report_order(queryset=matched, parsed=parsed, count=5)
    sql = str(ordered.query)
    assert "ts_match_vq" not in sql and "@@" not in sql
    assert list(ordered) == [both]


@postgresql_only
def test_r_intel_05_phrase_walk_query_count_is_flat(walk_every_match, django_assert_num_queries):
    def run():
        return list(report_search(queryset=IntelReport.objects.all(), query="上市预计")[:20])

    SearchReportFactory.create_batch(2, body="上市预计")
    with django_assert_num_queries(3):  # long documents, capped count, page
        assert len(run()) == 2
    SearchReportFactory.create_batch(28, body="上市预计")
    with django_assert_num_queries(3):
        assert len(run()) == 20


@postgresql_only
def test_common_lexemes_read_from_pg_stats_even_soon_after_boot(monkeypatch):
    """time.monotonic() can be below the refresh interval after a boot: the first call still reads pg_stats."""
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", None)
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", frozenset({"stale"}))
    monkeypatch.setattr(search.time, "monotonic", lambda: 5.0)
    with CaptureQueriesContext(connection) as ctx:
        lexemes = search._common_lexemes()
    assert len(ctx.captured_queries) == 1
    assert "pg_stats" in ctx.captured_queries[0]["sql"]
    assert "stale" not in lexemes
    assert search._COMMON_LEXEMES["at"] == 5.0
    with CaptureQueriesContext(connection) as ctx:
        search._common_lexemes()  # within the interval: cached
    assert ctx.captured_queries == []
