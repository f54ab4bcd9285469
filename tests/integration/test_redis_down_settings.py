"""R-JOB-02: the settings production runs with REDIS_URL never make a page wait on Redis."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import mktdept.settings.base as s
print(json.dumps({
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_options": s.CACHES["default"].get("OPTIONS", {}),
    "ignore_result": s.CELERY_TASK_IGNORE_RESULT,
    "result_retry": s.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["retry_policy"],
    "broker": s.CELERY_BROKER_TRANSPORT_OPTIONS,
}))
"""


def production_settings() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mktdept.settings.base",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "k" * 50,
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_redis_settings_fail_fast():
    conf = production_settings()

    assert conf["cache"] == "mktdept.cache.FailSafeRedisCache"
    assert conf["cache_options"]["socket_connect_timeout"] <= 1
    assert conf["cache_options"]["socket_timeout"] <= 1
    # No send waits on the result store: results are not kept, and reconnecting gives up within a second.
    assert conf["ignore_result"] is True
    retry = conf["result_retry"]
    assert retry["max_retries"] * retry["interval_max"] <= 1
    broker = conf["broker"]
    assert broker["socket_connect_timeout"] <= 1
    assert broker["max_retries"] * broker["interval_max"] <= 1
