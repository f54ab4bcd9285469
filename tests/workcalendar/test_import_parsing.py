"""Issue 7: reading a year's holidays and make-up working days from iCalendar and CSV files."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from apps.workcalendar.importing import MAX_FILE_BYTES, CalendarDay, parse_calendar_file
from tests.leave.helpers import error_codes
from tests.workcalendar.importdata import CSV, ICS, LABOUR, MAKE_UP, SPRING, YEAR

EXPECTED = [
    *(CalendarDay(day, False, "春节") for day in SPRING),
    CalendarDay(MAKE_UP, True, "春节补班"),
    CalendarDay(LABOUR, False, "劳动节"),
]


def ics(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@t\r\nDTSTAMP:20300101T000000Z\r\n{event}\r\nEND:VEVENT\r\n"
        for n, event in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//ZH\r\n{body}END:VCALENDAR\r\n".encode()


def codes(content: bytes, file_name: str = "c.csv") -> list[str]:
    with pytest.raises(ValidationError) as exc:
        parse_calendar_file(content=content, file_name=file_name, year=YEAR)
    return error_codes(exc.value)


def test_ics_all_day_events_span_start_to_exclusive_end_and_summary_marks_make_up_days():
    assert parse_calendar_file(content=ICS.encode(), file_name="2031.ics", year=YEAR) == EXPECTED


def test_ics_is_recognised_by_content_whatever_its_name_and_with_a_bom():
    days = parse_calendar_file(content=b"\xef\xbb\xbf" + ICS.encode(), file_name="holidays.txt", year=YEAR)
    assert days == EXPECTED


@pytest.mark.parametrize(
    ("summary", "categories", "working"),
    [
        ("春节补班", "", True),
        ("国庆节上班", "", True),
        ("春节调休", "", True),
        ("春节（班）", "", True),
        ("Spring Festival make-up workday", "", True),
        ("春节", "", False),
        ("春节（休）", "", False),
        ("Company day", "CATEGORIES:workday", True),
        ("Company day", "CATEGORIES:班", True),
        # An explicit category beats the summary.
        ("调休", "CATEGORIES:holiday", False),
    ],
)
def test_ics_kind_rule(summary, categories, working):
    event = f"DTSTART;VALUE=DATE:20310301\r\nSUMMARY:{summary}" + (f"\r\n{categories}" if categories else "")
    days = parse_calendar_file(content=ics(event), file_name="c.ics", year=YEAR)
    assert [(d.date, d.is_working, d.name) for d in days] == [(datetime.date(2031, 3, 1), working, summary)]


def test_ics_duration_gives_the_days():
    days = parse_calendar_file(
        content=ics("DTSTART;VALUE=DATE:20311001\r\nDURATION:P3D\r\nSUMMARY:国庆节"), file_name="c.ics", year=YEAR
    )
    assert [d.date.day for d in days] == [1, 2, 3]


@pytest.mark.parametrize(
    ("event", "code"),
    [
        ("DTSTART:20310301T090000\r\nDTEND:20310301T180000\r\nSUMMARY:timed", "timed_event"),
        ("DTSTART;VALUE=DATE:20310301\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:repeats", "repeating_event"),
        ("DTSTART;VALUE=DATE:20301231\r\nDTEND;VALUE=DATE:20310102\r\nSUMMARY:元旦", "outside_year"),
        ("DTSTART:garbage\r\nSUMMARY:broken", "bad_event_date"),
        ("SUMMARY:no start", "bad_event_date"),
        ("DTSTART;VALUE=DATE:20310305\r\nDTEND;VALUE=DATE:20310301\r\nSUMMARY:backwards", "bad_event_date"),
    ],
)
def test_ics_bad_events_are_refused_with_a_message_each(event, code):
    ok = "DTSTART;VALUE=DATE:20310201\r\nSUMMARY:fine"
    assert code in codes(ics(ok, event), "c.ics")


def test_ics_same_date_as_holiday_and_workday_is_a_conflict_but_a_repeat_is_merged():
    repeat = ics("DTSTART;VALUE=DATE:20310203\r\nSUMMARY:春节", "DTSTART;VALUE=DATE:20310203\r\nSUMMARY:春节假期")
    assert parse_calendar_file(content=repeat, file_name="c.ics", year=YEAR) == [
        CalendarDay(datetime.date(2031, 2, 3), False, "春节")
    ]
    conflict = ics("DTSTART;VALUE=DATE:20310203\r\nSUMMARY:春节", "DTSTART;VALUE=DATE:20310203\r\nSUMMARY:补班")
    assert codes(conflict, "c.ics") == ["conflicting_day"]


def test_ics_that_does_not_parse_or_is_not_utf8():
    assert codes(b"BEGIN:VCALENDAR\r\nthis is not a calendar\r\n", "c.ics") == ["bad_ics"]
    assert codes(ICS.encode("gbk"), "c.ics") == ["bad_encoding"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_or_gbk(encoding):
    assert parse_calendar_file(content=CSV.encode(encoding), file_name="2031.csv", year=YEAR) == EXPECTED


def test_csv_without_heading_with_chinese_heading_blank_and_comment_rows():
    body = CSV.split("\n", 1)[1]
    assert parse_calendar_file(content=body.encode(), file_name="c.csv", year=YEAR) == EXPECTED
    text = "日期,类型,名称\n# 测试用，非官方日期\n\n" + body
    assert parse_calendar_file(content=text.encode(), file_name="c.csv", year=YEAR) == EXPECTED


@pytest.mark.parametrize(
    ("kind", "working"), [("工作日", True), ("补班", True), ("WORKDAY", True), ("节假日", False), ("假", False)]
)
def test_csv_kind_words(kind, working):
    days = parse_calendar_file(content=f"2031-03-01,{kind},x\n".encode(), file_name="c.csv", year=YEAR)
    assert [d.is_working for d in days] == [working]


def test_csv_lists_every_bad_row():
    text = (
        "date,kind,name\n"
        "2031-02-03,holiday,春节\n"
        "2031-02-30,holiday,no such day\n"
        "2031-02-04,sometimes,春节\n"
        "2030-12-31,holiday,元旦\n"
        "2031-02-03,班,补班\n"
        "just one cell\n"
        f"2031-03-01,holiday,{'长' * 101}\n"
    )
    with pytest.raises(ValidationError) as exc:
        parse_calendar_file(content=text.encode(), file_name="c.csv", year=YEAR)
    assert error_codes(exc.value) == [
        "bad_date",
        "bad_kind",
        "outside_year",
        "conflicting_day",
        "bad_row",
        "name_too_long",
    ]
    # Each message names its row.
    assert [re.search(r"\d+", m.split(":")[0].split("：")[0]).group(0) for m in exc.value.messages] == [
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "file_empty"),
        (b"date,kind,name\n", "no_days"),
        ("date,kind,name\n2031-02-03,holiday,春节\n".encode("utf-16"), "not_text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not_text"),
        (b"a\xff0" * 10, "bad_encoding"),
        (b"2031-02-03,holiday,x\n" * (MAX_FILE_BYTES // 20), "file_too_big"),
    ],
    ids=["empty", "headings-only", "utf-16", "binary", "not-utf8-nor-gbk", "too-big"],
)
def test_bad_files_give_a_message(content, code):
    assert codes(content) == [code]
