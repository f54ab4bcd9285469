"""Benchmark: the monthly attendance XLSX of 100,000 check-ins against a bare XlsxWriter write.

Run by hand, never by CI (pytest only collects ``tests/test_*.py``). It needs a SCRATCH
database of its own: it migrates it, bulk-loads one department of about 5,000 people with a
month of check-ins, and writes to it.

    createdb -h 127.0.0.1 -U postgres mktdept_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_bench_reports \\
        .venv/bin/python bench/reports.py [--checkins 100000 --month 2026-04 --runs 3]
    dropdb -h 127.0.0.1 -U postgres mktdept_bench_reports

The same safety rules as bench/attendance.py: no ``DATABASE_URL``, no run; a database holding a
user this benchmark did not create (``bench-*``) is refused; an earlier run is refused unless
``--reset`` is given, which deletes it. ``MKTDEPT_REPORTS_ROOT`` is pointed at a temporary
directory that is removed at the end.

Every measurement runs in a fresh ``python bench/reports.py --child ...`` process, so that its
peak RSS belongs to that one scenario. Peak RSS is the kernel's ``VmHWM`` of the child: reset
when the clock starts (``/proc/self/clear_refs``) for the step's own peak, and the larger of that
and the peak before the clock for the process. ``getrusage(RUSAGE_SELF).ru_maxrss`` is not used:
on Linux it carries the parent's peak over ``fork`` and ``exec``. The scenarios are run
round-robin, ``--runs`` times each, and the median is reported. Scenarios:

- ``report``: ``report_job_build(job_id=...)`` of a ``ReportJob`` for ``attendance_monthly``,
  format ``xlsx``, exactly as the Celery task calls it (claim, rows, ``write_xlsx``, save to the
  ``reports`` storage, mark done);
- ``report rows only``: the report's ``rows()`` generator consumed without a writer (where the
  time goes, not part of the target);
- ``bare XlsxWriter``: the same two sheets, rows and cells written with XlsxWriter
  (``constant_memory``), from data read before the clock starts;
- ``queries + bare XlsxWriter``: the same, with the queries that read the data inside the clock
  (department, leave types, the calendar's two, and ``values_list`` of people, check-ins,
  notices and leave);
- ``bare openpyxl``: the same rows with openpyxl ``write_only``, data read before the clock.

After the runs the sheets of the report's file and of the bare XlsxWriter file are compared
byte for byte, so that "the same rows" is checked, not assumed. See docs/benchmarks.md.
"""

import argparse
import contextlib
import datetime
import gc
import hashlib
import json
import os
import random
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPORT_CODE = "attendance_monthly"
DEPARTMENT_CODE = "BENCH"
TARGET_RATIO = 2.0  # the report may take at most 2x the bare writer's time
TARGET_PEAK_MB = 150.0  # and stay under 150 MB peak RSS
MB = 1024 * 1024

SCENARIOS = {
    "report": "report (report_job_build, XLSX)",
    "rows": "report rows only (no writer)",
    "bare": "bare XlsxWriter (constant_memory)",
    "query-bare": "queries + bare XlsxWriter",
    "openpyxl": "bare openpyxl (write_only)",
}


def _attendance_bench():
    """bench/attendance.py, for its safety checks and helpers (imported, never changed)."""
    from bench import attendance

    return attendance


def _prefix() -> str:
    return f"{_attendance_bench().USER_PREFIX}rpt-"


# ---------------------------------------------------------------------------------------------
# Set-up and safety


