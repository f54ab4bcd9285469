"""Load every year the installed chinesecalendar package covers (R-ATT-07)."""

from chinese_calendar import constants as statutory
from django.db import migrations


def load(apps, schema_editor):
    day_model = apps.get_model("workcalendar", "StatutoryDay")
    year_model = apps.get_model("workcalendar", "CalendarYear")
    rows = [(day, False, name) for day, name in statutory.holidays.items()]
    rows += [(day, True, name) for day, name in statutory.workdays.items()]
    existing = set(day_model.objects.values_list("date", flat=True))
    day_model.objects.bulk_create(
        [day_model(date=day, is_working=working, name=name) for day, working, name in rows if day not in existing]
    )
    for year in sorted({day.year for day, _working, _name in rows}):
        year_model.objects.get_or_create(year=year, defaults={"source": "chinesecalendar"})


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
