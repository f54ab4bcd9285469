"""Price import from CSV or XLSX with a preview (R-INTEL-01, R-INTEL-03).

Tender-result spreadsheets are how prices arrive: the realistic file below has a title row above
the headers, Chinese headers with units in brackets, dates as Excel dates and as text, provinces
by short name, channels in Chinese, and a few broken rows.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AccessLog
from apps.intel import alerts
from apps.intel import importing as importing_module
from apps.intel.forms import prices as price_forms
from apps.intel.importing import price_rows_check, read_price_rows
from apps.intel.models import PriceChannel, PriceObservation
from apps.intel.services.prices import (
    IMPORT_FOLDER,
    price_import_file_discard,
    price_import_file_store,
    price_import_files_sweep,
    prices_import,
)
from tests.clock import WORKING_MORNING, at_working_morning
from tests.intel import factories_prices as fp
from tests.intel.factories_prices import (
    CONFIDENTIAL,
    INTERNAL,
    SECRET,
    PriceCompetitorProductFactory,
)

internal_researcher = fp.internal_researcher
our_product = fp.our_product
reader = fp.reader
researcher = fp.researcher

pytestmark = at_working_morning

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = "/intel/prices/import/"


@pytest.fixture
def catalogue(db, our_product):
    """Two competitor products as they appear in tender results, and our comparable product."""
    return {
        "ctni": PriceCompetitorProductFactory(
            name="肌钙蛋白I测定试剂盒（化学发光法）",
            registration_number="国械注准20173401234",
            competitor__name="迈瑞医疗",
            our_product=our_product,
        ),
        "bnp": PriceCompetitorProductFactory(
            name="N端脑钠肽前体测定试剂盒", registration_number="国械注准20183405678", competitor__name="安图生物"
        ),
        "ours": our_product,
    }


def tender_xlsx(rows=None, *, title=True) -> bytes:
    """A tender result as a province's purchasing platform publishes it (title row, then headers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "中选结果"
    if title:
        sheet.append(["2026年广东省体外诊断试剂集中带量采购拟中选结果公示"])
        sheet.merge_cells("A1:J1")
    sheet.append(
        [
            "序号",
            "产品名称",
            "生产企业",
            "中选价格（元）",
            "计价单位",
            "省份",
            "城市",
            "中选日期",
            "渠道",
            "信息来源",
            "密级",
        ]
    )
    for row in rows if rows is not None else default_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def default_rows():
    return [
        [
            1,
            "肌钙蛋白I测定试剂盒（化学发光法）",
            "迈瑞医疗",
            26.8,
            "人份",
            "广东",
            "广州市",
            datetime.date(2026, 11, 20),
            "中标",
            "广东省药品交易中心",
            None,
        ],
        [
            2,
            "国械注准20183405678",
            "安图生物",
            "1,250.00",
            "盒",
            "广西壮族自治区",
            "南宁市",
            "2026/11/18",
            "中选",
            "广西公共资源交易平台",
            "秘密",
        ],
        [
            3,
            "HS-CTNI",
            "",
            31,
            "人份",
            "Guangdong",
            "深圳市",
            "2026年11月25日",
            "医院采购",
            "深圳市人民医院采购公告",
            "",
        ],
        [4, "不存在的产品", "某公司", 10, "人份", "广东", "", "2026-11-20", "中标", "来源", None],
        [5, "N端脑钠肽前体测定试剂盒", "", 0, "人份", "火星", "", "2026-12-25", "拍卖", "", None],
        [None, None, None, None, None, None, None, None, None, None, None],
        [
            6,
            "肌钙蛋白I测定试剂盒（化学发光法）",
            "",
            "abc",
            "人份",
            "广东",
            "",
            "11月20日",
            "报价",
            "代理商报价",
            "机密",
        ],
    ]


def upload(content: bytes, name: str = "中选结果.xlsx", content_type: str = XLSX) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# ---------------------------------------------------------------------------------------------
# Reading and checking rows


