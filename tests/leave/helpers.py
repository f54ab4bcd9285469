"""Helpers shared by the attendance, leave and working-calendar tests."""

import contextlib
import datetime
import threading
import zoneinfo
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from apps.leave.models import LeaveRequest, LeaveType
from apps.leave.services import leave_request_submit
from apps.workcalendar.calendar import calendar_for

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def error_codes(exc: ValidationError) -> list[str]:
    """Return every error code of ``exc``, whether it was raised plain or as a dict by field."""
    if hasattr(exc, "error_dict"):
        return [e.code for errs in exc.error_dict.values() for e in errs]
    return [e.code for e in exc.error_list]


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    """Return an aware datetime in Asia/Shanghai."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute, second), SHANGHAI)  # noqa: DTZ001


def leave_type(code: str) -> LeaveType:
    return LeaveType.objects.get(code=code)


def doctors_note(name: str = "note.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(
    user,
    *,
    handover_to,
    start: datetime.date,
    end: datetime.date | None = None,
    start_half: str = "am",
    end_half: str = "pm",
    code: str = "personal",
    now: datetime.datetime | None = None,
    attachment=None,
    reason: str = "家里有事",
    handover_notes: str = "客户回访名单在共享盘",
) -> LeaveRequest:
    """Submit a leave request through the service with sensible defaults."""
    return leave_request_submit(
        user=user,
        leave_type=leave_type(code),
        start_date=start,
        start_half=start_half,
        end_date=end or start,
        end_half=end_half,
        reason=reason,
        handover_to=handover_to,
        handover_notes=handover_notes,
        attachment=attachment,
        now=now,
    )


def make_leave(
    user,
    *,
    handover_to,
    approver,
    start: datetime.date,
    end: datetime.date | None = None,
    start_half: str = "am",
    end_half: str = "pm",
    code: str = "personal",
    status: str = LeaveRequest.Status.APPROVED,
    days: Decimal | None = None,
) -> LeaveRequest:
    """Create a request directly, for states the services (rightly) refuse to create, e.g. in the past."""
    end = end or start
    if days is None:
        days = calendar_for(start, end).count(start, end, start_half, end_half)
    return LeaveRequest.objects.create(
        user=user,
        leave_type=leave_type(code),
        start_date=start,
        start_half=start_half,
        end_date=end,
        end_half=end_half,
        days=days,
        reason="测试",
        handover_to=handover_to,
        handover_notes="交接",
        approver=approver,
        status=status,
    )


def working_days_from(start: datetime.date, count: int) -> list[datetime.date]:
    """Return the first ``count`` working days on or after ``start`` by the working calendar."""
    calendar = calendar_for(start, start + datetime.timedelta(days=count * 2 + 30))
    days, day = [], start
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def last_day_on_or_before(day: datetime.date, *, working: bool) -> datetime.date:
    """Return the latest working (or non-working) day on or before ``day``."""
    calendar = calendar_for(day - datetime.timedelta(days=30), day)
    while calendar.is_working_day(day) != working:
        day -= datetime.timedelta(days=1)
    return day


def run_together(*functions: Callable[[], object]) -> list[tuple[str, object]]:
    """Run each function in its own thread and database connection, all released at once.

    Return ``("ok", result)`` or ``("error", exception)`` per function, in order.
    """
    start = threading.Barrier(len(functions))
    results: list[tuple[str, object]] = [("error", RuntimeError("thread did not finish"))] * len(functions)

    def worker(index: int, function: Callable[[], object]) -> None:
        try:
            start.wait(timeout=10)
            results[index] = ("ok", function())
        except Exception as exc:  # handed back to the test to assert on
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def rendezvous(function: Callable, *, before: bool = False, parties: int = 2, timeout: float = 1.0) -> Callable:
    """Wrap ``function`` so concurrent callers wait for each other after (or before) calling it.

    Placed between a service's check and its write, it makes both threads pass the check
    before either writes — unless a lock taken earlier keeps the second one out, in which case
    the first gives up waiting after ``timeout`` seconds and carries on alone. So a missing
    lock shows up every time, not only when the scheduler happens to interleave the threads.
    """
    barrier = threading.Barrier(parties)

    def wait() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout)

    def wrapper(*args, **kwargs):
        if before:
            wait()
        result = function(*args, **kwargs)
        if not before:
            wait()
        return result

    return wrapper
