from django_celery_beat.models import PeriodicTask

from apps.intel import tasks


def test_abandoned_price_imports_are_swept_every_hour(db, monkeypatch):
    calls = []
    monkeypatch.setattr("apps.intel.services.prices.price_import_files_sweep", lambda: calls.append(1) or 3)

    assert tasks.sweep_price_imports() == 3
    assert calls == [1]
    task = PeriodicTask.objects.get(task="apps.intel.tasks.sweep_price_imports")
    assert (task.crontab.minute, task.crontab.hour, task.enabled) == ("5", "*", True)
