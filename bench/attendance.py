"""Benchmark: check-in, the approval queue and the monthly summary against a bare Django view.

Run by hand, never by CI (pytest only collects ``tests/test_*.py``). It needs a SCRATCH
database of its own: it migrates it, bulk-loads staff with years of history and writes to it.

    createdb -h 127.0.0.1 -U postgres mktdept_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_bench \\
        .venv/bin/python bench/attendance.py [--staff 50 --years 3 --requests 300]
    dropdb -h 127.0.0.1 -U postgres mktdept_bench

It refuses a database holding any user it did not create (``bench-*``); a database left by an
earlier run is refused too unless ``--reset`` is given, which deletes that earlier run's rows.

Every request goes through Django's test ``Client`` in this process (no network, no web
server), one at a time, with the full middleware stack of ``mktdept.settings.base``. The bare
view is served by the same client and session, so its time is the cost of the framework,
the middleware and the session; the pages' time above it is their own work. See
docs/benchmarks.md for figures and how to read them.
"""

import argparse
import datetime
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USER_PREFIX = "bench-"
OVERRIDE_REASON = "bench/attendance.py: today counts as a working day"
BARE_PATH = "__bench__/bare/"

# The benchmark's URLconf: the project's URLs plus the bare view. Filled in by
# _install_urlconf() once Django is set up (including mktdept.urls needs the app registry).
urlpatterns: list = []
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"


class BenchError(RuntimeError):
    """The run cannot go on (unsafe database, a request that did not do what it should)."""


def bare_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def _install_urlconf() -> None:
    from django.urls import include, path

    urlpatterns[:] = [path(BARE_PATH, bare_view, name="bench_bare"), path("", include("mktdept.urls"))]


# ---------------------------------------------------------------------------------------------
# Set-up and safety


def _parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=50, help="staff members besides the head (default 50)")
    parser.add_argument("--years", type=int, default=3, help="years of history ending yesterday (default 3)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per scenario (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests before each scenario (default 30)")
    parser.add_argument("--pending", type=int, default=200, help="pending leave requests in the queue (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated history (default 1)")
    parser.add_argument("--reset", action="store_true", help="delete the rows of an earlier bench run first")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each page")
    args = parser.parse_args(argv)
    if args.staff < 2 or args.years < 1 or args.requests < 1 or args.warmup < 0 or args.pending < 0:
        parser.error("need --staff >= 2, --years >= 1, --requests >= 1, --warmup >= 0, --pending >= 0")
    return args


