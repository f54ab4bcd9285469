"""Periodic tasks are rows of django-celery-beat (editable in admin); data migrations add them here."""


def add_crontab_tasks(apps, schedules) -> None:
    """Create ``(name, task, minute, hour)`` daily crontab tasks in Asia/Shanghai, once each."""
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in schedules:
        crontab, _created = crontab_model.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        periodic_model.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def remove_crontab_tasks(apps, schedules) -> None:
    tasks = [task for _name, task, _minute, _hour in schedules]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=tasks).delete()
