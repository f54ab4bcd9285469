from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("leave", "0004_leave_type_reason_private"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="leaverequest",
            index=models.Index(fields=["end_date", "start_date"], name="leave_end_start_idx"),
        ),
    ]