@pytest.mark.django_db
def test_r_intel_01_tender_xlsx_rows_checked_one_by_one(catalogue, researcher):
    rows = price_rows_check(user=researcher, default_level=INTERNAL, content=tender_xlsx(), file_format="xlsx")
    assert [row.line for row in rows] == [3, 4, 5, 6, 7, 9]  # the title and the empty row are not rows
    first, second, ours, unknown, broken, text_price = rows
    assert first.is_valid and second.is_valid and ours.is_valid
    assert first.instance.competitor_product == catalogue["ctni"]
    assert (first.instance.price, first.instance.observed_on) == (Decimal("26.80"), datetime.date(2026, 11, 20))
    assert first.instance.province.code == "440000" and first.instance.channel == PriceChannel.TENDER_RESULT
    assert first.instance.confidentiality == INTERNAL and first.instance.currency == "CNY"
    assert second.instance.competitor_product == catalogue["bnp"]  # by registration number
    assert second.instance.price == Decimal("1250.00") and second.instance.province.code == "450000"
    assert second.instance.confidentiality == CONFIDENTIAL
    assert ours.instance.our_product == catalogue["ours"] and ours.instance.competitor_product is None
    assert ours.instance.channel == PriceChannel.HOSPITAL_PURCHASE and ours.instance.observed_on.day == 25
    assert unknown.error_fields == {"competitor_product"}
    assert broken.error_fields == {"price", "province", "observed_on", "channel", "source"}
    assert text_price.error_fields == {"price", "observed_on"}
    assert all(row.errors for row in (unknown, broken, text_price))
    assert not PriceObservation.objects.exists()


@pytest.mark.django_db
def test_r_intel_03_row_level_at_most_the_importers_clearance(catalogue, researcher, internal_researcher):
    rows = [[1, "HS-CTNI", "", 30, "人份", "广东", "", "2026-11-20", "中标", "来源", "机密"]]
    allowed = price_rows_check(user=researcher, default_level=INTERNAL, content=tender_xlsx(rows), file_format="xlsx")
    assert allowed[0].is_valid and allowed[0].instance.confidentiality == SECRET
    refused = price_rows_check(
        user=internal_researcher, default_level=INTERNAL, content=tender_xlsx(rows), file_format="xlsx"
    )
    assert refused[0].error_fields == {"confidentiality"}


@pytest.mark.django_db
def test_r_intel_01_missing_level_takes_the_forms_level(catalogue, researcher):
    book = openpyxl.Workbook()
    book.active.append(["product", "price", "date", "province", "channel", "source"])
    book.active.append(["HS-CTNI", 30, "2026-11-20", "广东省", "tender", "quote"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = price_rows_check(user=researcher, default_level=SECRET, content=buffer.getvalue(), file_format="xlsx")
    assert rows[0].is_valid and rows[0].instance.confidentiality == SECRET


@pytest.mark.django_db
def test_r_intel_01_csv_in_gb18030_with_bilingual_headers(catalogue, researcher):
    text = "产品/product,价格/price,日期/date,省份/province,渠道/channel,来源/source\n"
    text += "肌钙蛋白I测定试剂盒（化学发光法）,¥27.00,2026-11-20,北京,经销商价,经销商价格表\n"
    rows = price_rows_check(user=researcher, default_level=INTERNAL, content=text.encode("gb18030"), file_format="csv")
    assert rows[0].is_valid
    assert rows[0].instance.channel == PriceChannel.DISTRIBUTOR_LIST and rows[0].instance.province.code == "110000"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "file_format", "code"),
    [
        (b"", "csv", "no_header"),
        ("名称,备注\n甲,乙\n".encode(), "csv", "no_header"),
        ("产品,价格\n甲,1\n".encode(), "csv", "missing_columns"),
        ("产品,价格,日期,省份,渠道,来源\n".encode(), "csv", "empty"),
        (b"PK\x03\x04not a workbook", "xlsx", "unreadable"),
    ],
)
def test_r_intel_01_unreadable_files_are_refused_with_a_code(content, file_format, code):
    with pytest.raises(importing_module.PriceFileError) as exc:
        read_price_rows(content=content, file_format=file_format)
    assert exc.value.code == code


@pytest.mark.django_db
def test_r_intel_01_too_many_rows_refused(monkeypatch):
    monkeypatch.setattr(importing_module, "MAX_ROWS", 2)
    text = "产品,价格,日期,省份,渠道,来源\n" + "甲,1,2026-11-20,广东,中标,来源\n" * 2
    read_price_rows(content=text.encode(), file_format="csv")
    with pytest.raises(importing_module.PriceFileError) as exc:
        read_price_rows(content=(text + "甲,1,2026-11-20,广东,中标,来源\n").encode(), file_format="csv")
    assert exc.value.code == "too_many_rows"


# ---------------------------------------------------------------------------------------------
# The two steps through the views


@pytest.mark.django_db
def test_r_intel_01_preview_shows_every_row_and_saves_nothing(catalogue, researcher, client_for):
    client = client_for(researcher)
    response = client.post(URL, {"file": upload(tender_xlsx()), "default_level": INTERNAL})
    assert response.status_code == 200
    assert response.templates[0].name == "intel/prices/price_import_preview.html"
    rows = response.context["rows"]
    assert len(rows) == 6 and response.context["valid_count"] == 3 and response.context["invalid_count"] == 3
    content = response.content.decode()
    assert content.count('data-testid="price-import-new"') == 3
    assert content.count('data-testid="price-import-error"') == 3
    assert not PriceObservation.objects.exists()
    token = response.context["confirm_form"].initial["token"]
    assert storages["intel"].exists(f"{IMPORT_FOLDER}/{researcher.pk}/{token}.data")