def _parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkins", type=int, default=100_000, help="check-ins in the month (default 100000)")
    parser.add_argument("--month", default="2026-04", help="the month, YYYY-MM, in the past (default 2026-04)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per scenario; the median is kept (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed report builds first (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated month (default 1)")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the extra tracemalloc run per scenario")
    parser.add_argument("--profile", action="store_true", help="also build the report once under cProfile")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--reset", action="store_true", help="delete the rows of an earlier bench run first")
    parser.add_argument("--keep-files", action="store_true", help="keep the temporary directory of the files")
    # Internal: one measurement in a fresh process.
    parser.add_argument("--child", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    match = re.fullmatch(r"(\d{4})-(\d{2})", args.month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        parser.error("--month must be YYYY-MM")
    args.year, args.month_number = int(match.group(1)), int(match.group(2))
    if args.checkins < 1 or args.runs < 1 or args.warmup < 0:
        parser.error("need --checkins >= 1, --runs >= 1, --warmup >= 0")
    return args


def _setup_django() -> None:
    """As bench/attendance.py, without its URLconf: a report build needs no URLs."""
    if not os.environ.get("DATABASE_URL"):
        raise _attendance_bench().BenchError(
            "Set DATABASE_URL to a scratch database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_bench_reports (the default is the "
            "development SQLite file, which this benchmark will not touch)."
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "mktdept.settings.base"
    os.environ["DJANGO_DEBUG"] = "true"  # the convention of bench/; measurements run with DEBUG=False
    import django

    django.setup()


def _delete_earlier_run() -> int:
    """Everything an earlier run of this benchmark (or of bench/attendance.py) left."""
    from django.db import transaction

    from apps.accounts.models import User
    from apps.org.models import Department
    from apps.reports.models import ReportJob

    bench = _attendance_bench()
    ours = User.objects.filter(username__startswith=bench.USER_PREFIX)
    with transaction.atomic():
        count = ReportJob.objects.filter(requested_by__in=ours).delete()[0]
        count += bench._delete_bench_rows(users_too=True)
        count += Department.objects.filter(code=DEPARTMENT_CODE).delete()[0]
    return count


# ---------------------------------------------------------------------------------------------
# Data

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯健俊帆帅旭宁晨"
DESTINATIONS = ["上海瑞金医院", "杭州邵逸夫医院", "南京鼓楼医院", "苏州大学附一院", "北京协和医院"]


def _plan_people(*, working: list, target: int, rng: random.Random) -> list[dict]:
    """Each person's month: approved leave, field-work notices and check-ins, until ``target`` check-ins."""
    people, total = [], 0
    while total < target:
        n = len(people)
        plan = {"leave": [], "notices": [], "check_ins": []}
        i = 0
        while i < len(working):
            day, roll = working[i], rng.random()
            if n and roll < 0.01:  # approved leave (the head, person 0, approves and takes none)
                code = rng.choices(["annual", "personal", "sick"], weights=[3, 4, 2])[0]
                span = working[i : i + {"annual": rng.randint(1, 5), "personal": 1, "sick": rng.randint(1, 2)}[code]]
                half = code == "personal" and rng.random() < 0.4  # the afternoon off: checks in that morning
                plan["leave"].append((code, span, half))
                if not half:
                    i += len(span)
                    continue
            elif roll < 0.03:  # field work: no check-in on those days
                span = working[i : i + rng.choice([1, 1, 2])]
                plan["notices"].append((span, rng.choice(DESTINATIONS)))
                i += len(span)
                continue
            elif roll < 0.04:  # absent without a reason
                i += 1
                continue
            late_by = rng.gauss(-12, 11)  # minutes after office start; about 6 % beyond the grace period
            plan["check_ins"].append((day, late_by, rng.randint(0, 59)))
            i += 1
        plan["check_ins"] = plan["check_ins"][: target - total]
        total += len(plan["check_ins"])
        people.append(plan)
    return people


def _load_month(*, year: int, month: int, target: int, seed: int) -> dict:
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.attendance.models import CheckIn, FieldWorkNotice
    from apps.attendance.selectors import month_bounds
    from apps.leave.models import LeaveRequest, LeaveType, half_day_slot
    from apps.org.models import Department
    from apps.workcalendar.calendar import Half, calendar_for

    rng = random.Random(seed)
    start, end = month_bounds(year, month)
    if end >= timezone.localdate():
        raise _attendance_bench().BenchError(f"--month {year:04d}-{month:02d} is not over yet: pick a past month.")
    calendar = calendar_for(start, end)
    working = calendar.working_days(start, end)
    plans = _plan_people(working=working, target=target, rng=rng)
    prefix = _prefix()
    password = make_password(secrets.token_urlsafe(24))  # usable, hashed once, known to nobody

    with transaction.atomic():
        department = Department.objects.create(code=DEPARTMENT_CODE, name="基准测试部", name_en="Benchmark")
        people = User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}{n:05d}",
                    full_name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2]))),
                    email=f"{prefix}{n:05d}@example.com",
                    employee_no=f"R{n:05d}",
                    department=department,
                    password=password,
                )
                for n in range(len(plans))
            ],
            batch_size=1000,
        )
        head = people[0]
        department.head = head
        department.leave_approver = head
        department.save(update_fields=["head", "leave_approver", "updated_at"])
        types = {t.code: t for t in LeaveType.objects.all()}
        office_start, grace = department.office_start, department.late_grace_minutes

        check_ins, notices, leaves = [], [], []
        for person, plan in zip(people, plans, strict=True):
            for day, late_by, second in plan["check_ins"]:
                naive = datetime.datetime.combine(day, office_start) + datetime.timedelta(minutes=late_by)
                at = timezone.make_aware(naive.replace(second=second, microsecond=0))
                check_ins.append(
                    CheckIn(
                        user=person,
                        date=day,
                        checked_in_at=at,
                        is_late=late_by > grace,
                        on_working_day=True,
                    )
                )
            for span, destination in plan["notices"]:
                deadline = timezone.make_aware(
                    datetime.datetime.combine(calendar.previous_working_day(span[0]), department.office_end)
                )
                notices.append(
                    FieldWorkNotice(
                        user=person,
                        start_date=span[0],
                        end_date=span[-1],
                        destination=destination,
                        purpose="设备演示与客户回访",
                        filed_at=deadline - datetime.timedelta(hours=rng.randint(2, 30)),
                        deadline=deadline,
                    )
                )
            for code, span, half in plan["leave"]:
                start_half = Half.AFTERNOON if half else Half.MORNING
                decided = timezone.make_aware(
                    datetime.datetime.combine(span[0] - datetime.timedelta(days=3), datetime.time(17, 30))
                )
                leaves.append(
                    LeaveRequest(
                        user=person,
                        leave_type=types[code],
                        start_date=span[0],
                        start_half=start_half,
                        end_date=span[-1],
                        end_half=Half.AFTERNOON,
                        start_slot=half_day_slot(span[0], start_half),
                        end_slot=half_day_slot(span[-1], Half.AFTERNOON),
                        days=Decimal("0.5") if half else Decimal(len(span)),
                        reason="家中有事" if code == "personal" else "休假",
                        handover_to=head,
                        handover_notes="客户回访已交代。",
                        status=LeaveRequest.Status.APPROVED,
                        approver=head,
                        decided_by=head,
                        decided_at=decided,
                    )
                )
        CheckIn.objects.bulk_create(check_ins, batch_size=5000)
        FieldWorkNotice.objects.bulk_create(notices, batch_size=5000)
        LeaveRequest.objects.bulk_create(leaves, batch_size=2000)
    return {
        "people": len(people),
        "check_ins": len(check_ins),
        "notices": len(notices),
        "leave": len(leaves),
        "days": (end - start).days + 1,
        "working_days": len(working),
        "holidays": sorted(
            {
                name
                for d in range((end - start).days + 1)
                if (name := calendar.holiday_name(start + datetime.timedelta(days=d)))
            }
        ),
        "requester": head.username,
    }


