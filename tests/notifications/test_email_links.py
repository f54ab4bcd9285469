"""Issue 7: `PORT=8080 make run` makes e-mail links point at port 8080, in every process honcho starts."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from honcho.environ import expand_processes, parse_procfile

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env) -> str:
    """SITE_URL as the settings compute it in a fresh process with ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SITE_URL", "PORT", "MKTDEPT_WEB_PORT"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "mktdept.settings.base", "DJANGO_DEBUG": "true", **env})
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import mktdept.settings.base as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout.strip().splitlines()[-1]


def make_run_environment(port: str) -> dict[str, str]:
    """The variables `make run` sets on the honcho command line (read from `make -n`)."""
    dry = subprocess.run(  # noqa: S603
        ["make", "-n", "run", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    line = next(line for line in dry.splitlines() if "honcho start" in line)
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[: next(i for i, w in enumerate(words) if "=" not in w)])


@pytest.mark.skipif(not os.path.exists("/usr/bin/make") and not os.path.exists("/bin/make"), reason="needs make")
def test_site_url_follows_the_port_of_make_run_in_web_worker_and_beat():
    env = make_run_environment("8080")
    procfile = parse_procfile((ROOT / "Procfile").read_text())
    processes = expand_processes(procfile.processes, env=env)
    ports = {p.name: p.env["PORT"] for p in processes}
    assert ports["web.1"] == "8080"
    assert ports["worker.1"] != "8080"  # honcho gives every process a port of its own …

    for process in processes:
        assert site_url(**process.env) == "http://127.0.0.1:8080", process.name  # … the links follow the web's


def test_site_url_follows_port_when_the_web_server_runs_alone():
    assert site_url(PORT="8080") == "http://127.0.0.1:8080"
    assert site_url() == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_and_production_ignores_port():
    assert site_url(PORT="8080", DJANGO_SITE_URL="https://mktdept.example.com") == "https://mktdept.example.com"
    production = site_url(PORT="8080", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50)
    assert re.fullmatch(r"http://127\.0\.0\.1:8000", production)
