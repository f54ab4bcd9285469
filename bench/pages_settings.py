"""Settings for the gunicorn that bench/pages.py starts: the production settings, plus a bare view."""

from mktdept.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
