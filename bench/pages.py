"""Benchmark: every page in the navigation under gunicorn and wrk, against a bare Django view.

Run by hand, never by CI. It needs a SCRATCH PostgreSQL database of its own (it migrates it and
bulk-loads 50 staff × 3 years of history with the loader of ``bench/attendance.py``), Debian's
``wrk`` (``apt-get install wrk``) and gunicorn from the project's requirements:

    createdb -h 127.0.0.1 -U postgres mktdept_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_bench \\
        .venv/bin/python bench/pages.py [--staff 50 --years 3 --duration 10 --reuse]
    dropdb -h 127.0.0.1 -U postgres mktdept_bench

What it measures, in one run:
1. Throughput: gunicorn (``--workers 3``, production settings: ``DEBUG=false``, manifest static
   files, the database session of a logged-in department head) driven by ``wrk -t2 -c16`` for
   ``--duration`` seconds per page. The bare view (``bench/pages_urls.py``) goes through the same
   middleware and session; it is measured first and last and the mean is the 100 % line.
2. In-process latency and SQL: each page through ``django.test.Client`` in this process
   (``DEBUG=False``), p50 over ``--requests`` requests and the query count, once with two weeks
   of history and once with the full load. A page whose count differs is flagged as growing.
   The requests are made in rounds (five per page, every page, the bare view included, in each
   round), so that a machine whose speed drifts during the run slows every page alike; the
   column "in-process ÷ bare" compares each page with the bare view of the same rounds. After a
   ``--reset`` load the database is vacuumed and the loader's garbage collected first.

The table it prints is the one in docs/benchmarks.md. Targets (issue 8): every page at least 5 %
of the bare view's req/s, at most 20 ms p50 in-process, query counts flat in history length.
"""

import argparse
import gc
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import attendance as loader  # noqa: E402

# (label, URL name, query string): every entry of the navigation a department head sees.
PAGES = [
    ("dashboard /", "org:dashboard", ""),
    ("approval queue", "leave:queue", ""),
    ("monthly summary", "attendance:summary", ""),
    ("leave calendar", "leave:calendar", ""),
    ("my leave", "leave:mine", ""),
    ("reports", "reports:index", ""),
    ("notifications", "notifications:list", ""),
    ("check-in today", "attendance:today", ""),
    ("my month", "attendance:month", ""),
    ("field-work notices", "attendance:notice_list", ""),
    ("daily notices", "attendance:notices_daily", ""),
    ("handovers", "leave:handovers", ""),
    ("important periods", "leave:periods", ""),
    ("comp time", "leave:comp_time", ""),
    ("acting approver", "leave:acting", ""),
    ("tasks", "org:task_list", ""),
    ("products", "org:product_list", ""),
    ("department", "org:department", ""),
    ("rules", "conduct:current", ""),
    ("rule acknowledgements", "conduct:status", ""),
    ("publish rules", "conduct:publish", ""),
    ("my position", "org:my_position", ""),
    ("new leave request", "leave:create", ""),
    # Market intelligence: the bench data holds none, so these measure each page's frame, filter
    # form and empty list; bench/intel.py measures search and the lists at 100,000 reports.
    ("intel search", "intel:search", "q=" + urllib.parse.quote("集采")),
    ("intel reports", "intel:report_list", ""),
    ("policies", "intel:policy_list", ""),
    ("competitors", "intel:competitor_list", ""),
    ("price observations", "intel:price_list", ""),
    ("research plans", "intel:plan_list", ""),
    ("my alerts", "intel:follow_list", ""),
    ("access log", "intel:access_log", ""),
]
BARE = ("bare view", "bench_bare", "")
TARGET_SHARE = 5.0
TARGET_P50_MS = 20.0


class BenchError(RuntimeError):
    pass