def _setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise BenchError(
            "Set DATABASE_URL to a scratch database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_bench (the default is the development "
            "SQLite file, which this benchmark will not touch)."
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "mktdept.settings.base"
    # DEBUG=true keeps SECURE_SSL_REDIRECT and secure cookies off for the test client over plain
    # HTTP; the timed requests run with settings.DEBUG=False (see _measure_all()).
    os.environ["DJANGO_DEBUG"] = "true"
    import django

    django.setup()
    _install_urlconf()


def _database_guard(*, reset: bool) -> None:
    """Refuse a database with users this benchmark did not create, before migrating anything."""
    from django.db import connection

    if "accounts_user" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE username NOT LIKE %s", [USER_PREFIX + "%"])
        (foreign,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE username LIKE %s", [USER_PREFIX + "%"])
        (ours,) = cursor.fetchone()
    name = connection.settings_dict.get("NAME")
    if foreign:
        raise BenchError(
            f"Database {name!r} holds {foreign} user(s) not created by this benchmark. It writes and deletes "
            "data: point DATABASE_URL at a scratch database (createdb ... mktdept_bench)."
        )
    if ours and not reset:
        raise BenchError(f"Database {name!r} holds an earlier bench run; pass --reset to delete it, or recreate it.")


def _delete_bench_rows(*, users_too: bool) -> int:
    """Delete what this benchmark writes for its ``bench-*`` users (and, if asked, the users)."""
    from django.db import transaction
    from django.db.models import Q

    from apps.accounts.models import User
    from apps.attendance.models import CheckIn, FieldWorkNotice
    from apps.leave.models import CompTimeEntry, CompTimeGrantRequest, LeaveEvent, LeaveRequest
    from apps.notifications.models import Notification
    from apps.org.models import Department
    from apps.workcalendar.models import CalendarOverride

    ours = User.objects.filter(username__startswith=USER_PREFIX)
    count = 0
    with transaction.atomic():
        for qs in (
            Notification.objects.filter(recipient__in=ours),
            LeaveEvent.objects.filter(Q(actor__in=ours) | Q(request__user__in=ours)),
            CompTimeEntry.objects.filter(user__in=ours),
            CompTimeGrantRequest.objects.filter(user__in=ours),
            LeaveRequest.objects.filter(Q(user__in=ours) | Q(handover_to__in=ours) | Q(approver__in=ours)),
            CheckIn.objects.filter(user__in=ours),
            FieldWorkNotice.objects.filter(user__in=ours),
        ):
            count += qs.delete()[0]
        if users_too:
            count += CalendarOverride.objects.filter(reason=OVERRIDE_REASON).delete()[0]
            Department.objects.filter(head__in=ours).update(head=None)
            count += ours.delete()[0]
    return count


# ---------------------------------------------------------------------------------------------
# Data


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _create_people(staff_count: int):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.roles import RoleName
    from apps.org.models import Department
    from apps.workcalendar.calendar import calendar_for
    from apps.workcalendar.models import CalendarOverride

    department = Department.objects.get(code="MKT")  # seeded by apps/org/migrations/0003
    unusable = make_password(None)  # nobody logs in with a password; the client uses force_login
    head = User.objects.create(
        username=f"{USER_PREFIX}head",
        full_name="测试部长",
        email="bench-head@example.com",
        employee_no="B0000",
        department=department,
        password=unusable,
    )
    staff = User.objects.bulk_create(
        [
            User(
                username=f"{USER_PREFIX}staff-{n:03d}",
                full_name=f"测试员工{n:03d}",
                email=f"bench-staff-{n:03d}@example.com",
                employee_no=f"B{n:04d}",
                department=department,
                password=unusable,
            )
            for n in range(1, staff_count + 1)
        ]
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=[RoleName.DEPARTMENT_MANAGER, RoleName.STAFF])}
    through = User.groups.through
    links = [through(user_id=head.pk, group_id=groups[RoleName.DEPARTMENT_MANAGER].pk)]
    links += [through(user_id=u.pk, group_id=groups[RoleName.STAFF].pk) for u in [head, *staff]]
    through.objects.bulk_create(links)
    department.head = head
    department.save(update_fields=["head", "updated_at"])

    # Check-in takes its full path (the late check) only on a working day: make today one.
    today = timezone.localdate()
    if not calendar_for(today).is_working_day(today):
        CalendarOverride.objects.create(date=today, is_working=True, reason=OVERRIDE_REASON)
    return department, head, staff


def _load_history(*, department, head, staff, days: int, pending: int, seed: int) -> None:
    """Bulk-load ``days`` calendar days of history ending yesterday, and ``pending`` requests ahead."""
    from django.db import transaction
    from django.utils import timezone

    from apps.attendance.models import CheckIn, FieldWorkNotice
    from apps.leave.models import CompTimeGrantRequest, LeaveEvent, LeaveRequest, LeaveType, half_day_slot
    from apps.notifications.models import Notification
    from apps.workcalendar.calendar import Half, calendar_for

    rng = random.Random(seed)
    today = timezone.localdate()
    last = today - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=days - 1)
    horizon = today + datetime.timedelta(days=180)
    calendar = calendar_for(first, horizon)
    history = calendar.working_days(first, last)
    future = calendar.working_days(today + datetime.timedelta(days=1), horizon)
    types = {t.code: t for t in LeaveType.objects.all()}
    start_at = department.office_start
    grace = department.late_grace_minutes

    def aware(day, hour, minute):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def moment(day, minutes_from_start):
        base = datetime.datetime.combine(day, start_at) + datetime.timedelta(minutes=minutes_from_start)
        return timezone.make_aware(base)

    check_ins, notices, leaves, leave_meta = [], [], [], []
    for person in [head, *staff]:
        others = [p for p in staff if p.pk != person.pk]
        i = 0
        while i < len(history):
            day = history[i]
            roll = rng.random()
            takes_leave = person is not head and roll < 0.022
            if takes_leave:
                code = rng.choices(["annual", "personal", "sick"], weights=[3, 4, 2])[0]
                length = {"annual": rng.randint(1, 5), "personal": 1, "sick": rng.randint(1, 2)}[code]
                span = history[i : i + length]
                half = code == "personal" and rng.random() < 0.4  # the afternoon off
                fate = rng.choices(["approved", "rejected", "withdrawn"], weights=[88, 7, 5])[0]
                start_half = Half.AFTERNOON if half else Half.MORNING
                leave = LeaveRequest(
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
                    handover_to=rng.choice(others),
                    handover_notes="客户回访与招标跟进已交代。",
                    status=fate,
                    approver=head,
                    decided_by=None if fate == "withdrawn" else head,
                    decided_at=None if fate == "withdrawn" else aware(span[0] - datetime.timedelta(days=2), 17, 30),
                )
                leaves.append(leave)
                leave_meta.append(fate)
                if fate == "approved" and not half:
                    i += len(span)
                    continue
            elif roll < 0.022 + 0.05:
                length = rng.choice([1, 1, 2])
                span = history[i : i + length]
                deadline = timezone.make_aware(
                    datetime.datetime.combine(calendar.previous_working_day(span[0]), department.office_end)
                )
                notices.append(
                    FieldWorkNotice(
                        user=person,
                        start_date=span[0],
                        end_date=span[-1],
                        destination=rng.choice(["上海瑞金医院", "杭州邵逸夫医院", "南京鼓楼医院", "苏州大学附一院"]),
                        purpose="设备演示与客户回访",
                        filed_at=deadline - datetime.timedelta(hours=rng.randint(2, 30)),
                        deadline=deadline,
                        status=FieldWorkNotice.Status.WITHDRAWN if rng.random() < 0.05 else "active",
                    )
                )
                i += len(span)
                continue
            if rng.random() < 0.01:  # an unexcused absence now and then
                i += 1
                continue
            late = rng.random() < 0.07
            offset = rng.randint(grace + 1, 50) if late else rng.randint(-40, grace)
            check_ins.append(
                CheckIn(
                    user=person,
                    date=day,
                    checked_in_at=moment(day, offset),
                    is_late=late,
                    on_working_day=True,
                    ip_address=f"10.0.0.{rng.randint(2, 250)}",
                )
            )
            i += 1

    # The approval queue: requests from tomorrow on, none of one person's overlapping.
    taken = {p.pk: set() for p in staff}
    for n in range(pending):
        person = staff[n % len(staff)]
        for _attempt in range(100):
            at = rng.randrange(len(future))
            length = rng.randint(1, 3)
            span = future[at : at + length]
            if not taken[person.pk].intersection(span):
                break
        else:
            raise BenchError("could not place the pending requests without overlap; use fewer --pending")
        taken[person.pk].update(span)
        code = rng.choice(["annual", "personal"])
        leaves.append(
            LeaveRequest(
                user=person,
                leave_type=types[code],
                start_date=span[0],
                start_half=Half.MORNING,
                end_date=span[-1],
                end_half=Half.AFTERNOON,
                start_slot=half_day_slot(span[0], Half.MORNING),
                end_slot=half_day_slot(span[-1], Half.AFTERNOON),
                days=Decimal(len(span)),
                reason="年假" if code == "annual" else "家中有事",
                handover_to=rng.choice([p for p in staff if p.pk != person.pk]),
                handover_notes="客户回访与招标跟进已交代。",
                approver=head,
            )
        )
        leave_meta.append("pending")

    # A few comp-time requests for worked weekends, waiting in the same queue.
    recent = (last - datetime.timedelta(days=k) for k in range(min(120, (last - first).days + 1)))
    weekends = [d for d in recent if not calendar.is_working_day(d)]
    grants = [
        CompTimeGrantRequest(
            user=staff[n % len(staff)], work_date=weekends[n], days=Decimal("1"), reason="周末布展", approver=head
        )
        for n in range(min(10, len(weekends)))
    ]

    with transaction.atomic():
        CheckIn.objects.bulk_create(check_ins, batch_size=5000)
        FieldWorkNotice.objects.bulk_create(notices, batch_size=5000)
        LeaveRequest.objects.bulk_create(leaves, batch_size=2000)
        CompTimeGrantRequest.objects.bulk_create(grants)
        events, notes = [], []
        for leave, fate in zip(leaves, leave_meta, strict=True):
            events.append(LeaveEvent(request=leave, actor=leave.user, from_status="", to_status="pending"))
            url = f"/leave/{leave.pk}/"
            if fate == "pending":
                notes.append(Notification(recipient=head, title=f"待审批:{leave.user.full_name}", url=url))
                continue
            actor = leave.user if fate == "withdrawn" else head
            events.append(LeaveEvent(request=leave, actor=actor, from_status="pending", to_status=fate))
            read = aware(leave.start_date - datetime.timedelta(days=1), 9, 0)
            notes.append(Notification(recipient=leave.user, title=f"请假{fate}", url=url, read_at=read))
            notes.append(Notification(recipient=head, title=f"待审批:{leave.user.full_name}", url=url, read_at=read))
        LeaveEvent.objects.bulk_create(events, batch_size=5000)
        Notification.objects.bulk_create(notes, batch_size=5000)


