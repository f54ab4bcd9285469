"""English date formats: one way of writing a date everywhere, lists and notifications alike.

Django's English SHORT_DATE_FORMAT is "m/d/Y" while DATE_FORMAT is "N j, Y", so a date in a list
read differently from the same date in a notification. Chinese uses "Y年n月j日" for both.
"""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j M"
