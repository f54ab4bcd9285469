"""Periodic tasks are rows of django-celery-beat (editable in admin); data migrations add them here."""


def add_crontab_tasks(apps, schedules) -> None:
    """Create ``(name, task, minute, hour[, day_of_week])`` crontab tasks in Asia/Shanghai, once each.

    Without ``day_of_week`` the task runs daily.
    """
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, *weekday in schedules:
        crontab, _created = crontab_model.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=weekday[0] if weekday else "*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        periodic_model.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def remove_crontab_tasks(apps, schedules) -> None:
    tasks = [schedule[1] for schedule in schedules]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=tasks).delete()
