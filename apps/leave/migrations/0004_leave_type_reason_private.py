"""A leave type may keep its reason from the handover colleague; sick leave does (medical reasons)."""

from django.db import migrations, models


def sick_leave_reason_private(apps, schema_editor):
    apps.get_model("leave", "LeaveType").objects.filter(code="sick").update(reason_private=True)


class Migration(migrations.Migration):
    dependencies = [
        ("leave", "0003_roles_and_schedules"),
    ]

    operations = [
        migrations.AddField(
            model_name="leavetype",
            name="reason_private",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "For example sick leave: the colleague who takes over sees the dates and the handover notes, "
                    "not the reason, the attachment or the decision comments."
                ),
                verbose_name="reason hidden from the handover colleague",
            ),
        ),
        migrations.RunPython(sick_leave_reason_private, migrations.RunPython.noop),
    ]
