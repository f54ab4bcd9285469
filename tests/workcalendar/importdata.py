"""A made-up holiday calendar for 2031, written by the tests themselves. These are not official dates."""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.attendance.models import FieldWorkNotice
from apps.leave.models import LeaveRequest, LeaveType

YEAR = 2031

# Mon 3 – Fri 7 February off ("春节"), Saturday 8 February worked, Thursday 1 May off.
ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//mktdept tests//made-up calendar//ZH\r
BEGIN:VEVENT\r
UID:spring-2031@test\r
DTSTAMP:20300101T000000Z\r
DTSTART;VALUE=DATE:20310203\r
DTEND;VALUE=DATE:20310208\r
SUMMARY:春节\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:spring-work-2031@test\r
DTSTAMP:20300101T000000Z\r
DTSTART;VALUE=DATE:20310208\r
SUMMARY:春节补班\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:labour-2031@test\r
DTSTAMP:20300101T000000Z\r
DTSTART;VALUE=DATE:20310501\r
DTEND;VALUE=DATE:20310502\r
SUMMARY:劳动节\r
END:VEVENT\r
END:VCALENDAR\r
"""

CSV = """date,kind,name
2031-02-03,holiday,春节
2031-02-04,休,春节
2031-02-05,holiday,春节
2031-02-06,holiday,春节
2031/2/7,Holiday,春节
2031-02-08,班,春节补班
2031-05-01,holiday,劳动节
"""

SPRING = [datetime.date(2031, 2, day) for day in range(3, 8)]
MAKE_UP = datetime.date(2031, 2, 8)
LABOUR = datetime.date(2031, 5, 1)


def leave(user, handover_to, start, end, *, days, status="approved", start_half="am", end_half="pm"):
    """Store a leave request as it was filed before the import, with the length counted then."""
    return LeaveRequest.objects.create(
        user=user,
        leave_type=LeaveType.objects.get(code="personal"),
        start_date=start,
        start_half=start_half,
        end_date=end,
        end_half=end_half,
        days=Decimal(days),
        reason="家里有事",
        handover_to=handover_to,
        handover_notes="交接",
        approver=handover_to,
        status=status,
    )


def notice(user, start, end):
    now = timezone.now()
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=start,
        end_date=end,
        destination="客户医院",
        purpose="装机",
        filed_at=now - datetime.timedelta(days=1),
        deadline=now,
    )