@pytest.mark.django_db
def test_r_intel_01_import_needs_the_permission(researcher, reader, client_for):
    assert client_for(researcher).get(URL).status_code == 200
    assert client_for(reader).get(URL).status_code == 403
    response = client_for(reader).post(URL, {"file": upload(tender_xlsx()), "default_level": INTERNAL})
    assert response.status_code == 403


@pytest.mark.django_db
def test_r_intel_03_form_offers_no_level_above_clearance(catalogue, internal_researcher, client_for):
    client = client_for(internal_researcher)
    response = client.post(URL, {"file": upload(tender_xlsx()), "default_level": SECRET})
    assert response.status_code == 200
    assert "default_level" in response.context["form"].errors
    response = client.post(URL, {"file": upload(tender_xlsx()), "default_level": INTERNAL})
    assert response.context["valid_count"] == 2  # the 秘密 row is above this importer's clearance


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _pdf() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name"),
    [
        (_png(), "prices.xlsx"),  # an image named as a workbook
        (_pdf(), "prices.csv"),  # a PDF named as a CSV
        (_docx(), "prices.xlsx"),  # a Word file
        (b"product,price\n", "prices.txt"),  # text, but not named .csv
        ("产品,价格\n".encode("utf-16"), "prices.csv"),  # not UTF-8 or GB18030 text
        (b"PK\x03\x04broken", "prices.xlsx"),  # a damaged workbook
        (b"", "prices.csv"),  # empty
        ("名称,备注\n甲,乙\n".encode(), "prices.csv"),  # wrong headers
    ],
)
def test_r_intel_01_bad_files_give_a_message_not_an_error_page(catalogue, researcher, client_for, content, name):
    response = client_for(researcher).post(URL, {"file": upload(content, name=name), "default_level": INTERNAL})
    assert response.status_code == 200
    assert response.templates[0].name == "intel/prices/price_import.html"
    assert response.context["form"].errors["file"]
    assert not PriceObservation.objects.exists()


@pytest.mark.django_db
def test_r_intel_01_huge_file_refused(catalogue, researcher, client_for, monkeypatch):
    monkeypatch.setattr(price_forms, "IMPORT_MAX_BYTES", 1024)
    monkeypatch.setattr("apps.intel.views.prices.IMPORT_MAX_BYTES", 1024)
    content = ("产品,价格,日期,省份,渠道,来源\n" + "HS-CTNI,1,2026-11-20,广东,中标,来源\n" * 100).encode()
    response = client_for(researcher).post(URL, {"file": upload(content, name="big.csv"), "default_level": INTERNAL})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    small = content[:500].rsplit(b"\n", 1)[0] + b"\n"
    response = client_for(researcher).post(URL, {"file": upload(small, name="small.csv"), "default_level": INTERNAL})
    assert response.templates[0].name == "intel/prices/price_import_preview.html"


@pytest.mark.django_db
def test_r_intel_01_confirm_only_with_ones_own_fresh_token(catalogue, researcher, client_for, time_machine):
    token = price_import_file_store(
        user=researcher, content=tender_xlsx(), file_format="xlsx", default_level=INTERNAL, name="a.xlsx"
    )
    other = client_for(_other_importer())
    response = other.post(URL, {"token": token, "action": "confirm"}, follow=True)
    assert response.status_code == 200 and not PriceObservation.objects.exists()
    time_machine.move_to(WORKING_MORNING + datetime.timedelta(hours=2))
    response = client_for(researcher).post(URL, {"token": token, "action": "confirm"}, follow=True)
    assert response.status_code == 200 and not PriceObservation.objects.exists()
    for bad in ("../../etc/passwd", "x" * 32):
        response = client_for(researcher).post(URL, {"token": bad, "action": "confirm"}, follow=True)
        assert response.status_code == 200
    fresh = price_import_file_store(
        user=researcher, content=tender_xlsx(), file_format="xlsx", default_level=INTERNAL, name="a.xlsx"
    )
    client_for(researcher).post(URL, {"token": fresh, "action": "confirm"})
    assert PriceObservation.objects.count() == 3


def _other_importer():
    from apps.core.roles import RoleName
    from tests.factories import UserFactory

    return UserFactory(roles=[RoleName.RESEARCH], clearance=SECRET)


