"""Benchmark: Chinese full-text search, report and price lists and the price chart (issue 9).

Run by hand, never by CI. It needs a SCRATCH PostgreSQL database of its own: it migrates it,
bulk-loads 100,000 intelligence reports (Chinese text from a generator, four levels) and
500,000 price observations with COPY, indexes the reports for search (apps/intel/search.py,
``reports_reindex``), then times pages through Django's test ``Client`` with DEBUG=False:

    createdb -h 127.0.0.1 -U postgres mktdept_intelbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_intelbench \\
        .venv/bin/python bench/intel.py --reset [--reports 100000 --prices 500000 --requests 50]
    # measure again without loading: --reuse
    dropdb -h 127.0.0.1 -U postgres mktdept_intelbench

It refuses a database holding users it did not create (``benchintel-*``). A database holding an
earlier run is refused unless ``--reset`` (delete every intelligence row and the bench users,
then load again) or ``--reuse`` (measure the rows already there) is given.

Each page is timed as the department manager (SECRET clearance) and as a staff member with
INTERNAL clearance. A page whose URL does not exist yet (other areas of issue 9 are built in
parallel) is skipped and named in the output. See docs/benchmarks.md for figures.
"""

import argparse
import datetime
import io
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USER_PREFIX = "benchintel-"
TARGET_P50_MS = 50.0
SEARCH_INDEX = "intelreport_search_gin"  # migrations 0004 and 0008
REINDEX_SAMPLE = 5000


class BenchError(RuntimeError):
    """The run cannot go on (unsafe database, a request that did not do what it should)."""


def _parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000, help="reports to load (default 100000)")
    parser.add_argument("--prices", type=int, default=500_000, help="price observations (default 500000)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per scenario (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests before each scenario (default 5)")
    parser.add_argument("--seed", type=int, default=9, help="random seed (default 9)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--reset", action="store_true", help="delete an earlier run's rows and load again")
    group.add_argument("--reuse", action="store_true", help="measure the rows an earlier run loaded")
    parser.add_argument("--only", default="", help="measure only the scenarios whose name holds this text")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each page")
    args = parser.parse_args(argv)
    if args.reports < 100 or args.prices < 100 or args.requests < 1 or args.warmup < 0:
        parser.error("need --reports >= 100, --prices >= 100, --requests >= 1, --warmup >= 0")
    return args


