"""Words of installed packages that Simplified Chinese is missing.

django-axes ships no Simplified Chinese catalogue, and Django 5.2's admin and django-celery-beat
lack a few strings in theirs. Django reads the catalogues in ``LOCALE_PATHS`` first, so a
translation in ours fills the gap for the same msgid; listing the msgids here lets
``makemessages`` extract them (and keeps them from being dropped as stale). Each must be spelled
exactly as the package spells it.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

PACKAGE_MSGIDS = [
    # django-axes: models, fields and admin (axes/models.py, axes/admin.py).
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    # Django 5.2 admin (admin/app_list.html and others), not yet in Django's zh_Hans catalogue.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # Django admin: Django's own Chinese puts spaces around the application's name.
    gettext_noop("Models in the %(name)s application"),
    # django-celery-beat.
    gettext_noop("Execution Options"),
    gettext_noop("Periodic Tasks Using This Schedule"),
]


class AxesConfig(AxesAppConfig):
    """django-axes under a translated name in the admin (its own has none)."""

    verbose_name = _("Login security")