def _parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=50, help="staff members besides the head (default 50)")
    parser.add_argument("--years", type=int, default=3, help="years of history ending yesterday (default 3)")
    parser.add_argument("--pending", type=int, default=200, help="pending leave requests (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--requests", type=int, default=100, help="in-process requests per page (default 100)")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run instead of loading")
    parser.add_argument("--reset", action="store_true", help="delete an earlier run's rows, then load")
    parser.add_argument("--only", default="", help="comma-separated labels to measure (default: all)")
    return parser.parse_args(argv)


def _setup():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise BenchError("Set DATABASE_URL to a scratch PostgreSQL database (see the docstring).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.pages_settings"
    os.environ["DJANGO_DEBUG"] = "true"  # for this process only; gunicorn runs with DEBUG=false
    # One key for this process and gunicorn: sessions and their auth hash are signed with it.
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    import django

    django.setup()


def _load(args):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import User

    if args.reuse and User.objects.filter(username=f"{loader.USER_PREFIX}head").exists():
        head = User.objects.get(username=f"{loader.USER_PREFIX}head")
        staff = list(User.objects.filter(username__startswith=f"{loader.USER_PREFIX}staff-").order_by("pk"))
        return head, staff, None
    loader._database_guard(reset=args.reset)
    call_command("migrate", interactive=False, verbosity=0)
    if args.reset:
        loader._delete_bench_rows(users_too=True)
    department, head, staff = loader._create_people(args.staff)
    _backdate_employment([head, *staff], years=args.years)
    # Counts with two weeks of history first, to compare with the full load.
    loader._load_history(department=department, head=head, staff=staff, days=14, pending=3, seed=args.seed)
    small = _query_counts(head, args)
    loader._delete_bench_rows(users_too=False)
    today = timezone.localdate()
    days = (today - loader._years_before(today, args.years)).days
    loader._load_history(department=department, head=head, staff=staff, days=days, pending=args.pending, seed=args.seed)
    # Vacuumed as well as analysed: otherwise autovacuum works through the freshly loaded tables while
    # the pages are measured, and the first measurements of a --reset run are of a busy server.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return head, staff, small


def _backdate_employment(people, *, years: int) -> None:
    """People in the benchmark have worked here for the whole history (when the field exists)."""
    from django.utils import timezone

    from apps.accounts.models import User

    if "employment_start" in {f.name for f in User._meta.get_fields()}:
        start = loader._years_before(timezone.localdate(), years + 1)
        User.objects.filter(pk__in=[p.pk for p in people]).update(employment_start=start)


def _client(head, language):
    from django.test import Client

    client = Client()
    client.force_login(head, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    return client


def _url(name, query=""):
    from django.urls import reverse

    return reverse(name) + (f"?{query}" if query else "")


def _bench_settings():
    from django.test import override_settings

    return override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], ROOT_URLCONF="bench.pages_urls")


def _query_counts(head, args) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with _bench_settings():
        client = _client(head, args.language)
        for label, name, query in [BARE, *PAGES]:
            client.get(_url(name, query))  # warm per-process caches
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(_url(name, query))
            if response.status_code != 200:
                raise BenchError(f"{label}: HTTP {response.status_code} in-process")
            counts[label] = len(ctx.captured_queries)
    return counts


# In-process requests are made in rounds of this many per page, every page in each round: a machine
# whose speed drifts during the run (a shared host) slows every page alike, the bare view included.
ROUND_REQUESTS = 5


