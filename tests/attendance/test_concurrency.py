"""Real threads on PostgreSQL: one check-in a day and no duplicate field notices (R-ATT-01, R-ATT-02)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.attendance.services import checkin_record, field_notice_file
from tests.leave.helpers import at, error_codes, rendezvous, run_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and real threads"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _outcomes(results) -> list[str]:
    outcomes = []
    for kind, value in results:
        if kind == "ok":
            outcomes.append("ok")
        elif isinstance(value, ValidationError):
            outcomes.extend(error_codes(value))
        else:
            raise value
    return sorted(outcomes)


def test_r_att_01_double_click_checks_in_once(staff):
    results = run_together(
        lambda: checkin_record(user=staff, now=at(2026, 11, 2, 8, 55)),
        lambda: checkin_record(user=staff, now=at(2026, 11, 2, 8, 55, 1)),
    )

    assert _outcomes(results) == ["already_checked_in", "ok"]
    assert CheckIn.objects.filter(user=staff).count() == 1


def test_r_att_02_two_overlapping_notices_at_once_make_one_notice(staff, monkeypatch):
    monkeypatch.setattr(FieldWorkNotice.objects, "create", rendezvous(FieldWorkNotice.objects.create, before=True))

    def file(end):
        return field_notice_file(
            user=staff,
            start_date=date(2026, 11, 4),
            end_date=end,
            destination="省人民医院",
            purpose="装机培训",
            now=at(2026, 11, 2, 10, 0),
        )

    results = run_together(lambda: file(date(2026, 11, 4)), lambda: file(date(2026, 11, 5)))

    assert FieldWorkNotice.objects.filter(user=staff).count() == 1
    assert _outcomes(results) == ["ok", "overlap"]
