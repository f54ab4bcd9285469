"""R-INTEL-05: a phrase with more matches than RANK_LIMIT walks the date index, with the same answers.

A term of three or four Chinese characters is one n-gram of ``search_ngrams`` (exact in the GIN
index); a longer one is the AND of its 4-grams, checked as a substring of the normalised
``search_text``; never on the vector's positions. Above RANK_LIMIT matches, when its lexemes are
all common, the page query writes the match on ``search_text`` alone, which no index serves, so
PostgreSQL walks the date index newest first and checks rows only until a page is full
(apps/intel/search.py, docs/benchmarks.md "N-grams in the index"). The count still uses the GIN index.
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


class _EveryLexemeCommon(dict):
    """pg_stats as if every lexeme were in every report."""

    def get(self, key, default=None):
        return 1.0


def _shares(monkeypatch, shares):
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))  # no pg_stats read
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", shares)


@pytest.fixture
def walk_every_match(monkeypatch):
    """Every search with a match takes the "more than RANK_LIMIT" path, its lexemes too common to sort."""
    monkeypatch.setattr(search, "RANK_LIMIT", 0)
    _shares(monkeypatch, _EveryLexemeCommon())


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
    # The count is served by the GIN index: one exact 4-gram, no phrase, nothing checked on the row.
    assert """"search_ngrams" @@ '''上市预计'''""" in count_sql
    assert "<->" not in count_sql and "LIKE" not in count_sql and "search_vector" not in count_sql
    # The page walks the date index, checking the text only: no vector is read.
    assert "@@" not in page_sql and "ts_match_vq" not in page_sql
    assert """strpos("intel_intelreport"."search_text", '上市预计') > 0""" in page_sql


@postgresql_only
def test_r_intel_05_a_long_term_is_its_4_grams_in_the_index_then_the_text():
    SearchReportFactory(title="甲", body="提高检测速度")
    SearchReportFactory(title="乙", body="我们的检测速，检测速度快")  # every 4-gram, not in a row
    found = SearchReportFactory(title="丙", body="仪器的检测速度提高")
    parsed = query_parse("的检测速度")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    with CaptureQueriesContext(connection) as ctx:
        assert list(matched) == [found]
    sql = ctx.captured_queries[-1]["sql"]
    assert """"search_ngrams" @@ '''的检测速'' & ''检测速度'''""" in sql
    assert "LIKE '%的检测速度%'" in sql


@postgresql_only
def test_r_intel_05_single_lexeme_and_ranked_queries_keep_their_plans(walk_every_match, monkeypatch):
    SearchReportFactory(title="甲", body="集采降价")
    for query in ["集采", "集采 降价", "hba"]:  # no phrase: GIN bitmap or the planner's date walk
        parsed = query_parse(query)
        matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
        sql = str(report_order(queryset=matched, parsed=parsed, count=1).query)
        assert "@@" in sql and "LIKE" not in sql
    monkeypatch.setattr(search, "RANK_LIMIT", 200)
    parsed = query_parse("集采降价")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    ranked = str(report_order(queryset=matched, parsed=parsed, count=1).query)
    assert "ts_rank" in ranked and "ts_match_vq" not in ranked  # at most RANK_LIMIT: ranked from GIN
    selected, where = ranked.split(" WHERE ", 1)
    assert "<->" in selected and "<->" not in where  # the phrase ranks; the match reads no positions


@postgresql_only
def test_r_intel_05_walk_checks_latin_prefixes_on_the_vector_after_the_text(walk_every_match):
    found = SearchReportFactory(title="甲", body="CLIA 平台上市预计", reported_on=datetime.date(2026, 11, 1))
    SearchReportFactory(title="乙", body="ECLIA 平台上市预计", reported_on=datetime.date(2026, 11, 2))  # not a prefix
    parsed = query_parse("上市预计 clia")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    ordered = report_order(queryset=matched, parsed=parsed, count=2)
    sql = str(ordered.query)
    assert "@@" not in sql
    assert sql.index("strpos") < sql.index("ts_match_vq")  # the text first; the vector only when it holds
    assert list(ordered) == [found]


def test_query_parse_writes_exact_lexemes_and_the_runs_to_check():
    parsed = query_parse("市场营销 场营 ＣＬＩＡ 市场的检测速度 集采")
    assert parsed.tsquery == (
        "('市场' <-> '场营' <-> '营销') & ('场营') & ('clia':*) "
        "& ('市场' <-> '场的' <-> '的检' <-> '检测' <-> '测速' <-> '速度') & ('集采')"
    )
    assert parsed.vector_tsquery == "'集采' & 'clia':*"  # 场营 lies inside 市场营销
    assert parsed.ngram_tsquery == "'市场营销' & '市场的检' & '场的检测' & '的检测速' & '检测速度'"
    assert parsed.checked_runs == ("市场的检测速度",)  # only a run longer than 4 is checked on the text
    assert parsed.han_runs == ("市场营销", "市场的检测速度", "集采")
    assert parsed.latin_tsquery == "'clia':*"
    assert parsed.has_phrase
    assert query_parse("上市预").ngram_tsquery == "'上市预'"
    assert query_parse("上市预").checked_runs == ()
    assert not query_parse("集采 降价").has_phrase
    assert query_parse("集采 降价").vector_tsquery == "'集采' & '降价'"


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
    _shares(monkeypatch, _EveryLexemeCommon())
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
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", {"stale": 0.5})
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


@postgresql_only
def test_lexeme_shares_come_from_pg_stats_of_both_vectors(monkeypatch):
    """After ANALYZE, a bigram's share is read from search_vector's and an n-gram's from search_ngrams'."""
    for n in range(30):
        body = "集采结果" + ("化学发光" if n < 20 else "免疫分析")
        SearchReportFactory(title=f"报告{n}", body=body)
    table = IntelReport._meta.db_table
    with connection.cursor() as cursor:
        for column in ("search_vector", "search_ngrams"):
            cursor.execute(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
                [table, column],
            )
            assert cursor.fetchone()[0] == 1000  # migration 0008
        cursor.execute(f'ANALYZE "{table}"')  # noqa: S608 - the model's own table name
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", None)
    shares = search._common_lexemes()
    assert shares["集采"] == pytest.approx(1.0)
    assert shares["化学发光"] == pytest.approx(20 / 30, abs=0.01)
    assert "免疫分析" in shares
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))
    assert not search._bitmap_order_is_cheaper(query_parse("集采"))  # in every report: walk the date index
    assert search._bitmap_order_is_cheaper(query_parse("新出"))  # not listed: rarer than any listed
    monkeypatch.setattr(search, "BITMAP_ORDER_SHARE_CHECKED", 0.5)
    assert not search._bitmap_order_is_cheaper(query_parse("化学发光"))  # 67 % > 3 %
    assert not search._bitmap_order_is_cheaper(query_parse("结果化学发光"))  # rarest 4-gram 67 % > 50 %
    monkeypatch.setattr(search, "BITMAP_ORDER_SHARE_CHECKED", 0.7)
    assert search._bitmap_order_is_cheaper(query_parse("结果化学发光"))  # 67 % < 70 %


@postgresql_only
@pytest.mark.parametrize(("shares", "plan"), [(_EveryLexemeCommon(), "walk"), ({}, "sort")])
def test_r_intel_05_rare_long_terms_sort_the_index_rows_then_check_the_text(monkeypatch, shares, plan):
    """Above RANK_LIMIT, a long term with a rare 4-gram sorts the GIN rows by date, then checks their text."""
    monkeypatch.setattr(search, "RANK_LIMIT", 0)
    _shares(monkeypatch, shares)
    old = SearchReportFactory(title="甲", body="仪器的检测速度提高", reported_on=datetime.date(2026, 10, 1))
    SearchReportFactory(title="乙", body="我们的检测速，检测速度快", reported_on=datetime.date(2026, 10, 15))
    new = SearchReportFactory(title="丙", body="的检测速度", reported_on=datetime.date(2026, 11, 1))
    newer = SearchReportFactory(title="丁", body="的检测速度", reported_on=datetime.date(2026, 11, 2))
    parsed = query_parse("的检测速度")
    matched = report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    ordered = report_order(queryset=matched, parsed=parsed, count=3)
    with CaptureQueriesContext(connection) as ctx:
        page = list(ordered[1:3])
    assert page == [new, old]  # the second and third of three, newest first
    sqls = [q["sql"] for q in ctx.captured_queries]
    if plan == "sort":
        candidates_sql, page_sql = sqls
        inner, outer = candidates_sql.rsplit(" OFFSET 0) AS c ", 1)
        # The index's candidates are sorted without their text; the text is checked outside the fence.
        assert "search_ngrams" in inner and "LIKE" not in inner
        assert '("intel_intelreport"."reported_on" + 0) DESC' in inner
        assert "c.search_text LIKE '%的检测速度%'" in outer and "LIMIT 2 OFFSET 1" in outer
        assert "@@" not in page_sql and "LIKE" not in page_sql  # the page is read by id
        assert list(ordered) == [newer, new, old]
    else:
        (page_sql,) = sqls
        assert "strpos" in page_sql and "@@" not in page_sql
