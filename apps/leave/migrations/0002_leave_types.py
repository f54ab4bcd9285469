"""The initial leave types of the regulation (R-ATT-03, R-ATT-04, R-ATT-06, R-ATT-08)."""

from django.db import migrations

LEAVE_TYPES = [
    # code, name, name_en, advance, late days, attachment, label, comp, blocked, order
    ("comp", "补休", "Comp leave", True, 0, False, "", True, True, 10),
    ("personal", "事假", "Personal leave", True, 0, False, "", False, False, 20),
    ("sick", "病假", "Sick leave", False, 3, True, "医生假条 / doctor's note", False, False, 30),
    ("annual", "年假", "Annual leave", True, 0, False, "", False, False, 40),
]


def seed(apps, schema_editor):
    model = apps.get_model("leave", "LeaveType")
    for code, name, name_en, advance, late, attachment, label, comp, blocked, order in LEAVE_TYPES:
        model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "requires_advance_approval": advance,
                "late_filing_days": late,
                "requires_attachment": attachment,
                "attachment_label": label,
                "spends_comp_time": comp,
                "blocked_in_important_periods": blocked,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("leave", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
