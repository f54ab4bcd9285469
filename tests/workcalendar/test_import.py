"""Issue 7: loading a year's holiday calendar from a file — preview, save, overrides, package loads, filed leave."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.notifications.models import Notification
from apps.workcalendar.calendar import is_working_day
from apps.workcalendar.importing import CalendarDay, parse_calendar_file
from apps.workcalendar.models import CalendarOverride, CalendarYear, StatutoryDay
from apps.workcalendar.selectors import calendar_import_preview
from apps.workcalendar.services import calendar_check_coverage, calendar_import_year, calendar_load_year
from tests.factories import UserFactory
from tests.leave.helpers import error_codes
from tests.workcalendar.importdata import CSV, ICS, LABOUR, MAKE_UP, SPRING, YEAR, leave, notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def days_of(text: str = ICS, name: str = "2031.ics") -> list[CalendarDay]:
    return parse_calendar_file(content=text.encode(), file_name=name, year=YEAR)


def stored(year: int = YEAR) -> list[tuple]:
    return list(StatutoryDay.objects.filter(date__year=year).order_by("date").values_list("date", "is_working", "name"))


def test_preview_of_a_new_year_lists_added_days_and_writes_nothing():
    preview = calendar_import_preview(year=YEAR, days=days_of())

    assert preview.current is None
    assert [(c.date, c.action) for c in preview.changes] == [(d, "added") for d in [*SPRING, MAKE_UP, LABOUR]]
    assert preview.status_changed_days == [*SPRING, MAKE_UP, LABOUR]
    assert stored() == []
    assert not CalendarYear.objects.filter(year=YEAR).exists()


def test_import_saves_the_days_and_records_the_file_as_source(superuser):
    calendar_import_year(actor=superuser, year=YEAR, days=days_of(), file_name="2031.ics")

    assert stored() == [(d, False, "春节") for d in SPRING] + [(MAKE_UP, True, "春节补班"), (LABOUR, False, "劳动节")]
    year = CalendarYear.objects.get(year=YEAR)
    assert (year.source_kind, year.source, year.loaded_by) == ("file", "2031.ics", superuser)
    assert not is_working_day(SPRING[0])
    assert is_working_day(MAKE_UP)


def test_reimport_previews_changed_and_removed_days_then_replaces_them(superuser):
    calendar_import_year(actor=superuser, year=YEAR, days=days_of(), file_name="2031.ics")
    corrected = CSV.replace("2031-02-08,班,春节补班\n", "").replace("劳动节", "国际劳动节") + "2031-02-09,班,春节补班\n"

    preview = calendar_import_preview(year=YEAR, days=days_of(corrected, "fix.csv"))

    assert [(c.date, c.action, c.status_changes) for c in preview.changes] == [
        (MAKE_UP, "removed", True),
        (datetime.date(2031, 2, 9), "added", True),
        (LABOUR, "changed", False),
    ]
    assert preview.unchanged == 5
    assert preview.current.source == "2031.ics"

    calendar_import_year(actor=superuser, year=YEAR, days=preview.days, file_name="fix.csv")
    assert not is_working_day(MAKE_UP)
    assert is_working_day(datetime.date(2031, 2, 9))
    assert StatutoryDay.objects.get(date=LABOUR).name == "国际劳动节"
    assert CalendarYear.objects.get(year=YEAR).source == "fix.csv"


def test_company_overrides_survive_an_import_and_keep_winning(superuser):
    CalendarOverride.objects.create(date=LABOUR, is_working=True, reason="展会值班", created_by=superuser)

    preview = calendar_import_preview(year=YEAR, days=days_of())
    labour = next(c for c in preview.changes if c.date == LABOUR)
    assert (labour.override, labour.status_changes) == ("展会值班", False)
    assert LABOUR not in preview.status_changed_days

    calendar_import_year(actor=superuser, year=YEAR, days=days_of(), file_name="2031.ics")

    assert list(CalendarOverride.objects.values_list("date", "is_working", "reason")) == [(LABOUR, True, "展会值班")]
    assert is_working_day(LABOUR)


def test_import_needs_the_permission(staff, superuser):
    with pytest.raises(PermissionDenied):
        calendar_import_year(actor=staff, year=YEAR, days=days_of(), file_name="2031.ics")

    holder = UserFactory(username="cal")
    holder.user_permissions.add(_import_permission())
    holder = type(holder).objects.get(pk=holder.pk)
    calendar_import_year(actor=holder, year=YEAR, days=days_of(), file_name="2031.ics")
    assert CalendarYear.objects.get(year=YEAR).loaded_by == holder


def _import_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="import_calendar")


def test_import_refuses_days_outside_the_year_and_a_calendar_changed_since_the_preview(superuser):
    with pytest.raises(ValidationError) as exc:
        calendar_import_year(actor=superuser, year=2032, days=days_of(), file_name="2031.ics")
    assert error_codes(exc.value) == ["outside_year"]

    preview = calendar_import_preview(year=YEAR, days=days_of())
    calendar_import_year(actor=superuser, year=YEAR, days=days_of(CSV, "other.csv"), file_name="other.csv")
    with pytest.raises(ValidationError) as exc:
        calendar_import_year(
            actor=superuser, year=YEAR, days=preview.days, file_name="2031.ics", fingerprint=preview.fingerprint
        )
    assert error_codes(exc.value) == ["calendar_changed"]
    assert CalendarYear.objects.get(year=YEAR).source == "other.csv"


def test_package_load_does_not_overwrite_a_file_imported_year_without_force(superuser):
    # 2026 stands for "a year the package covers"; an admin imported it from a file instead.
    package_rows = stored(2026)
    own = [CalendarDay(datetime.date(2026, 3, 2), False, "公司年会")]
    calendar_import_year(actor=superuser, year=2026, days=own, file_name="own-2026.csv")

    with pytest.raises(ValidationError) as exc:
        calendar_load_year(year=2026)
    assert error_codes(exc.value) == ["imported_from_file"]
    assert stored(2026) == [(datetime.date(2026, 3, 2), False, "公司年会")]

    # The daily coverage check only loads years not loaded at all.
    calendar_check_coverage(today=datetime.date(2026, 6, 1))
    assert CalendarYear.objects.get(year=2026).source == "own-2026.csv"

    calendar_load_year(year=2026, force=True)
    assert stored(2026) == package_rows
    assert CalendarYear.objects.get(year=2026).source_kind == "package"


def test_affected_leave_and_notices_are_listed_with_old_and_new_lengths_and_not_recomputed(staff, other_staff):
    # Filed while 2031 was not loaded, so counted Monday–Friday.
    week = leave(staff, other_staff, SPRING[0], SPRING[-1], days="5.0")
    # Thursday afternoon to the next Monday: Thu 0.5 + Fri 1 + Mon 1.
    across = leave(
        other_staff, staff, SPRING[3], datetime.date(2031, 2, 10), days="2.5", status="pending", start_half="pm"
    )
    leave(staff, other_staff, SPRING[0], SPRING[0], days="1.0", status="rejected")
    leave(staff, other_staff, datetime.date(2031, 3, 3), datetime.date(2031, 3, 3), days="1.0")
    saturday = notice(staff, MAKE_UP, MAKE_UP)

    preview = calendar_import_preview(year=YEAR, days=days_of())

    assert [(row.pk, row.old_days, row.new_days) for row in preview.affected] == [
        (week.pk, Decimal("5.0"), Decimal("0")),
        (across.pk, Decimal("2.5"), Decimal("2.0")),
        (saturday.pk, Decimal("0"), Decimal("1")),
    ]
    assert preview.affected[0].person == staff.get_full_name()

    result = calendar_import_year(actor=None, year=YEAR, days=days_of(), file_name="2031.ics")

    assert [(row.pk, row.new_days) for row in result.affected] == [
        (week.pk, Decimal("0")),
        (across.pk, Decimal("2.0")),
        (saturday.pk, Decimal("1")),
    ]
    week.refresh_from_db()
    across.refresh_from_db()
    assert (week.days, across.days) == (Decimal("5.0"), Decimal("2.5"))


def test_command_imports_a_file_and_dry_run_only_shows_the_preview(tmp_path, staff, other_staff):
    path = tmp_path / "2031.csv"
    path.write_bytes(CSV.encode("gbk"))
    leave(staff, other_staff, SPRING[0], SPRING[-1], days="5.0")
    out = StringIO()

    with translation.override("en"):
        call_command("calendar_load", "--year", str(YEAR), "--file", str(path), "--dry-run", stdout=out)

    text = out.getvalue()
    assert "7 added, 0 changed, 0 removed, 0 unchanged." in text
    assert "+ 2031-02-08  — → make-up working day 春节补班" in text
    assert "5.0 → 0.0 working days" in text
    assert "Dry run" in text
    assert stored() == []

    out = StringIO()
    with translation.override("en"):
        call_command("calendar_load", "--year", str(YEAR), "--file", str(path), stdout=out)
    assert "7 statutory days imported from 2031.csv" in out.getvalue()
    assert len(stored()) == 7
    assert CalendarYear.objects.get(year=YEAR).source_kind == "file"


def test_command_without_file_refuses_a_file_imported_year_unless_forced(tmp_path):
    path = tmp_path / "own.ics"
    path.write_text(ICS.replace("2031", "2026").replace("20300101T", "20250101T"), encoding="utf-8")
    call_command("calendar_load", "--year", "2026", "--file", str(path), stdout=StringIO())

    with pytest.raises(CommandError), translation.override("en"):
        call_command("calendar_load", "--year", "2026", stdout=StringIO())
    assert CalendarYear.objects.get(year=2026).source == "own.ics"

    call_command("calendar_load", "--year", "2026", "--force", stdout=StringIO())
    assert CalendarYear.objects.get(year=2026).source_kind == "package"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"2031-02-30,holiday,x\n", "Row 1"),
        (b"", "empty"),
    ],
)
def test_command_reports_bad_files_as_command_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message), translation.override("en"):
        call_command("calendar_load", "--year", str(YEAR), "--file", str(path), stdout=StringIO())
    with pytest.raises(CommandError), translation.override("en"):
        call_command("calendar_load", "--year", str(YEAR), "--file", str(tmp_path / "missing.csv"), stdout=StringIO())
    assert not CalendarYear.objects.filter(year=YEAR).exists()


def test_automatic_package_load_tells_the_admins_which_filed_leave_changed(superuser, staff, other_staff):
    CalendarYear.objects.filter(year=2026).delete()
    StatutoryDay.objects.filter(date__year=2026).delete()
    national_day = datetime.date(2026, 10, 1)
    filed = leave(staff, other_staff, national_day, national_day, days="1.0")  # counted as a Thursday

    calendar_check_coverage(today=datetime.date(2026, 6, 1))

    note = Notification.objects.get(recipient=superuser, dedupe_key="calendar-affected:2026")
    assert f"#{filed.pk}" in note.body
    assert "1.0 → 0.0" in note.body
    filed.refresh_from_db()
    assert filed.days == Decimal("1.0")
