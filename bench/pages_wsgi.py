"""WSGI entry point for the gunicorn that bench/pages.py starts."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.pages_settings"
application = get_wsgi_application()