# ---------------------------------------------------------------------------------------------
# The bare writers' data: values_list queries into plain dicts and tuples


class PlainMonth:
    """What the report shows, read with values_list and kept as tuples: no model instances."""

    def __init__(self, *, department_code: str, year: int, month: int, language: str):
        from django.conf import settings
        from django.utils import timezone, translation
        from django.utils.formats import date_format
        from django.utils.translation import gettext as _

        from apps.accounts.models import User
        from apps.attendance.models import CheckIn, FieldWorkNotice
        from apps.attendance.selectors import month_bounds
        from apps.leave.models import LeaveRequest, LeaveType
        from apps.org.models import Department
        from apps.workcalendar.calendar import calendar_for

        start, end = month_bounds(year, month)
        department = Department.objects.get(code=department_code)
        people = User.objects.filter(is_active=True, department=department)
        today = timezone.localdate()
        tz = timezone.get_default_timezone()
        with translation.override(language):
            self.department = str(department)
            self.leave_types = [(t.pk, t.display_name) for t in LeaveType.objects.order_by("sort_order", "code")]
            type_names = dict(self.leave_types)
            self.yes, self.no, self.total = _("yes"), _("no"), _("Total")
            self.afternoon, self.morning = _("%(type)s (afternoon)"), _("%(type)s (morning)")
            calendar = calendar_for(start, end)
            self.days = []
            day = start
            while day <= end:
                self.days.append(
                    (day, date_format(day, "l"), calendar.is_working_day(day), calendar.holiday_name(day), day < today)
                )
                day += datetime.timedelta(days=1)
        self.people = list(people.order_by("full_name", "username").values_list("pk", "employee_no", "full_name"))
        self.check_ins = defaultdict(dict)
        for user_id, day, at, late in CheckIn.objects.filter(user__in=people, date__range=(start, end)).values_list(
            "user_id", "date", "checked_in_at", "is_late"
        ):
            self.check_ins[user_id][day] = (at.astimezone(tz).time().replace(second=0, microsecond=0), late)
        self.notices = defaultdict(list)
        for user_id, first, last, destination in FieldWorkNotice.objects.filter(
            user__in=people, status=FieldWorkNotice.Status.ACTIVE, start_date__lte=end, end_date__gte=start
        ).values_list("user_id", "start_date", "end_date", "destination"):
            self.notices[user_id].append((first, last, destination))
        self.leave = defaultdict(list)
        for user_id, first, first_half, last, last_half, type_id in LeaveRequest.objects.filter(
            user__in=people, status=LeaveRequest.Status.APPROVED, start_date__lte=end, end_date__gte=start
        ).values_list("user_id", "start_date", "start_half", "end_date", "end_half", "leave_type_id"):
            self.leave[user_id].append((first, first_half, last, last_half, type_id, type_names[type_id]))
        self.settings_language = settings.LANGUAGE_CODE

    def rows(self):
        """The report's rows, cell for cell, in the report's order (a person's summary, then their days)."""
        from decimal import Decimal

        from apps.workcalendar.calendar import Half

        yes, no = self.yes, self.no
        half = Decimal("0.5")
        totals = [0, 0, 0, 0, 0]
        leave_totals = defaultdict(Decimal)
        for pk, number, name in self.people:
            check_ins, notices, leaves = self.check_ins.get(pk, {}), self.notices.get(pk, ()), self.leave.get(pk, ())
            working = present = late = field = unexcused = 0
            leave_days = defaultdict(Decimal)
            days = []
            for day, weekday, is_working, holiday, is_past in self.days:
                hit = check_ins.get(day)
                places = [d for first, last, d in notices if first <= day <= last] if notices else ()
                labels = []
                for first, first_half, last, last_half, type_id, type_name in leaves:
                    if first <= day <= last:
                        share, label = Decimal(1), type_name
                        if day == first and first_half == Half.AFTERNOON:
                            share, label = share - half, self.afternoon % {"type": type_name}
                        if day == last and last_half == Half.MORNING:
                            share, label = share - half, self.morning % {"type": type_name}
                        labels.append(label)
                        if is_working:
                            leave_days[type_id] += share
                missing = is_past and is_working and hit is None and not places and not labels
                if is_working:
                    working += 1
                    present += hit is not None
                    late += hit is not None and hit[1]
                    field += bool(places)
                    unexcused += missing
                days.append(
                    [
                        number,
                        name,
                        day,
                        weekday,
                        yes if is_working else no,
                        holiday,
                        hit[0] if hit else "",
                        yes if hit and hit[1] else "",
                        "; ".join(places),
                        "; ".join(labels),
                        yes if missing else "",
                    ]
                )
            yield (
                "summary",
                [
                    number,
                    name,
                    self.department,
                    working,
                    present,
                    late,
                    field,
                    *[leave_days.get(t, Decimal(0)) for t, _name in self.leave_types],
                    unexcused,
                ],
            )
            for i, value in enumerate((working, present, late, field, unexcused)):
                totals[i] += value
            for type_id, value in leave_days.items():
                leave_totals[type_id] += value
            for row in days:
                yield "days", row
        yield (
            "summary",
            [
                "",
                self.total,
                self.department,
                *totals[:4],
                *[leave_totals.get(t, Decimal(0)) for t, _n in self.leave_types],
            ]
            + [totals[4]],
        )


