"""R-INTEL-05: every Chinese substring of two or more characters is found, and nothing else."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.intel import search
from apps.intel.models import IntelReport
from apps.intel.search import query_parse, report_search, reports_reindex
from tests.intel.factories_search import SearchReportFactory, attachment_with_text

pytestmark = pytest.mark.django_db

ALPHABET = "市场营销集采降价医院"  # few characters: many repeated bigrams, many near misses


def _found(query, queryset=None):
    return set(report_search(queryset=queryset or IntelReport.objects.all(), query=query).values_list("pk", flat=True))


def _generated_text(rng, length=160):
    out = []
    while len(out) < length:
        out.extend(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12)))
        out.append(rng.choice(["，", "。", " ", "ab", "、"]))  # gaps between Han runs
    return "".join(out)


def _han_runs(text):
    return [run for run in search._RUN_RE.findall(text) if run[0] >= "\u3400"]


def test_r_intel_05_every_2_and_4_character_substring_is_found_and_nothing_else():
    rng = random.Random(5)
    text = _generated_text(rng)
    report = SearchReportFactory(title="报告", body=text)
    SearchReportFactory(title="另一份", body="毫不相干的内容")
    runs = _han_runs(text)
    present = {run[i : i + n] for run in runs for n in (2, 3, 4) for i in range(len(run) - n + 1)}
    assert len(present) > 40
    for term in sorted(present):
        assert _found(term) == {report.pk}, term
    # Every two-character string of the alphabet and a sample of four-character ones: found
    # exactly when it is a substring of one Han run (the gaps break adjacency).
    candidates = {a + b for a in ALPHABET for b in ALPHABET}
    candidates |= {"".join(rng.choice(ALPHABET) for _ in range(4)) for _ in range(150)}
    misses = 0
    for term in sorted(candidates):
        expected = {report.pk} if any(term in run for run in runs) else set()
        misses += not expected
        assert _found(term) == expected, term
    assert misses > 20  # the sample holds strings that must not be found


def test_r_intel_05_substring_inside_a_run_found_but_not_across_a_gap():
    inside = SearchReportFactory(title="甲", body="这家超市场地很大")
    across = SearchReportFactory(title="乙", body="这家超市，场地很大")
    assert _found("市场") == {inside.pk}
    assert _found("超市") == {inside.pk, across.pk}
    assert _found("超市场地") == {inside.pk}


def test_r_intel_05_four_characters_need_adjacent_bigrams():
    together = SearchReportFactory(title="甲", body="加强市场营销投入")
    apart = SearchReportFactory(title="乙", body="市场 营销 场营")  # every bigram, never in a row
    assert _found("市场营销") == {together.pk}
    assert apart.pk in _found("营销")


def test_r_intel_05_latin_words_and_numbers_case_and_width_insensitive():
    hba = SearchReportFactory(title="糖化", body="新一代 HbA1c 检测仪上市")
    cea = SearchReportFactory(title="肿瘤", body="ＣＥＡ试剂降价１５%")  # full-width letters and digits
    assert _found("hba1c") == {hba.pk}
    assert _found("HBA") == {hba.pk}  # a Latin word matches as a prefix
    assert _found("cea") == {cea.pk}
    assert _found("15") == {cea.pk}
    assert _found("xyz") == set()


def test_r_intel_05_several_words_are_all_required():
    both = SearchReportFactory(title="甲", body="罗氏在广东降价")
    one = SearchReportFactory(title="乙", body="罗氏在广东装机")
    assert _found("罗氏 降价") == {both.pk}
    assert _found("罗氏") == {both.pk, one.pk}


def test_r_intel_05_too_short_queries_search_nothing():
    SearchReportFactory(title="市场", body="市场")
    for query in ["", "  ", "市", "a", "市 场", "，。"]:
        assert not query_parse(query), query
        assert _found(query) == set()
    assert query_parse("市场").tsquery == "('市场')"
    assert query_parse("市场营销").tsquery == "('市场' <-> '场营' <-> '营销')"


def test_r_intel_05_quotes_and_operators_in_a_query_are_only_text():
    SearchReportFactory(title="甲", body="it's 市场")
    for query in ["'市场", "市场 & !", "市场:* | 降价", "(市场) <-> 降价"]:
        _found(query)  # no syntax error from PostgreSQL


def test_r_intel_05_title_ranks_above_body():
    body_only = SearchReportFactory(title="周报", body="本周集采动态：集采。", reported_on="2026-11-25")
    in_title = SearchReportFactory(title="集采结果公布", body="详见附件。", reported_on="2026-11-01")
    results = list(report_search(queryset=IntelReport.objects.all(), query="集采"))
    if connection.vendor == "postgresql":
        assert results == [in_title, body_only]
    else:
        assert results == [body_only, in_title]  # SQLite: newest first


@pytest.mark.parametrize("common", [{}, {"集采": 0.7}])
def test_r_intel_05_many_matches_newest_first_without_ranking(monkeypatch, common):
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", common)  # both plans of newest first
    old = SearchReportFactory(title="集采", body="集采", reported_on="2026-10-01")
    new = SearchReportFactory(title="周报", body="集采", reported_on="2026-11-01")
    newest = SearchReportFactory(title="月报", body="集采", reported_on="2026-11-20")
    with CaptureQueriesContext(connection) as ctx:
        results = list(report_search(queryset=IntelReport.objects.all(), query="集采"))
    assert results == [newest, new, old]
    assert "ts_rank" not in ctx.captured_queries[-1]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector limits are PostgreSQL's")
def test_r_intel_05_text_beyond_the_vector_is_still_found_exactly(monkeypatch):
    monkeypatch.setattr(search, "MAX_POSITION", 40)
    long = SearchReportFactory(title="长文", body="开头内容。" + "填充文字" * 20 + "。结尾发现竞品降价")
    short = SearchReportFactory(title="短文", body="竞品")
    assert search.PARTIAL_MARKER in str(IntelReport.objects.get(pk=long.pk).search_vector)
    assert search.PARTIAL_MARKER not in str(IntelReport.objects.get(pk=short.pk).search_vector)
    assert _found("竞品降价") == {long.pk}
    assert _found("竞品") == {long.pk, short.pk}
    assert _found("竞品涨价") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector limits are PostgreSQL's")
def test_r_intel_05_a_bigram_repeated_past_the_position_limit_is_found_exactly():
    report = SearchReportFactory(title="重复", body="市场，" * 300 + "市场营销")
    assert _found("市场营销") == {report.pk}
    assert _found("市场开拓") == set()


def test_r_intel_05_attachment_text_is_searched_while_live():
    report = SearchReportFactory(title="展会", body="见附件")
    attachment_with_text(report=report, text="发光免疫新品发布")
    attachment_with_text(report=report, text="旧版资料包含秘密词", archived=True)
    search.report_reindex(report=report)
    assert _found("新品发布") == {report.pk}
    assert _found("秘密词") == set()


def test_r_intel_05_bulk_reindex_matches_single_reindex():
    reports = [SearchReportFactory(title=f"标题{n}", body=f"内容集采{n}", indexed=False) for n in range(3)]
    assert _found("集采") == set()
    assert reports_reindex(IntelReport.objects.all(), batch_size=2) == 3
    assert _found("集采") == {r.pk for r in reports}
    single = IntelReport.objects.get(pk=reports[0].pk)
    bulk_text, bulk_vector = single.search_text, single.search_vector
    search.report_reindex(report=single)
    single.refresh_from_db()
    assert (single.search_text, single.search_vector) == (bulk_text, bulk_vector)


def test_r_intel_05_narrows_the_queryset_it_is_given():
    internal = SearchReportFactory(title="甲", body="集采", confidentiality=1)
    SearchReportFactory(title="乙", body="集采", confidentiality=3)
    assert _found("集采", IntelReport.objects.filter(confidentiality__lte=1)) == {internal.pk}


def test_sqlite_fallback_matches_every_term_as_a_substring(monkeypatch):
    """The SQLite arm of the query builder (``search_text`` contains each term) gives the same answers."""
    both = SearchReportFactory(title="甲", body="罗氏在广东降价 HbA1c")
    SearchReportFactory(title="乙", body="罗氏在广东装机")
    monkeypatch.setattr(search, "is_postgresql", lambda: False)
    parsed = query_parse("罗氏 降价")
    matched = search.report_match(queryset=IntelReport.objects.all(), parsed=parsed)
    assert "@@" not in str(matched.query)
    assert set(matched.values_list("pk", flat=True)) == {both.pk}
    assert _found("ＨＢＡ1") == {both.pk}
    assert _found("市") == set()


def test_newest_first_plan_choice(monkeypatch):
    """Above RANK_LIMIT the GIN rows are sorted when the query's rarest lexeme is rare enough by pg_stats."""
    monkeypatch.setitem(search._COMMON_LEXEMES, "at", float("inf"))  # no pg_stats read in this test
    shares = {"集采": 0.7, "化学发光": 0.6, "的检测速": 0.2, "检测速度": 0.4, "市场的检": 0.1, "降价": 0.019}
    monkeypatch.setitem(search._COMMON_LEXEMES, "lexemes", shares)
    assert search._bitmap_order_is_cheaper(query_parse("新出"))  # not listed: rarer than any listed
    assert search._bitmap_order_is_cheaper(query_parse("集采 新出"))  # the rarest lexeme decides
    assert search._bitmap_order_is_cheaper(query_parse("集采 降价"))  # 1.9 % < 3 %
    assert not search._bitmap_order_is_cheaper(query_parse("集采"))  # frequent: walk the date index
    assert not search._bitmap_order_is_cheaper(query_parse("化学发光"))  # 60 %: walk
    assert not search._bitmap_order_is_cheaper(query_parse("市场的检"))  # 10 % > 3 % without a checked run
    assert not search._bitmap_order_is_cheaper(query_parse("的检测速度"))  # 20 % > 15 % with one
    shares["的检测速"] = 0.12
    assert search._bitmap_order_is_cheaper(query_parse("的检测速度"))  # 12 % < 15 %: sort, then check
    assert not search._bitmap_order_is_cheaper(query_parse("hba"))  # a prefix: frequency unknown
    assert not search._bitmap_order_is_cheaper(query_parse("降价 hba"))


def test_intel_reindex_command_indexes_every_report():
    from django.core.management import call_command

    report = SearchReportFactory(title="未索引", body="化学发光新品", indexed=False)
    assert _found("发光新品") == set()
    call_command("intel_reindex", verbosity=0)
    assert _found("发光新品") == {report.pk}