@pytest.mark.django_db
def test_r_intel_01_cancel_keeps_nothing(catalogue, researcher, client_for):
    token = price_import_file_store(
        user=researcher, content=tender_xlsx(), file_format="xlsx", default_level=INTERNAL, name="a.xlsx"
    )
    response = client_for(researcher).post(URL, {"token": token, "action": "cancel"})
    assert response.status_code == 302
    assert not storages["intel"].exists(f"{IMPORT_FOLDER}/{researcher.pk}/{token}.data")
    assert not PriceObservation.objects.exists()


@pytest.mark.django_db
def test_r_intel_01_nothing_valid_to_import(catalogue, researcher):
    rows = [[1, "不存在的产品", "", 1, "人份", "广东", "", "2026-11-20", "中标", "来源", None]]
    token = price_import_file_store(
        user=researcher, content=tender_xlsx(rows), file_format="xlsx", default_level=INTERNAL, name="a.xlsx"
    )
    with pytest.raises(importing_module.ValidationError) as exc:
        prices_import(user=researcher, token=token)
    assert exc.value.code == "nothing_to_import"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_r_intel_01_confirm_through_the_view_imports_valid_rows_and_alerts_on_commit(
    catalogue, researcher, client_for, monkeypatch
):
    filed = []
    monkeypatch.setattr(alerts, "alerts_item_filed", lambda **kwargs: filed.append(kwargs))
    client = client_for(researcher)
    preview = client.post(URL, {"file": upload(tender_xlsx()), "default_level": INTERNAL})
    token = preview.context["confirm_form"].initial["token"]
    response = client.post(URL, {"token": token, "action": "confirm"})
    assert response.status_code == 302 and response.url == reverse("intel:price_list")
    created = list(PriceObservation.objects.order_by("pk"))
    assert len(created) == 3
    assert {item.recorded_by_id for item in created} == {researcher.pk}
    assert sorted(call["pk"] for call in filed) == [item.pk for item in created]
    assert {call["model"] for call in filed} == {"price"}
    assert not storages["intel"].exists(f"{IMPORT_FOLDER}/{researcher.pk}/{token}.data")
    # A second confirmation of the same upload imports nothing twice.
    client.post(URL, {"token": token, "action": "confirm"})
    assert PriceObservation.objects.count() == 3
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_r_intel_01_templates_download_with_bilingual_headers(researcher, reader, client_for):
    client = client_for(researcher)
    csv = client.get(reverse("intel:price_import_template"), {"format": "csv"})
    assert csv.status_code == 200 and csv["Cache-Control"] == "private, no-store"
    header = csv.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("产品/product,生产企业/manufacturer,价格/price")
    xlsx = client.get(reverse("intel:price_import_template"), {"format": "xlsx"})
    assert xlsx["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["产品/product", "生产企业/manufacturer", "价格/price"]
    # The template reads back: its headers are found, its example row is checked.
    dataset, _lines = read_price_rows(content=xlsx.content, file_format="xlsx")
    assert {"product", "price", "date", "province", "channel", "source", "level"} <= set(dataset.headers)
    assert client_for(reader).get(reverse("intel:price_import_template")).status_code == 403


@pytest.mark.django_db
def test_r_intel_01_sweep_removes_only_expired_uploads(researcher, time_machine):
    old = price_import_file_store(user=researcher, content=b"x", file_format="csv", default_level=INTERNAL, name="a")
    time_machine.move_to(WORKING_MORNING + datetime.timedelta(minutes=50))
    fresh = price_import_file_store(user=researcher, content=b"y", file_format="csv", default_level=INTERNAL, name="b")
    time_machine.move_to(WORKING_MORNING + datetime.timedelta(minutes=70))
    assert price_import_files_sweep() >= 1  # uploads other tests left in the in-memory storage count too
    storage = storages["intel"]
    assert not storage.exists(f"{IMPORT_FOLDER}/{researcher.pk}/{old}.data")
    assert storage.exists(f"{IMPORT_FOLDER}/{researcher.pk}/{fresh}.data")
    price_import_file_discard(user=researcher, token=fresh)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 30])
def test_r_intel_01_checking_a_file_writes_nothing_and_costs_no_query_per_row(
    catalogue, researcher, django_assert_num_queries, count
):
    rows = [[n, "HS-CTNI", "", 30 + n, "人份", "广东", "", "2026-11-20", "中标", "来源", None] for n in range(count)]
    content = tender_xlsx(rows)
    # The three lookup tables (competitor products, our products, provinces), nothing per row, no write.
    with django_assert_num_queries(3):
        checked = price_rows_check(user=researcher, default_level=INTERNAL, content=content, file_format="xlsx")
    assert len(checked) == count and all(row.is_valid for row in checked)
    assert all(row.instance.pk is None for row in checked)