def _in_process(head, args, pages) -> dict[str, float]:
    times: dict[str, list[float]] = {label: [] for label, _name, _query in pages}
    with _bench_settings():
        client = _client(head, args.language)
        urls = [(label, _url(name, query)) for label, name, query in pages]
        for _label, url in urls:
            for _ in range(5):
                client.get(url)
        rounds = max(1, -(-args.requests // ROUND_REQUESTS))
        for _ in range(rounds):
            for label, url in urls:
                for _ in range(ROUND_REQUESTS):
                    started = time.perf_counter()
                    response = client.get(url)
                    times[label].append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise BenchError(f"{label}: HTTP {response.status_code} in-process")
    return {label: statistics.median(values) * 1000 for label, values in times.items()}


def _session_cookie(head) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(head.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = head.get_session_auth_hash()
    store.create()
    return store.session_key


def _server_env(args) -> dict:
    static_root = ROOT / "var" / "bench-static"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _start_gunicorn(args):
    env = _server_env(args)
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = str(Path(python).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "bench.pages_wsgi:application", "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz/", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    _stop(server)
    raise BenchError("gunicorn did not answer /healthz/ within 30 s")


def _stop(server) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def _check_page(args, url, cookie) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{args.port}{url}", headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            final = response.geturl()
            if response.status != 200 or "/accounts/login" in final:
                raise BenchError(f"{url}: HTTP {response.status} at {final}")
    except urllib.error.HTTPError as exc:
        raise BenchError(f"{url}: HTTP {exc.code} from gunicorn") from exc


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_P50 = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def _wrk(args, url, cookie) -> tuple[float, float]:
    wrk = shutil.which("wrk")
    if not wrk:
        raise BenchError("wrk is not installed (apt-get install wrk)")
    out = subprocess.run(  # noqa: S603
        [
            wrk,
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{args.port}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if match := _NON2XX.search(out):
        raise BenchError(f"{url}: {match.group(1)} responses were not 2xx/3xx under load")
    rps = float(_RPS.search(out).group(1))
    value, unit = _P50.search(out).groups()
    p50_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p50_ms


def main(argv=None) -> int:
    args = _parse_args(argv)
    try:
        _setup()
        head, _staff, small = _load(args)
        pages = [p for p in PAGES if not args.only or p[0] in args.only.split(",")]
        full = _query_counts(head, args)
        # The loader's garbage collected now, and what is left frozen, so that no measurement pays
        # for the collection of a heap that only the benchmark built.
        gc.collect()
        gc.freeze()
        p50 = _in_process(head, args, [BARE, *pages])
        cookie = f"sessionid={_session_cookie(head)}; django_language={args.language}"
        server = _start_gunicorn(args)
        try:
            for _label, name, query in [BARE, *pages]:
                _check_page(args, _url(name, query), cookie)
            bare_first = _wrk(args, _url(BARE[1]), cookie)
            results = {label: _wrk(args, _url(name, query), cookie) for label, name, query in pages}
            bare_last = _wrk(args, _url(BARE[1]), cookie)
        finally:
            _stop(server)
    except BenchError as exc:
        print(f"bench/pages.py: {exc}", file=sys.stderr)
        return 2

    bare_rps = (bare_first[0] + bare_last[0]) / 2
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, gunicorn --workers {args.workers}, "
        f"language {args.language}, {os.cpu_count()} CPUs\n"
    )
    print(
        "| page | req/s | share of bare | wrk p50 ms | in-process p50 ms | in-process ÷ bare | SQL (2 weeks → full) "
        "| target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| bare view (first / last) | {bare_first[0]:,.0f} / {bare_last[0]:,.0f} | 100 % | {bare_first[1]:.1f} | "
        f"{p50[BARE[0]]:.1f} | 1.0 | {(small or {}).get(BARE[0], '–')} → {full[BARE[0]]} | |"
    )
    failed = 0
    for label, _name, _query in pages:
        rps, wrk_p50 = results[label]
        share = 100 * rps / bare_rps
        before = (small or {}).get(label)
        flat = before is None or before == full[label]
        ok = share >= TARGET_SHARE and p50[label] <= TARGET_P50_MS and flat
        failed += not ok
        print(
            f"| {label} | {rps:,.0f} | {share:.1f} % | {wrk_p50:.1f} | {p50[label]:.1f} | "
            f"{p50[label] / p50[BARE[0]]:.1f} | {before if before is not None else '–'} → {full[label]} | "
            f"{'ok' if ok else 'MISSED'} |"
        )
    print(f"\n{len(pages) - failed} of {len(pages)} pages meet the targets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
