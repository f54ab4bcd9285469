"""Issue 7: the admin import page — upload, preview, confirm — through the test client."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.workcalendar.models import CalendarOverride, CalendarYear, StatutoryDay
from tests.factories import UserFactory
from tests.workcalendar.importdata import CSV, ICS, LABOUR, SPRING, YEAR, leave

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:workcalendar_calendaryear_import")
CONFIRM = reverse("admin:workcalendar_calendaryear_import_confirm")
DONE = reverse("admin:workcalendar_calendaryear_import_done")


@pytest.fixture
def admin_client(client_for):
    user = UserFactory(username="root", is_superuser=True, is_staff=True, language="en")
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def upload(client, content: bytes, name: str = "2031.ics", year: int = YEAR):
    return client.post(
        IMPORT,
        {"year": year, "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_import_page_proposes_next_year(client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    # Logged in at the new time: a session from the suite's start time would have idled out.
    client = client_for(UserFactory(username="root", is_superuser=True, is_staff=True))

    page = client.get(IMPORT)

    assert page.status_code == 200
    assert page.context["form"].initial["year"] == 2027


def test_upload_preview_confirm_saves_and_lists_affected_leave(admin_client, staff, other_staff):
    filed = leave(staff, other_staff, SPRING[0], SPRING[-1], days="5.0")
    CalendarOverride.objects.create(date=LABOUR, is_working=True, reason="展会值班")

    preview = upload(admin_client, ICS.encode())

    assert preview.status_code == 200
    body = preview.content.decode()
    assert 'data-testid="preview-changes"' in body
    assert "7 days: 7 added, 0 changed, 0 removed, 0 unchanged" in body
    assert "展会值班" in body
    assert 'data-testid="affected-requests"' in body
    assert f"#{filed.pk}" in body
    # Nothing is saved by the preview.
    assert not StatutoryDay.objects.filter(date__year=YEAR).exists()

    saved = admin_client.post(CONFIRM, {"token": token_of(preview)})

    assert saved.status_code == 302
    assert saved["Location"] == DONE
    assert StatutoryDay.objects.filter(date__year=YEAR).count() == 7
    year = CalendarYear.objects.get(year=YEAR)
    assert (year.source_kind, year.source) == ("file", "2031.ics")
    assert CalendarOverride.objects.get(date=LABOUR).is_working

    done = admin_client.get(DONE, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200
    assert f"#{filed.pk}" in done.content.decode()
    assert [(row["pk"], row["old_days"], row["new_days"]) for row in done.context["result"]["affected"]] == [
        (filed.pk, "5.0", "0.0")
    ]
    filed.refresh_from_db()
    assert str(filed.days) == "5.0"


def test_csv_upload_in_gbk_previews(admin_client):
    response = upload(admin_client, CSV.encode("gbk"), "2031.csv")
    assert response.status_code == 200
    assert "7 added" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "year", "fragment"),
    [
        (b"2031-02-30,holiday,x\n2031-13-01,holiday,y\n", "bad.csv", YEAR, "Row 2"),
        (b"BEGIN:VCALENDAR\r\nnonsense\r\n", "bad.ics", YEAR, "not a valid iCalendar"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image.csv", YEAR, "not plain text"),
        (b"a\xff0" * 10, "x.csv", YEAR, "neither UTF-8 nor GBK"),
        (ICS.encode(), "2031.ics", 2032, "is not in 2032"),
        (b"date,kind,name\n", "empty.csv", YEAR, "no holidays"),
        (CSV.encode(), "calendar.xlsx", YEAR, "Upload an .ics or .csv file"),
        (CSV.encode(), "2031.csv", 1999, "greater than or equal to 2000"),
        (b"x" * (300 * 1024), "big.csv", YEAR, "too big"),
    ],
    ids=["bad-rows", "bad-ics", "binary", "encoding", "other-year", "no-days", "xlsx", "year-range", "too-big"],
)
def test_bad_uploads_show_a_message_not_a_500(admin_client, content, name, year, fragment):
    response = upload(admin_client, content, name, year)

    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not CalendarYear.objects.filter(year=year).exists()


def test_confirm_refuses_a_tampered_or_foreign_token(admin_client, client_for):
    preview = upload(admin_client, ICS.encode())
    token = token_of(preview)

    tampered = admin_client.post(CONFIRM, {"token": token[:-3] + "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert tampered.status_code == 302
    assert tampered["Location"] == IMPORT

    other = UserFactory(username="root2", is_superuser=True, is_staff=True)
    foreign = client_for(other).post(CONFIRM, {"token": token})
    assert foreign["Location"] == IMPORT

    forged = signing.dumps({"user": 1, "year": YEAR, "days": []}, salt="another.salt")
    assert admin_client.post(CONFIRM, {"token": forged})["Location"] == IMPORT
    assert not StatutoryDay.objects.filter(date__year=YEAR).exists()


def test_confirm_after_someone_else_changed_the_year_is_refused(admin_client, client_for):
    preview = upload(admin_client, ICS.encode())
    other_client = client_for(UserFactory(username="root2", is_superuser=True, is_staff=True))
    other_preview = upload(other_client, CSV.encode(), "other.csv")
    other_client.post(CONFIRM, {"token": token_of(other_preview)})

    response = admin_client.post(CONFIRM, {"token": token_of(preview)}, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "changed after the preview" in response.content.decode()
    assert CalendarYear.objects.get(year=YEAR).source == "other.csv"


def test_import_page_needs_the_permission(client_for):
    staff_user = UserFactory(username="clerk", is_staff=True)
    staff_user.user_permissions.add(Permission.objects.get(codename="view_calendaryear"))
    client = client_for(staff_user)

    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert (
        'data-testid="calendar-import-link"'
        not in client.get(reverse("admin:workcalendar_calendaryear_changelist")).content.decode()
    )

    staff_user.user_permissions.add(Permission.objects.get(codename="import_calendar"))
    assert client.get(IMPORT).status_code == 200
    assert (
        'data-testid="calendar-import-link"'
        in client.get(reverse("admin:workcalendar_calendaryear_changelist")).content.decode()
    )


def test_admin_reload_action_keeps_a_file_imported_year(admin_client):
    StatutoryDay.objects.filter(date__year=2026).delete()
    StatutoryDay.objects.create(date=datetime.date(2026, 3, 2), is_working=False, name="公司年会")
    CalendarYear.objects.filter(year=2026).update(source_kind="file", source="own-2026.csv")
    pk = CalendarYear.objects.get(year=2026).pk
    changelist = reverse("admin:workcalendar_calendaryear_changelist")

    admin_client.post(changelist, {"action": "reload", "_selected_action": [pk]})
    assert CalendarYear.objects.get(year=2026).source == "own-2026.csv"

    admin_client.post(changelist, {"action": "replace_with_package", "_selected_action": [pk]})
    assert CalendarYear.objects.get(year=2026).source_kind == "package"
    assert not StatutoryDay.objects.filter(date=datetime.date(2026, 3, 2)).exists()
