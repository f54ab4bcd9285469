"""The GIN index of the report search vector (apps/intel/search.py), PostgreSQL only.

SQLite has no tsvector and searches ``search_text`` instead, so there it migrates to nothing.
The reports' heap rows are also kept narrow (``toast_tuple_target``): the long text columns move
to TOAST storage, so counting and paging matches reads few pages (see docs/benchmarks.md).
"""

from django.db import migrations

INDEX = "intelreport_search_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("intel", "IntelReport")._meta.db_table)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (search_vector)")
    schema_editor.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 256)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("intel", "IntelReport")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {table} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("intel", "0003_roles_and_schedules")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
