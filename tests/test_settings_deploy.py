"""Production settings (``mktdept.settings.base`` with debug off) pass ``check --deploy``."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mktdept.settings.base", **env_overrides}
    # Set by the test process for in-browser tests only; production never has it (async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_secret_key() -> str:
    key = secrets.token_urlsafe(45)  # 60 characters
    assert len(key) == 60
    return key


def test_check_deploy_passes_with_production_environment():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=production_secret_key(),
        DJANGO_ALLOWED_HOSTS="mktdept.example.com",
    )
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"


def test_missing_secret_key_refuses_to_start_without_debug():
    # An empty value overrides any DJANGO_SECRET_KEY in the repository's .env (read without
    # overwriting the environment) and is as bad as none at all.
    result = run_manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="",
        DJANGO_ALLOWED_HOSTS="mktdept.example.com",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_insecure_default_secret_key_refuses_to_start_without_debug():
    result = run_manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="django-insecure-development-only-key",
        DJANGO_ALLOWED_HOSTS="mktdept.example.com",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
