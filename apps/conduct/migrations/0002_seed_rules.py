"""Publish version 1 of the department rules (市场部管理准则, R-CONDUCT-01)."""

from django.db import migrations

from apps.org import seed_data


def seed(apps, schema_editor):
    apps.get_model("conduct", "RuleVersion").objects.get_or_create(
        number=1,
        defaults={
            "title": seed_data.CONDUCT_RULES_TITLE_ZH,
            "title_en": seed_data.CONDUCT_RULES_TITLE_EN,
            "body": seed_data.CONDUCT_RULES_BODY_ZH,
            "body_en": seed_data.CONDUCT_RULES_BODY_EN,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