def _write_bare_xlsxwriter(path: Path, sheets, rows) -> int:
    """Plain XlsxWriter: the report's formats, widths and header, typed write calls, nothing else."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "default_date_format": "yyyy-mm-dd"}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    date_cell = workbook.add_format({"num_format": "yyyy-mm-dd"})
    workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})  # unused here; keeps the same styles.xml
    time_cell = workbook.add_format({"num_format": "hh:mm"})
    worksheets, next_row = {}, {}
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.title[:31])
        for col, width in enumerate(sheet.widths):
            worksheet.set_column(col, col, width)
        worksheet.write_row(0, 0, [str(h) for h in sheet.header], bold)
        worksheet.freeze_panes(1, 0)
        worksheets[sheet.key], next_row[sheet.key] = worksheet, 1
    write_string, write_number, write_datetime = (
        xlsxwriter.worksheet.Worksheet.write_string,
        xlsxwriter.worksheet.Worksheet.write_number,
        xlsxwriter.worksheet.Worksheet.write_datetime,
    )
    count = 0
    for key, row in rows:
        worksheet, r = worksheets[key], next_row[key]
        for col, value in enumerate(row):
            if value == "":
                continue
            if isinstance(value, str):
                write_string(worksheet, r, col, value)
            elif isinstance(value, datetime.date):
                write_datetime(worksheet, r, col, value, date_cell)
            elif isinstance(value, datetime.time):
                write_datetime(worksheet, r, col, value, time_cell)
            else:
                write_number(worksheet, r, col, float(value))
        next_row[key] = r + 1
        count += 1
    workbook.close()
    return count


def _write_bare_openpyxl(path: Path, sheets, rows) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheets = {}
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:31])
        worksheet.append([str(h) for h in sheet.header])
        worksheets[sheet.key] = worksheet
    count = 0
    for key, row in rows:
        worksheets[key].append([None if value == "" else value for value in row])
        count += 1
    workbook.save(str(path))
    return count


# ---------------------------------------------------------------------------------------------
# One measurement, in a fresh process


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Meter:
    """Wall time, RSS at the start, peak RSS of the measured step and of the whole process,
    tracemalloc's peak (only when asked: it slows Python down), and SQL statements run."""

    def __init__(self, *, trace: bool):
        self.trace = trace
        self.queries = 0

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        import tracemalloc

        from django.db import connection

        gc.collect()
        self.rss_start = _status_mb("VmRSS")
        self.peak_before = _status_mb("VmHWM")  # Django set-up and loading, before the clock
        with contextlib.suppress(OSError):  # reset VmHWM to read the step's own peak (Linux >= 4.0)
            Path("/proc/self/clear_refs").write_text("5")
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        if self.trace:
            tracemalloc.start()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        import tracemalloc

        self.wall = time.perf_counter() - self.started
        self.traced_peak = None
        if self.trace:
            self.traced_peak = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
        self._wrapper.__exit__(*exc)
        self.step_peak = _status_mb("VmHWM")
        # Not getrusage().ru_maxrss: on Linux it carries the parent's peak over fork and exec, so every
        # child would report at least the parent's RSS (about 165 MB once the data is loaded).
        self.process_peak = max(self.peak_before, self.step_peak)
        self.ru_maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return False

    def result(self, **extra) -> dict:
        return {
            "wall": self.wall,
            "rss_start": self.rss_start,
            "step_peak": self.step_peak,
            "process_peak": self.process_peak,
            "ru_maxrss": self.ru_maxrss,
            "traced_peak": self.traced_peak,
            "queries": self.queries,
            **extra,
        }


