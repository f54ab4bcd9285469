"""The 3- and 4-character Han n-grams of each report, in the report search's GIN index (PostgreSQL).

A term of three or more characters was matched as a phrase of bigrams, checked on the positions
of each candidate's vector. Terms of common bigrams that rarely sit next to each other (市场的检,
的检测速度) had thousands of candidates and took 0.4–1.2 s at 100,000 reports. With the n-grams in
the same GIN index, a term of three or four characters is one exact lexeme and a longer one the
AND of its 4-grams (apps/intel/search.py, docs/benchmarks.md "N-grams in the index").

The n-grams are computed here from ``search_text`` (the normalised text of title, body and
attachments), which is what ``apps.intel.search.document_ngrams`` reads; the function is copied,
as a migration must not change when the app's code does. SQLite has no tsvector: there only the
column is added.
"""

import re

import django.contrib.postgres.search
from django.db import migrations

INDEX = "intelreport_search_gin"
HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3,}")
MAX_NGRAMS = 40_000
BATCH = 1000
STATISTICS = 1000


def _ngrams(text: str) -> tuple[str, bool]:
    grams: dict[str, None] = {}
    for run in HAN_RUN.findall(text or ""):
        for size in (3, 4):
            for i in range(len(run) - size + 1):
                grams[run[i : i + size]] = None
        if len(grams) > MAX_NGRAMS:
            return " ".join(f"'{g}'" for g in list(grams)[:MAX_NGRAMS]), True
    return " ".join(f"'{g}'" for g in grams), False


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    report = apps.get_model("intel", "IntelReport")
    table = schema_editor.quote_name(report._meta.db_table)
    ids = list(report.objects.order_by("pk").values_list("pk", flat=True))
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            rows = report.objects.filter(pk__in=ids[start : start + BATCH]).values_list("pk", "search_text")
            done = [(pk, *_ngrams(text)) for pk, text in rows]
            cursor.execute(
                f"UPDATE {table} AS r SET search_ngrams = v.n::tsvector, "  # noqa: S608
                "search_vector = CASE WHEN v.partial THEN coalesce(r.search_vector, '') || '''~partial'''::tsvector "
                "ELSE r.search_vector END "
                "FROM unnest(%s::bigint[], %s::text[], %s::boolean[]) AS v(id, n, partial) WHERE r.id = v.id",
                [[d[0] for d in done], [d[1] for d in done], [d[2] for d in done]],
            )
        # One GIN index of both vectors: a query on both is one index scan, never a filter that
        # reads a vector from each row.
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (search_vector, search_ngrams)")
        # pg_stats lists about 10 lexemes per point of target: 10,000 instead of 1,000, so the search
        # tells a lexeme in 0.5 % of the reports from one in 5 % (apps.intel.search._common_lexemes).
        cursor.execute(
            f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {STATISTICS}, "
            f"ALTER COLUMN search_ngrams SET STATISTICS {STATISTICS}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("intel", "IntelReport")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (search_vector)")
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("intel", "0007_report_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="intelreport",
            name="search_ngrams",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
