"""A date reads the same in lists as in notifications, in both languages (issue 8, "Words")."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.notifications.services import localize_param

DAY = datetime.date(2026, 12, 10)


@pytest.mark.parametrize(("language", "expected"), [("en", "10 Dec 2026"), ("zh-hans", "2026年12月10日")])
def test_list_dates_read_like_notification_dates(language, expected):
    with translation.override(language):
        short = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(Context({"day": DAY}))
        long = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": DAY}))
        assert short == long == expected
        assert localize_param(DAY) == expected