def _report_sheets(spec):
    from django.utils import translation

    from apps.reports.registry import report_type

    with translation.override(spec["language"]):
        return report_type(REPORT_CODE).sheets(spec["params"])


def _child(scenario: str, spec: dict) -> dict:
    _setup_django()
    from django.test import override_settings

    # DEBUG=False as in production (with DEBUG=True every query is also kept in memory).
    with override_settings(DEBUG=False):
        return _child_measure(scenario, spec)


def _child_measure(scenario: str, spec: dict) -> dict:
    import cProfile
    import importlib
    import io
    import pstats

    from django.utils import translation
    from django.utils.formats import date_format

    from apps.accounts.models import User
    from apps.reports.models import ReportJob
    from apps.reports.registry import report_type
    from apps.reports.services import report_job_build

    language, params, trace = spec["language"], spec["params"], spec["trace"]
    # Import the writer before the clock, as a running worker has it; only the one this scenario uses.
    if scenario != "rows":
        importlib.import_module("openpyxl" if scenario == "openpyxl" else "xlsxwriter")
    with translation.override(language):  # load the catalogue before the clock, as a worker has it
        date_format(datetime.date.today(), "l")  # noqa: DTZ011
    out = Path(spec["out"])
    year, month = (int(x) for x in params["month"].split("-"))

    if scenario == "report":
        job = ReportJob.objects.create(
            report_type=REPORT_CODE,
            params=params,
            format=ReportJob.Format.XLSX,
            title="bench/reports.py",
            language=language,
            requested_by=User.objects.get(username=spec["requester"]),
        )
        profiler = cProfile.Profile() if spec.get("profile") else None
        with Meter(trace=trace) as meter:
            if profiler:
                profiler.enable()
            outcome = report_job_build(job_id=job.pk)
            if profiler:
                profiler.disable()
        job.refresh_from_db()
        if outcome != "done" or job.status != ReportJob.Status.DONE:
            raise RuntimeError(f"report job {job.pk}: {outcome}, {job.status} {job.error_code} {job.error_detail}")
        extra = {"file": job.file.path, "size": job.file_size}
        if profiler:
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text).strip_dirs()
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)
            extra["profile"] = text.getvalue()
        return meter.result(**extra)

    if scenario == "rows":
        report = report_type(REPORT_CODE)
        with translation.override(language), Meter(trace=trace) as meter:
            rows = sum(1 for _row in report.rows(params, lambda share: None))
        return meter.result(rows=rows)

    sheets = _report_sheets(spec)
    path = out / f"{scenario}-{os.getpid()}.xlsx"
    writer = _write_bare_openpyxl if scenario == "openpyxl" else _write_bare_xlsxwriter
    plain_args = {"department_code": params["department"], "year": year, "month": month, "language": language}
    if scenario == "query-bare":
        with Meter(trace=trace) as meter:
            rows = writer(path, sheets, PlainMonth(**plain_args).rows())
    else:
        data = PlainMonth(**plain_args)
        with Meter(trace=trace) as meter:
            rows = writer(path, sheets, data.rows())
    return meter.result(rows=rows, file=str(path), size=path.stat().st_size)


