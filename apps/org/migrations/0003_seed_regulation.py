"""Ship the regulation's department, positions, duties and lifecycle stages as data (R-ORG-01..04)."""

from django.db import migrations

from apps.org import seed_data


def seed(apps, schema_editor):
    department_model = apps.get_model("org", "Department")
    position_model = apps.get_model("org", "Position")
    duty_model = apps.get_model("org", "Duty")
    stage_model = apps.get_model("org", "LifecycleStage")
    focus_model = apps.get_model("org", "StageFocus")

    marketing, _ = department_model.objects.update_or_create(
        code="MKT", defaults={"name": "市场部", "name_en": "Marketing Department"}
    )
    positions = {}
    for code, title, title_en, headcount, order in seed_data.POSITIONS:
        positions[code], _ = position_model.objects.update_or_create(
            department=marketing,
            code=code,
            defaults={"title": title, "title_en": title_en, "headcount": headcount, "sort_order": order},
        )
    duties = {}
    for code, function, number, text, text_en in seed_data.DEPARTMENT_DUTIES:
        duties[code], _ = duty_model.objects.update_or_create(
            code=code,
            defaults={"function": function, "position": None, "number": number, "text": text, "text_en": text_en},
        )
    for code, position_code, number, text, text_en in seed_data.POSITION_DUTIES:
        duties[code], _ = duty_model.objects.update_or_create(
            code=code,
            defaults={
                "function": "",
                "position": positions[position_code],
                "number": number,
                "text": text,
                "text_en": text_en,
            },
        )
    stages = {}
    for code, name, name_en, order in seed_data.LIFECYCLE_STAGES:
        stages[code], _ = stage_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    for stage_code, number, text, text_en, duty_codes in seed_data.STAGE_FOCUS:
        focus, _ = focus_model.objects.update_or_create(
            stage=stages[stage_code], number=number, defaults={"text": text, "text_en": text_en}
        )
        focus.duties.set([duties[code] for code in duty_codes])


class Migration(migrations.Migration):
    dependencies = [("org", "0002_task_reminder_schedule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