def _setup_django() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise BenchError(
            "Set DATABASE_URL to a scratch PostgreSQL database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/mktdept_intelbench"
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "mktdept.settings.base"
    # DEBUG=true keeps SECURE_SSL_REDIRECT and secure cookies off for the test client over plain
    # HTTP; the timed requests run with settings.DEBUG=False (see _bench_settings()).
    os.environ["DJANGO_DEBUG"] = "true"
    import django

    django.setup()


def _database_state(*, reset: bool, reuse: bool) -> str:
    """ "empty", "reuse" or "reset"; refuses a database with users this benchmark did not create."""
    from django.db import connection

    if "accounts_user" not in connection.introspection.table_names():
        return "empty"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE username NOT LIKE %s", [USER_PREFIX + "%"])
        (foreign,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE username LIKE %s", [USER_PREFIX + "%"])
        (ours,) = cursor.fetchone()
    name = connection.settings_dict.get("NAME")
    if foreign:
        raise BenchError(
            f"Database {name!r} holds {foreign} user(s) not created by this benchmark. It writes and deletes "
            "data: point DATABASE_URL at a scratch database (createdb ... mktdept_intelbench)."
        )
    if ours and not (reset or reuse):
        raise BenchError(f"Database {name!r} holds an earlier bench run; pass --reset or --reuse.")
    if ours:
        return "reuse" if reuse else "reset"
    return "empty"


def _delete_everything() -> None:
    """Empty the intelligence tables and delete the bench users (the database holds nothing else)."""
    from django.db import connection

    from apps.accounts.models import User
    from apps.core.models import AccessLog, LevelChange
    from apps.intel import models as intel
    from apps.org.models import Product

    tables = [
        m._meta.db_table
        for m in (
            intel.IntelAttachment,
            intel.IntelReport.competitors.through,
            intel.IntelReport.products.through,
            intel.IntelReport.our_products.through,
            intel.IntelReport.provinces.through,
            intel.IntelReport.tags.through,
            intel.IntelReport,
            intel.PriceObservation,
            intel.Follow,
            intel.DigestSent,
            intel.BattlecardVersion,
            intel.Battlecard,
            intel.ResearchPlan,
            intel.ProductSpec,
            intel.CompetitorProduct,
            intel.Competitor.strong_provinces.through,
            intel.Competitor,
            intel.Tag,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intel_battlecard SET current_id = NULL")
        cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
    ours = User.objects.filter(username__startswith=USER_PREFIX)
    AccessLog.objects.filter(user__in=ours).delete()
    LevelChange.objects.filter(changed_by__in=ours).delete()
    Product.objects.filter(code__startswith="BENCH-").delete()
    ours.delete()


# ---------------------------------------------------------------------------------------------
# Generated Chinese text

COMPETITORS = [
    ("迈瑞医疗", "迈瑞"),
    ("安图生物", "安图"),
    ("新产业生物", "新产业"),
    ("罗氏诊断", "罗氏"),
    ("雅培诊断", "雅培"),
    ("西门子医疗", "西门子"),
    ("贝克曼库尔特", "贝克曼"),
    ("迈克生物", "迈克"),
    ("万孚生物", "万孚"),
    ("亚辉龙", "亚辉龙"),
    ("普门科技", "普门"),
    ("基蛋生物", "基蛋"),
]
SUBJECTS = ["化学发光", "生化试剂", "免疫分析仪", "分子诊断", "即时检验", "血球分析", "凝血检测", "肿瘤标志物"]
PHRASES = [
    "集采",
    "带量采购",
    "医保支付",
    "价格谈判",
    "中标结果",
    "招标公告",
    "装机数量",
    "检验科主任",
    "三甲医院",
    "县级医院",
    "经销商渠道",
    "市场份额",
    "注册证",
    "新品上市",
    "学术推广",
    "临床评价",
    "降价幅度",
    "试剂单价",
    "仪器投放",
    "售后服务",
    "产能扩张",
    "海外市场",
    "营收增长",
    "研发投入",
    "质量控制",
    "行业协会",
    "专家共识",
    "指南更新",
    "准入门槛",
    "飞行检查",
]
CONNECTORS = ["，", "。", "；", "的", "在", "对", "与", "将", "已", "正在", "预计", "据悉", "同时", "此外", "并且"]
FILLER = (
    "据一线销售反馈近期多家医院调整了采购计划部分科室对检测速度和结果稳定性提出更高要求"
    "相关企业加大了区域推广力度并通过学术会议和培训加强客户关系我们需要持续跟踪其动向"
    "从公开信息看该地区的检测量保持增长但单项收费受到控制利润空间进一步收窄"
)
SOURCES = ["招标网站", "经销商反馈", "展会交流", "客户访谈", "行业媒体", "公司年报", "政府网站", "学会通知"]
TAGS = [
    "集采",
    "招标",
    "新品",
    "价格",
    "政策",
    "渠道",
    "学术",
    "装机",
    "医保",
    "注册",
    "海外",
    "财报",
    "人事",
    "并购",
    "专利",
    "质量",
    "服务",
    "培训",
    "会议",
    "舆情",
]


def _sentence(rng, provinces) -> str:
    competitor = rng.choice(COMPETITORS)[rng.randrange(2)]
    province = rng.choice(provinces)
    parts = [competitor, rng.choice(["在", "于", "近期在"]), province, rng.choice(SUBJECTS)]
    for _ in range(rng.randint(2, 5)):
        parts.append(rng.choice(CONNECTORS))
        parts.append(rng.choice(PHRASES))
    start = rng.randrange(len(FILLER) - 20)
    parts.append(FILLER[start : start + rng.randint(8, 20)])
    if rng.random() < 0.3:
        parts.append(f"约{rng.randint(5, 95)}%")
    parts.append("。")
    return "".join(parts)


def _text(rng, provinces, low: int, high: int) -> str:
    target = rng.randint(low, high)
    out = ""
    while len(out) < target:
        out += _sentence(rng, provinces)
    return out[:target]


# ---------------------------------------------------------------------------------------------
# Loading


def _copy(model_or_table, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into the table; None is NULL."""
    from django.db import connection

    table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table

    def cell(value) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        text = str(value)
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(cell(v) for v in row))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def _create_people():
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.core.models import ConfidentialityLevel
    from apps.core.roles import RoleName

    unusable = make_password(None)
    manager = User.objects.create(
        username=f"{USER_PREFIX}manager",
        full_name="情报部长",
        email="benchintel-manager@example.com",
        clearance=ConfidentialityLevel.SECRET,
        password=unusable,
    )
    staff = User.objects.create(
        username=f"{USER_PREFIX}staff",
        full_name="市场专员",
        email="benchintel-staff@example.com",
        clearance=ConfidentialityLevel.INTERNAL,
        password=unusable,
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=[RoleName.DEPARTMENT_MANAGER, RoleName.STAFF])}
    manager.groups.set([groups[RoleName.DEPARTMENT_MANAGER], groups[RoleName.STAFF]])
    staff.groups.set([groups[RoleName.STAFF]])
    return manager, staff


def _people():
    from apps.accounts.models import User

    return User.objects.get(username=f"{USER_PREFIX}manager"), User.objects.get(username=f"{USER_PREFIX}staff")


def _load(*, reports: int, prices: int, seed: int, author) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.intel import models as intel
    from apps.intel.search import _document
    from apps.org.models import LifecycleStage, Product

    rng = random.Random(seed)
    timings = {}
    now = timezone.now()
    today = timezone.localdate()
    provinces = list(intel.Province.objects.values_list("pk", "name"))
    province_names = [name for _pk, name in provinces]

    started = time.perf_counter()
    with transaction.atomic():
        stage = LifecycleStage.objects.order_by("pk").first()
        ours = Product.objects.bulk_create(
            [Product(code=f"BENCH-{n}", name=f"本公司{s}产品{n}", stage=stage) for n, s in enumerate(SUBJECTS)]
        )
        competitors = intel.Competitor.objects.bulk_create(
            [intel.Competitor(name=name, short_name=short) for name, short in COMPETITORS]
        )
        products = intel.CompetitorProduct.objects.bulk_create(
            [
                intel.CompetitorProduct(
                    competitor=c, name=f"{c.short_name}{s}系统", our_product=ours[k], methodology="clia"
                )
                for c in competitors
                for k, s in enumerate(SUBJECTS[:5])
            ]
        )
        tags = intel.Tag.objects.bulk_create([intel.Tag(name=t) for t in TAGS])
        kinds = [k for k, _label in intel.IntelReport.Kind.choices]
        levels = [0, 1, 1, 1, 2, 2, 3]  # about 4 in 7 visible to an INTERNAL clearance

        report_columns = [
            "kind",
            "title",
            "body",
            "source",
            "reported_on",
            "issuer",
            "issuer_kind",
            "document_number",
            "impact_assessment",
            "author_id",
            "is_archived",
            "search_text",
            "search_vector",
            "search_ngrams",
            "confidentiality",
            "created_at",
            "updated_at",
        ]

        def report_rows():
            for n in range(reports):
                kind = rng.choice(kinds)
                policy = kind == "policy"
                title = _text(rng, province_names, 10, 30)
                body = _text(rng, province_names, 200, 800)
                # What reports_reindex() writes, computed here so that COPY writes each row once.
                search_text, vector, ngrams = _document(title=title, body=body, attachment_texts=[])
                if n and n % 20000 == 0:
                    print(f"  generated {n}/{reports}", flush=True)
                yield (
                    kind,
                    title,
                    body,
                    rng.choice(SOURCES),
                    today - datetime.timedelta(days=rng.randrange(5 * 365)),
                    "国家医疗保障局" if policy else "",
                    "government" if policy else "",
                    f"医保发〔2026〕{n % 90 + 1}号" if policy else "",
                    "对试剂价格影响较大" if policy else "",
                    author.pk,
                    rng.random() < 0.03,
                    search_text,
                    vector,
                    ngrams,
                    rng.choice(levels),
                    now,
                    now,
                )

        with connection.cursor() as cursor:  # a GIN index builds far faster at once than row by row
            cursor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        _copy(intel.IntelReport, report_columns, report_rows())
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM intel_intelreport ORDER BY id")
            report_ids = [r[0] for r in cursor.fetchall()]
        competitor_ids = [c.pk for c in competitors]
        product_ids = [p.pk for p in products]
        tag_ids = [t.pk for t in tags]
        province_ids = [pk for pk, _name in provinces]
        for through, column, pool, low, high in (
            (intel.IntelReport.competitors.through, "competitor_id", competitor_ids, 1, 2),
            (intel.IntelReport.products.through, "competitorproduct_id", product_ids, 0, 1),
            (intel.IntelReport.provinces.through, "province_id", province_ids, 1, 2),
            (intel.IntelReport.tags.through, "tag_id", tag_ids, 0, 3),
        ):
            rows = ((rid, value) for rid in report_ids for value in rng.sample(pool, rng.randint(low, high)))
            _copy(through, ["intelreport_id", column], rows)
    timings["reports (generate, tokenise, COPY)"] = time.perf_counter() - started

    started = time.perf_counter()
    channels = [c for c, _label in intel.PriceChannel.choices]
    cities = ["省会", "地级市", "县级市"]

    def price_rows():
        for _n in range(prices):
            mine = rng.random() < 0.15
            yield (
                None if mine else rng.choice(product_ids),
                rng.choice(ours).pk if mine else None,
                f"{rng.uniform(5, 500):.2f}",
                "CNY",
                "人份",
                today - datetime.timedelta(days=rng.randrange(5 * 365)),
                rng.choice(province_ids),
                rng.choice(cities),
                rng.choice(channels),
                rng.choice(SOURCES),
                "",
                "",
                rng.random() < 0.02,
                rng.choice(levels),
                now,
                now,
            )

    with transaction.atomic():
        _copy(
            intel.PriceObservation,
            [
                "competitor_product_id",
                "our_product_id",
                "price",
                "currency",
                "unit",
                "observed_on",
                "province_id",
                "city",
                "channel",
                "source",
                "institution",
                "notes",
                "is_archived",
                "confidentiality",
                "created_at",
                "updated_at",
            ],
            price_rows(),
        )
    timings["prices (COPY)"] = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(f"CREATE INDEX {SEARCH_INDEX} ON intel_intelreport USING gin (search_vector, search_ngrams)")
    timings["GIN index build"] = time.perf_counter() - started

    # reports_reindex() (the intel_reindex command) on a sample, to give its rate.
    from apps.intel.search import reports_reindex

    sample = intel.IntelReport.objects.filter(pk__in=report_ids[:REINDEX_SAMPLE])
    started = time.perf_counter()
    reports_reindex(sample, batch_size=1000)
    timings[f"reports_reindex of {REINDEX_SAMPLE} reports"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Every table, prices included: a bulk load leaves the visibility map empty, so index-only
        # scans (a province's price totals) would read the heap until autovacuum comes by.
        cursor.execute("VACUUM ANALYZE")
    timings["VACUUM ANALYZE"] = time.perf_counter() - started
    return timings


# ---------------------------------------------------------------------------------------------
# Measuring


def _percentile(sorted_values, pct: float) -> float:
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _bench_settings():
    from django.test import override_settings

    return override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])


def _scenarios(manager, staff) -> tuple[list[tuple[str, str, object]], list[str]]:
    """``(name, url, client)`` per page and user, and the pages skipped because their URL is missing."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from apps.intel.models import CompetitorProduct, Province

    province = Province.objects.get(name="广东省") if Province.objects.filter(name="广东省").exists() else None
    province_pk = province.pk if province else Province.objects.order_by("pk").first().pk
    product = CompetitorProduct.objects.order_by("pk").first()
    pages = [
        # In ~70 % of the reports (a phrase of the generator), in ~0.3 %, in ~6 % (across phrases).
        ("search, 2 characters, frequent (集采)", "intel:search", (), "?q=集采"),
        ("search, 2 characters, rare (新出)", "intel:search", (), "?q=新出"),
        ("search, 4 characters, frequent (化学发光)", "intel:search", (), "?q=化学发光"),
        ("search, 4 characters, medium (上市预计)", "intel:search", (), "?q=上市预计"),
        # Common bigrams that often share a report but rarely sit next to each other: thousands of
        # candidates from the GIN index, few or no matches (the phrase is checked on search_text).
        ("search, 4 characters, common bigrams rarely adjacent (市场的检)", "intel:search", (), "?q=市场的检"),
        ("search, 5 characters, common bigrams, no match (的检测速度)", "intel:search", (), "?q=的检测速度"),
        ("search, 2 words (罗氏 降价)", "intel:search", (), "?q=罗氏+降价"),
        ("search, 2 characters + type filter (集采, policy)", "intel:search", (), "?q=集采&kind=policy"),
        ("report list, unfiltered", "intel:report_list", (), ""),
        ("report list, type = pricing", "intel:report_list", (), "?kind=pricing"),
        ("policy list, unfiltered", "intel:policy_list", (), ""),
        ("price list, unfiltered", "intel:price_list", (), ""),
        ("price list, province", "intel:price_list", (), f"?province={province_pk}"),
        ("price chart data", "intel:product_price_chart", (product.pk,), ""),
    ]
    clients = {}
    for label, user in (("manager (SECRET)", manager), ("staff (INTERNAL)", staff)):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[label] = client
    scenarios, skipped = [], []
    for name, url_name, url_args, query in pages:
        try:
            url = reverse(url_name, args=url_args) + query
        except NoReverseMatch:
            skipped.append(f"{name} ({url_name}: URL not built yet)")
            continue
        for label, client in clients.items():
            scenarios.append((f"{name} — {label}", url, client))
    return scenarios, skipped


def _measure(scenarios, *, requests: int, warmup: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for name, url, client in scenarios:
        try:
            client.get(url)
        except Exception as exc:  # another area's page still being built: report, measure the rest
            print(f"  {name}: raised {type(exc).__name__}: {exc}; not measured", flush=True)
            results.append({"name": name, "url": url, "error": f"{type(exc).__name__}"})
            continue
        for _ in range(warmup):
            client.get(url)
        latencies = []
        status = None
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            latencies.append(time.perf_counter() - started)
            status = response.status_code
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = [q["sql"] for q in ctx.captured_queries]
        ordered = sorted(latencies)
        results.append(
            {
                "name": name,
                "url": url,
                "status": status,
                "p50": _percentile(ordered, 50) * 1000,
                "p90": _percentile(ordered, 90) * 1000,
                "mean": statistics.fmean(latencies) * 1000,
                "max": ordered[-1] * 1000,
                "queries": queries,
                # The database's share of that one request (the rest is Python: views, templates).
                "sql_ms": sum(float(q["time"]) for q in ctx.captured_queries) * 1000,
            }
        )
        print(f"  {name}: p50 {results[-1]['p50']:.1f} ms, {len(queries)} queries", flush=True)
    return results


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
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    try:
        load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "CPUs": str(os.cpu_count()),
        "CPU model": cpu,
        "load average (1/5/15 min) at the end": load,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "database": f"PostgreSQL {version}, shared_buffers {buffers}",
    }


def _report(results, skipped, counts, timings, machine, *, show_queries: bool) -> None:
    print()
    for key, value in machine.items():
        print(f"{key}: {value}")
    for key, value in counts.items():
        print(f"{key}: {value}")
    for key, value in timings.items():
        print(f"load — {key}: {value:.1f} s")
    print()
    print("| page — user | p50 ms | p90 ms | SQL ms (one request) | queries | target p50 ≤ 50 ms |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        if "error" in r:
            print(f"| {r['name']} | | | | | raised {r['error']} (page under construction) |")
            continue
        ok = "ok" if r["p50"] <= TARGET_P50_MS and r["status"] == 200 else "MISSED"
        if r["status"] != 200:
            ok = f"HTTP {r['status']}"
        row = f"| {r['name']} | {r['p50']:.1f} | {r['p90']:.1f} | {r['sql_ms']:.1f} | {len(r['queries'])} | {ok} |"
        print(row)
    for name in skipped:
        print(f"skipped: {name}")
    if show_queries:
        for r in results:
            print(f"\n## {r['name']} {r['url']}")
            for sql in r.get("queries", []):
                print("  ", sql[:400])


def _counts() -> dict[str, int]:
    from apps.intel.models import IntelReport, PriceObservation

    return {
        "reports": IntelReport.objects.count(),
        "price observations": PriceObservation.objects.count(),
    }


def main(argv=None) -> int:
    args = _parse_args(argv)
    try:
        _setup_django()
        from django.core.management import call_command
        from django.db import connection

        state = _database_state(reset=args.reset, reuse=args.reuse)
        print(f"Database {connection.settings_dict.get('NAME')!r}: migrating…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        timings = {}
        if state == "reuse":
            manager, staff = _people()
        else:
            if state == "reset":
                _delete_everything()
            manager, staff = _create_people()
            print(f"Loading {args.reports} reports and {args.prices} prices…", flush=True)
            timings = _load(reports=args.reports, prices=args.prices, seed=args.seed, author=manager)
        counts = _counts()
        with _bench_settings():
            scenarios, skipped = _scenarios(manager, staff)
            scenarios = [s for s in scenarios if args.only in s[0]]
            for name in skipped:
                print(f"skipped: {name}", flush=True)
            print(f"Measuring {len(scenarios)} scenarios × {args.requests} requests…", flush=True)
            results = _measure(scenarios, requests=args.requests, warmup=args.warmup)
        _report(results, skipped, counts, timings, _machine(), show_queries=args.show_queries)
    except BenchError as exc:
        print(f"bench/intel.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
