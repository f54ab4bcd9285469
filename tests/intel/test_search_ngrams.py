"""R-INTEL-05: the n-gram vector (migration 0008) - what it holds, its cap, its backfill and its index."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

from apps.intel import search
from apps.intel.models import IntelReport
from apps.intel.search import document_ngrams, normalize
from tests.intel.factories_search import SearchReportFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector is PostgreSQL's")

migration = importlib.import_module("apps.intel.migrations.0008_report_search_ngrams")

TEXTS = [
    "",
    "ab 市场",  # no Han run of three characters: nothing
    "新品上市预计明年，市场的检测速度 hba1c 上市预计",
    "国" * 3 + "，" + "市场营销投入加大",
    "".join(chr(0x4E00 + i) for i in range(300)),
]


def _grams(literal: str) -> list[str]:
    return [g.strip("'") for g in literal.split()] if literal else []


def test_document_ngrams_are_every_distinct_3_and_4_character_substring_of_each_han_run():
    literal, partial = document_ngrams(normalize("新品上市，ＣＬＩＡ市场营销 上市"))
    assert sorted(_grams(literal)) == sorted(["新品上", "品上市", "新品上市", "市场营", "场营销", "市场营销"])
    assert not partial  # "上市" is too short, "clia" is not Han, "上市" repeated is one run of two


@pytest.mark.parametrize("text", TEXTS)
def test_migration_copy_of_the_ngrams_matches_the_indexer(text, monkeypatch):
    """The migration's frozen copy writes what the indexer writes, cap included."""
    assert migration._ngrams(normalize(text)) == document_ngrams(normalize(text))
    monkeypatch.setattr(search, "MAX_NGRAMS", 50)
    monkeypatch.setattr(migration, "MAX_NGRAMS", 50)
    assert migration._ngrams(normalize(text)) == document_ngrams(normalize(text))


def test_a_document_cut_at_max_ngrams_is_marked_partial_and_still_found(monkeypatch):
    monkeypatch.setattr(search, "MAX_NGRAMS", 50)
    head = "".join(chr(0x4E00 + i) for i in range(60))  # 57 + 58 distinct n-grams: over the cap
    long = SearchReportFactory(title="长文", body=head + "，结尾发现竞品降价")
    short = SearchReportFactory(title="短文", body="竞品降价幅度")
    literal, partial = document_ngrams(normalize(long.body))
    assert partial and len(_grams(literal)) == 50
    assert "竞品降价" not in _grams(literal)  # beyond the cap
    found = {r.pk for r in search.report_search(queryset=IntelReport.objects.all(), query="竞品降价")}
    assert found == {long.pk, short.pk}
    if connection.vendor == "postgresql":
        assert search.PARTIAL_MARKER in str(IntelReport.objects.get(pk=long.pk).search_vector)
        assert search.PARTIAL_MARKER not in str(IntelReport.objects.get(pk=short.pk).search_vector)


@postgresql_only
def test_migration_backfill_writes_the_ngrams_and_marker_the_indexer_writes(monkeypatch):
    monkeypatch.setattr(search, "MAX_NGRAMS", 50)
    monkeypatch.setattr(migration, "MAX_NGRAMS", 50)
    reports = [
        SearchReportFactory(title="甲", body="新品上市预计明年"),
        SearchReportFactory(title="乙", body="".join(chr(0x4E00 + i) for i in range(60))),  # partial
        SearchReportFactory(title="丙", body="ab"),
    ]
    columns = ("search_text", "search_vector", "search_ngrams")
    indexed = {r["pk"]: r for r in IntelReport.objects.values("pk", *columns)}
    assert search.PARTIAL_MARKER in indexed[reports[1].pk]["search_vector"]
    # As 0007 left them: no n-grams, and no marker (the positions of these reports were all kept).
    IntelReport.objects.update(search_ngrams=None)
    IntelReport.objects.filter(pk=reports[1].pk).update(
        search_vector=search.document_vector(title="乙", parts=[reports[1].body])
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred FK checks, before the DDL
    with connection.schema_editor() as schema_editor:
        migration.forwards(django_apps, schema_editor)
    assert {r["pk"]: r for r in IntelReport.objects.values("pk", *columns)} == indexed
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [migration.INDEX])
        (indexdef,) = cursor.fetchone()
    assert "USING gin (search_vector, search_ngrams)" in indexdef


@postgresql_only
def test_one_gin_index_serves_both_vectors():
    """The installed schema (migrations, not the test above) has the two-column GIN index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [migration.INDEX])
        (indexdef,) = cursor.fetchone()
    assert "USING gin (search_vector, search_ngrams)" in indexdef


def test_search_columns_are_deferred_by_default():
    """The vectors (several kB a row, out of line) are never read when a report is loaded."""
    report = SearchReportFactory(title="甲", body="新品上市预计明年")
    loaded = IntelReport.objects.get(pk=report.pk)
    assert loaded.get_deferred_fields() >= {"search_text", "search_vector", "search_ngrams"}
