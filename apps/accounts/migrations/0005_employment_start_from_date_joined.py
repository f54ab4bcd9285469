"""Existing people were employed from the day their account was made (local date), not from today."""

from django.db import migrations
from django.utils import timezone


def employment_start_from_date_joined(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    users = list(user_model.objects.only("pk", "date_joined", "employment_start"))
    for user in users:
        user.employment_start = timezone.localtime(user.date_joined).date()
    user_model.objects.bulk_update(users, ["employment_start"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_employment_period_and_checkin_exemption"),
    ]

    operations = [migrations.RunPython(employment_start_from_date_joined, migrations.RunPython.noop)]