def _run_child(scenario: str, spec: dict) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", scenario, "--spec", json.dumps(spec)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
    if done.returncode != 0:
        raise _attendance_bench().BenchError(f"{scenario}: the child process failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Checks and report


def _sheet_xml(path: str) -> dict[str, tuple[str, str]]:
    """Each worksheet's dimension and SHA-256, read from the XLSX (a zip)."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            digest = hashlib.sha256()
            dimension = ""
            with archive.open(name) as stream:
                while chunk := stream.read(1 << 20):
                    if not dimension:
                        match = re.search(rb'<dimension ref="([^"]+)"', chunk)
                        dimension = match.group(1).decode() if match else "?"
                    digest.update(chunk)
            found[name] = (dimension, digest.hexdigest())
    return found


def _median(results: list[dict], key: str) -> float | None:
    values = [r[key] for r in results if r.get(key) is not None]
    return statistics.median(values) if values else None


def _machine() -> dict[str, str]:
    import openpyxl
    import xlsxwriter

    machine = {"nproc": str(len(os.sched_getaffinity(0)))}
    machine.update(_attendance_bench()._machine())
    try:
        total = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        machine["memory"] = f"{int(total.split()[1]) / MB:.1f} GB"
    except (OSError, StopIteration):
        pass
    machine["XlsxWriter / openpyxl"] = f"{xlsxwriter.__version__} / {openpyxl.__version__}"
    return machine


def _print_report(*, machine, data, results, traced, checks, command) -> dict[str, bool]:
    print("\n## Machine\n")
    for key, value in machine.items():
        print(f"- {key}: {value}")
    print(f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"- command: {command}")
    print("\n## Data\n")
    for key, value in data.items():
        print(f"- {key}: {value}")

    bare = _median(results["bare"], "wall")
    print("\n## Results (median of the runs; each run a fresh process)\n")
    print(
        "| scenario | runs | median s | min s | max s | × bare XlsxWriter | SQL | RSS at start MB "
        "| peak RSS of the step MB | peak RSS of the process MB | tracemalloc peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in SCENARIOS.items():
        runs = results[key]
        walls = [r["wall"] for r in runs]
        median = statistics.median(walls)
        traced_peak = traced.get(key, {}).get("traced_peak")
        print(
            f"| {name} | {len(runs)} | {median:.2f} | {min(walls):.2f} | {max(walls):.2f} | {median / bare:.2f} "
            f"| {runs[0]['queries']} | {_median(runs, 'rss_start'):.0f} | {_median(runs, 'step_peak'):.0f} "
            f"| {_median(runs, 'process_peak'):.0f} | {'' if traced_peak is None else f'{traced_peak:.1f}'} |"
        )
    print("\n## Files\n")
    for line in checks:
        print(f"- {line}")

    report = _median(results["report"], "wall")
    peak = max(r["process_peak"] for r in results["report"])
    ratio = report / bare
    met = {"time": ratio <= TARGET_RATIO, "memory": peak < TARGET_PEAK_MB}
    query_bare = _median(results["query-bare"], "wall")
    print("\n## Targets\n")
    print(
        f"- time: report {report:.2f} s / bare XlsxWriter {bare:.2f} s = {ratio:.3f}× "
        f"(target ≤ {TARGET_RATIO:.0f}×): {'MET' if met['time'] else 'MISSED'}; "
        f"against queries + bare XlsxWriter ({query_bare:.2f} s): {report / query_bare:.2f}×"
    )
    paired = [r["wall"] / b["wall"] for r, b in zip(results["report"], results["bare"], strict=True)]
    print(f"- report / bare XlsxWriter run by run (same round): {', '.join(f'{x:.2f}×' for x in paired)}")
    print(
        f"- memory: report peak RSS {peak:.0f} MB (VmHWM), highest of {len(results['report'])} runs "
        f"(target < {TARGET_PEAK_MB:.0f} MB): {'MET' if met['memory'] else 'MISSED'}; "
        f"getrusage ru_maxrss says {max(r['ru_maxrss'] for r in results['report']):.0f} MB, the parent's peak "
        "carried over fork and exec"
    )
    return met


def _check_files(results: dict, expected_rows: int) -> list[str]:
    lines = []
    report_file = results["report"][0]["file"]
    bare_file = results["bare"][0]["file"]
    report_sheets, bare_sheets = _sheet_xml(report_file), _sheet_xml(bare_file)
    for name, (dimension, digest) in report_sheets.items():
        same = bare_sheets.get(name, ("", ""))[1] == digest
        lines.append(
            f"{name}: report {dimension}, bare XlsxWriter {bare_sheets.get(name, ('missing',))[0]}; "
            f"{'byte-identical' if same else 'DIFFERENT'} XML"
        )
    rows = {key: results[key][0].get("rows") for key in ("rows", "bare", "query-bare", "openpyxl")}
    lines.append(f"rows written (both sheets, without headers): expected {expected_rows}, got {rows}")
    sizes = {key: results[key][0].get("size") for key in ("report", "bare", "openpyxl")}
    lines.append("file sizes: " + ", ".join(f"{k} {v / MB:.1f} MB" for k, v in sizes.items()))
    return lines


def main(argv=None) -> int:
    args = _parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, json.loads(args.spec))))
        return 0
    bench = _attendance_bench()
    files = Path(tempfile.mkdtemp(prefix="mktdept-bench-reports-"))
    # Report files go to a temporary directory, never var/reports; the children inherit this.
    os.environ["MKTDEPT_REPORTS_ROOT"] = str(files / "storage")
    try:
        _setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        bench._database_guard(reset=args.reset)
        print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')!r}; migrating…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        if args.reset:
            print(f"--reset: deleted the earlier run ({_delete_earlier_run()} rows).")

        started = time.perf_counter()
        data = _load_month(year=args.year, month=args.month_number, target=args.checkins, seed=args.seed)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum would do after a load like this
        print(f"Loaded in {time.perf_counter() - started:.1f} s: {data}", flush=True)
        expected_rows = data["people"] * data["days"] + data["people"] + 1
        data["rows the report writes (detail + summary + total)"] = (
            f"{data['people'] * data['days']} + {data['people']} + 1 = {expected_rows}"
        )
        spec = {
            "params": {"department": DEPARTMENT_CODE, "month": f"{args.year:04d}-{args.month_number:02d}"},
            "language": settings.LANGUAGE_CODE,
            "requester": data.pop("requester"),
            "out": str(files),
            "trace": False,
        }
        connection.close()

        for n in range(args.warmup):
            print(f"Warm-up build {n + 1}/{args.warmup}…", flush=True)
            _run_child("report", spec)
        results = {key: [] for key in SCENARIOS}
        for n in range(args.runs):
            for key, name in SCENARIOS.items():
                result = _run_child(key, spec)
                results[key].append(result)
                print(
                    f"run {n + 1}/{args.runs} {name}: {result['wall']:.2f} s, peak RSS {result['process_peak']:.0f} MB",
                    flush=True,
                )
        traced = {}
        if not args.no_tracemalloc:
            for key, name in SCENARIOS.items():
                traced[key] = _run_child(key, {**spec, "trace": True})
                print(f"tracemalloc {name}: peak {traced[key]['traced_peak']:.1f} MB", flush=True)
        checks = _check_files(results, expected_rows)
        command = "DATABASE_URL=… .venv/bin/python bench/reports.py " + " ".join(sys.argv[1:] if argv is None else argv)
        met = _print_report(
            machine=_machine(), data=data, results=results, traced=traced, checks=checks, command=command
        )
        if args.profile:
            profiled = _run_child("report", {**spec, "profile": True})
            print(f"\n## cProfile of one report build ({profiled['wall']:.2f} s under the profiler)\n")
            print(profiled["profile"])
    except bench.BenchError as exc:
        print(f"bench/reports.py: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep_files:
            print(f"Files kept in {files}")
        else:
            shutil.rmtree(files, ignore_errors=True)
    if args.strict and not all(met.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