def _row_counts() -> dict[str, int]:
    from django.db.models import Count

    from apps.accounts.models import User
    from apps.attendance.models import CheckIn, FieldWorkNotice
    from apps.leave.models import CompTimeGrantRequest, LeaveEvent, LeaveRequest
    from apps.notifications.models import Notification

    by_status = dict(LeaveRequest.objects.values_list("status").annotate(n=Count("id")))
    first_last = CheckIn.objects.order_by("date").values_list("date", flat=True)
    return {
        "users": User.objects.count(),
        "check-ins": CheckIn.objects.count(),
        "check-ins from": first_last.first(),
        "check-ins to": first_last.last(),
        "field-work notices": FieldWorkNotice.objects.count(),
        "leave requests": sum(by_status.values()),
        **{f"  leave {status}": n for status, n in sorted(by_status.items())},
        "leave events": LeaveEvent.objects.count(),
        "comp-time requests (pending)": CompTimeGrantRequest.objects.count(),
        "notifications": Notification.objects.count(),
    }


# ---------------------------------------------------------------------------------------------
# Measurement


def _percentile(sorted_values, pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


def _shape(sql: str) -> str:
    """The SQL with its literal values blanked, to spot the same query run again and again."""
    return re.sub(r"\b\d+\b", "?", re.sub(r"'[^']*'", "?", sql))


class Scenario:
    """One kind of request: how to send it, what a correct answer is, untimed work between."""

    def __init__(self, name, send, *, expect=200, between=None, verify=None):
        self.name, self.send, self.expect, self.between, self.verify = name, send, expect, between, verify

    def run(self, n: int, *, verify: bool = True) -> list[float]:
        latencies = []
        for i in range(n):
            if self.between:
                self.between(i)
            started = time.perf_counter()
            response = self.send(i)
            latencies.append(time.perf_counter() - started)
            if response.status_code != self.expect:
                raise BenchError(f"{self.name}: HTTP {response.status_code}, expected {self.expect}")
            if verify and self.verify:
                self.verify(i, response)
        return latencies

    def queries(self) -> list[str]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if self.between:
            self.between(0)
        with CaptureQueriesContext(connection) as ctx:
            response = self.send(0)
        if response.status_code != self.expect:
            raise BenchError(f"{self.name}: HTTP {response.status_code}, expected {self.expect}")
        return [q["sql"] for q in ctx.captured_queries]


def _scenarios(*, head, staff, queue_rows: int):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from apps.attendance.models import CheckIn

    backend = "django.contrib.auth.backends.ModelBackend"
    head_client = Client()
    head_client.force_login(head, backend=backend)
    staff_clients = []
    for person in staff:
        client = Client()
        client.force_login(person, backend=backend)
        staff_clients.append(client)

    today = timezone.localdate()
    checkin_url = reverse("attendance:checkin")
    queue_url = reverse("leave:queue")
    summary_url = f"{reverse('attendance:summary')}?month={today:%Y-%m}"
    bare_url = reverse("bench_bare")
    staff_ids = [p.pk for p in staff]
    posted = {"count": 0}

    def fresh_day():
        """Remove today's check-ins (one per person and day) and the clients' flash messages."""
        if posted["count"]:
            made = CheckIn.objects.filter(user_id__in=staff_ids, date=today).count()
            if made != posted["count"]:
                raise BenchError(f"check-in: {posted['count']} posts made {made} check-ins")
        CheckIn.objects.filter(user_id__in=staff_ids, date=today).delete()
        for client in staff_clients:
            client.cookies.pop("messages", None)
        posted["count"] = 0

    def checkin_between(i):
        if i % len(staff_clients) == 0:
            fresh_day()

    def checkin_send(i):
        posted["count"] += 1
        return staff_clients[i % len(staff_clients)].post(checkin_url)

    def bare_post_between(i):
        if i % len(staff_clients) == 0:
            for client in staff_clients:
                client.cookies.pop("messages", None)

    def expect_rows(marker, minimum):
        def verify(_i, response):
            found = response.content.count(marker)
            if found < minimum:
                raise BenchError(f"page shows {found} rows, expected at least {minimum}")

        return verify

    return [
        Scenario("check-in (POST attendance:checkin)", checkin_send, expect=302, between=checkin_between),
        Scenario(
            "approval queue (GET leave:queue, head)",
            lambda i: head_client.get(queue_url),
            verify=expect_rows(b'data-testid="queue-row"', queue_rows),
        ),
        Scenario(
            "monthly summary (GET attendance:summary, head)",
            lambda i: head_client.get(summary_url),
            verify=expect_rows(b"<tr>", len(staff)),
        ),
        Scenario("bare view (GET, head's session)", lambda i: head_client.get(bare_url)),
        Scenario(
            "bare view (POST, staff sessions)",
            lambda i: staff_clients[i % len(staff_clients)].post(bare_url),
            between=bare_post_between,
        ),
    ], fresh_day


def _bench_settings():
    from django.test import override_settings

    # DEBUG=False as in production: with DEBUG=True every query is also kept in memory.
    return override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"])


def _measure_all(scenarios, cleanup, *, requests: int, warmup: int) -> list[dict]:
    results = []
    for scenario in scenarios:
        if warmup:
            scenario.run(warmup)
        started = time.perf_counter()
        latencies = scenario.run(requests)
        wall = time.perf_counter() - started
        queries = scenario.queries()
        cleanup()
        ordered = sorted(latencies)
        results.append(
            {
                "name": scenario.name,
                "n": len(latencies),
                "rps": len(latencies) / sum(latencies),
                "wall": wall,
                "mean": statistics.fmean(latencies) * 1000,
                "p50": _percentile(ordered, 50) * 1000,
                "p95": _percentile(ordered, 95) * 1000,
                "p99": _percentile(ordered, 99) * 1000,
                "max": ordered[-1] * 1000,
                "queries": queries,
            }
        )
    return results


def _query_counts(scenarios, cleanup) -> dict[str, int]:
    counts = {}
    for scenario in scenarios:
        scenario.run(1, verify=False)  # warm per-process caches (content types, permissions, templates)
        counts[scenario.name] = len(scenario.queries())
        cleanup()
    return counts


# ---------------------------------------------------------------------------------------------
# Report


def _machine() -> dict[str, str]:
    import django
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    database = connection.vendor
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return {
        "CPUs (os.cpu_count)": str(os.cpu_count()),
        "CPU model": cpu,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "database": database,
        "OS": platform.platform(),
    }


def _report(results, before: dict[str, int], counts: dict[str, int], machine: dict, *, show_queries: bool) -> None:
    bare = next(r for r in results if r["name"].startswith("bare view (GET"))
    print("\n## Machine\n")
    for key, value in machine.items():
        print(f"- {key}: {value}")
    print("\n## Data\n")
    for key, value in counts.items():
        print(f"- {key}: {value}")
    print("\n## Results (sequential requests through django.test.Client, in-process)\n")
    print(
        "| scenario | requests | req/s | mean ms | p50 ms | p95 ms | p99 ms | max ms | SQL/request "
        "| × bare GET (mean) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['name']} | {r['n']} | {r['rps']:.0f} | {r['mean']:.2f} | {r['p50']:.2f} | {r['p95']:.2f} | "
            f"{r['p99']:.2f} | {r['max']:.2f} | {len(r['queries'])} | {r['mean'] / bare['mean']:.1f} |"
        )
    print("\n## SQL queries per request: with two weeks of history → with the full history\n")
    for r in results:
        now, then = len(r["queries"]), before.get(r["name"])
        shapes = Counter(_shape(q) for q in r["queries"] if q not in _TRANSACTION_CONTROL)
        repeated = {s: n for s, n in shapes.items() if n > 1}
        flag = ""
        if then is not None and now != then:
            flag += f"  <-- GROWS WITH DATA ({then} → {now})"
        if repeated:
            flag += f"  <-- {sum(repeated.values())} queries share {len(repeated)} shape(s)"
        print(f"- {r['name']}: {then} → {now}{flag}")
        if show_queries or flag:
            for n, sql in enumerate(r["queries"], 1):
                print(f"    {n:2d}. {sql[:400]}")


def main(argv=None) -> int:
    args = _parse_args(argv)
    try:
        _setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        _database_guard(reset=args.reset)
        print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')!r}; migrating…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        if args.reset:
            print(f"--reset: deleted the earlier run ({_delete_bench_rows(users_too=True)} rows).")

        started = time.perf_counter()
        department, head, staff = _create_people(args.staff)
        with _bench_settings():
            queue_rows = min(args.pending, settings.PAGE_SIZE)
            scenarios, cleanup = _scenarios(head=head, staff=staff, queue_rows=queue_rows)
            # Query counts with a little history (two weeks, three pending requests), to compare
            # with the counts under the full load: a page whose count grows with rows shows here.
            _load_history(department=department, head=head, staff=staff, days=14, pending=3, seed=args.seed)
            before = _query_counts(scenarios, cleanup)
            _delete_bench_rows(users_too=False)
        today = timezone.localdate()
        days = (today - _years_before(today, args.years)).days
        _load_history(department=department, head=head, staff=staff, days=days, pending=args.pending, seed=args.seed)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum would do after a load like this
        counts = _row_counts()
        print(f"Loaded in {time.perf_counter() - started:.1f} s.", flush=True)

        print(f"Measuring {len(scenarios)} scenarios × {args.requests} requests…", flush=True)
        with _bench_settings():
            results = _measure_all(scenarios, cleanup, requests=args.requests, warmup=args.warmup)
        _report(results, before, counts, _machine(), show_queries=args.show_queries)
    except BenchError as exc:
        print(f"bench/attendance.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
