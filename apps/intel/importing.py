"""Price observations from a spreadsheet (R-INTEL-01): tender results, quotations, price lists.

The file is read by tablib (CSV or XLSX) and each row is checked by a django-import-export
:class:`PriceObservationResource`. The resource never saves (its ``save_instance`` does nothing): it
validates every row and keeps the built instances, so the preview writes nothing and the
confirming service (``apps.intel.services.prices.prices_import``)
decides what is saved, in its own transaction, after re-checking permission and clearance.

Spreadsheets come from many hands. The header row may sit below a title (a tender result's
"XX省体外诊断试剂集中带量采购中选结果"), headers may be Chinese or English, with units in
brackets ("价格（元）"), and lookups are by the names people use: a competitor product by its
name or registration certificate number (注册证号), one of ours by its code, a province by its
Chinese, short or English name, a channel by its Chinese word or code. Every lookup table is
read once per file, so a row costs no query.
"""

import datetime
import io
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from import_export import fields, resources, widgets
from import_export.results import RowResult

from apps.core.forms import shift_years
from apps.core.models import ConfidentialityLevel
from apps.org.models import Product

from .models import CompetitorProduct, PriceChannel, PriceObservation, Province

# Canonical column -> the headers people write (compared after :func:`header_key`).
COLUMN_ALIASES = {
    "product": ("产品", "产品名称", "品名", "商品名称", "注册证号", "product", "productname", "productcode"),
    "manufacturer": ("生产企业", "生产厂家", "厂家", "企业", "竞争对手", "manufacturer", "competitor"),
    "price": ("价格", "单价", "中标价", "中标价格", "中选价", "中选价格", "报价", "price", "unitprice"),
    "currency": ("币种", "货币", "currency"),
    "unit": ("单位", "计价单位", "包装单位", "unit"),
    "date": ("日期", "观察日期", "中标日期", "中选日期", "date", "dateobserved", "observedon"),
    "province": ("省份", "省", "地区", "province"),
    "city": ("城市", "市", "city"),
    "channel": ("渠道", "价格类型", "channel"),
    "source": ("来源", "信息来源", "source"),
    "institution": ("医院", "医疗机构", "采购方", "医院/采购方", "institution", "hospital", "buyer", "hospital/buyer"),
    "level": ("密级", "level", "confidentiality", "confidentialitylevel"),
    "notes": ("备注", "notes", "note"),
}
REQUIRED_COLUMNS = ("product", "price", "date", "province", "channel", "source")

# The downloadable template: the headers in both languages, as the column is named in Chinese first.
TEMPLATE_HEADERS = (
    "产品/product",
    "生产企业/manufacturer",
    "价格/price",
    "币种/currency",
    "单位/unit",
    "日期/date",
    "省份/province",
    "城市/city",
    "渠道/channel",
    "来源/source",
    "医院/institution",
    "密级/level",
    "备注/notes",
)

# Channel words seen in spreadsheets, besides the codes and the labels of PriceChannel.
CHANNEL_WORDS = {
    "中标": PriceChannel.TENDER_RESULT,
    "中标价": PriceChannel.TENDER_RESULT,
    "中标结果": PriceChannel.TENDER_RESULT,
    "中选": PriceChannel.TENDER_RESULT,
    "中选结果": PriceChannel.TENDER_RESULT,
    "招标": PriceChannel.TENDER_RESULT,
    "集采": PriceChannel.TENDER_RESULT,
    "报价": PriceChannel.QUOTATION,
    "报价单": PriceChannel.QUOTATION,
    "经销商价": PriceChannel.DISTRIBUTOR_LIST,
    "经销商价格": PriceChannel.DISTRIBUTOR_LIST,
    "经销商价格表": PriceChannel.DISTRIBUTOR_LIST,
    "经销商": PriceChannel.DISTRIBUTOR_LIST,
    "医院采购": PriceChannel.HOSPITAL_PURCHASE,
    "采购": PriceChannel.HOSPITAL_PURCHASE,
    "医院采购价": PriceChannel.HOSPITAL_PURCHASE,
}
LEVEL_WORDS = {
    "公开": ConfidentialityLevel.PUBLIC,
    "内部": ConfidentialityLevel.INTERNAL,
    "秘密": ConfidentialityLevel.CONFIDENTIAL,
    "机密": ConfidentialityLevel.SECRET,
    "public": ConfidentialityLevel.PUBLIC,
    "internal": ConfidentialityLevel.INTERNAL,
    "confidential": ConfidentialityLevel.CONFIDENTIAL,
    "secret": ConfidentialityLevel.SECRET,
}
CURRENCY_WORDS = {"人民币": "CNY", "元": "CNY", "rmb": "CNY", "¥": "CNY", "美元": "USD", "欧元": "EUR"}
# Longest first, so that 广西壮族自治区 becomes 广西, not 广西壮族.
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")

# Rows past this are not read: a price list is hundreds of rows, a tender result a few thousand.
MAX_ROWS = 5000
# The header row is looked for among the first rows (below titles and notes).
HEADER_SEARCH_ROWS = 10
# Dates observed longer ago than this are typing slips.
YEARS_BACK = 20

_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]")
_PRICE_NOISE = re.compile(r"[,\s¥￥$元]|rmb|cny", re.IGNORECASE)
_CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_SEPARATED_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_MAX_PRICE = Decimal("9999999999.99")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


class PriceFileError(Exception):
    """The file as a whole cannot be read (no header row, missing columns, too many rows)."""

    def __init__(self, message, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_key(value) -> str:
    """Return a header reduced for matching: NFKC, lower case, no spaces, no bracketed unit, no '*'."""
    text = _text(value).lower().replace("*", "")
    text = _SPACES.sub("", _BRACKETED.sub("", text))
    return text


def _alias_table() -> dict[str, str]:
    table = {}
    for column, aliases in COLUMN_ALIASES.items():
        table[column] = column
        for alias in aliases:
            table[header_key(alias)] = column
    return table


_ALIASES = _alias_table()


def column_for(header) -> str | None:
    """Return the canonical column a header names, or None. ``产品/product`` names ``product``."""
    key = header_key(header)
    if key in _ALIASES:
        return _ALIASES[key]
    for part in key.split("/"):
        if part in _ALIASES:
            return _ALIASES[part]
    return None


def read_price_rows(*, content: bytes, file_format: str) -> tuple[tablib.Dataset, list[int]]:
    """Return the rows of a price file under canonical headers, and each row's line in the file.

    ``file_format`` is "csv" (text, UTF-8 or GB18030 as Chinese Excel writes it) or "xlsx".
    Raise :class:`PriceFileError` when the file cannot be read as a price list.
    """
    raw = _raw_rows(content=content, file_format=file_format)
    header_index = None
    for index, row in enumerate(raw[:HEADER_SEARCH_ROWS]):
        columns = {column_for(cell) for cell in row}
        if {"product", "price"} <= columns:
            header_index = index
            break
    if header_index is None:
        raise PriceFileError(
            gettext("No header row with a product and a price column was found. Start from the template."),
            code="no_header",
        )
    columns = [column_for(cell) for cell in raw[header_index]]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise PriceFileError(
            gettext("The file lacks these columns: %(columns)s.") % {"columns": "、".join(missing)},
            code="missing_columns",
        )
    kept = [position for position, column in enumerate(columns) if column and columns.index(column) == position]
    dataset = tablib.Dataset(headers=[columns[position] for position in kept])
    lines = []
    for offset, row in enumerate(raw[header_index + 1 :], start=header_index + 2):
        values = [row[position] if position < len(row) else None for position in kept]
        if all(_text(value) == "" for value in values):
            continue
        if len(dataset) >= MAX_ROWS:
            raise PriceFileError(
                gettext("The file has more than %(count)s rows. Split it into smaller files.") % {"count": MAX_ROWS},
                code="too_many_rows",
            )
        dataset.append(values)
        lines.append(offset)
    if not len(dataset):
        raise PriceFileError(gettext("The file has no price rows."), code="empty")
    return dataset, lines


def _raw_rows(*, content: bytes, file_format: str) -> list[list]:
    if file_format == "xlsx":
        try:
            data = tablib.Dataset().load(io.BytesIO(content), format="xlsx", headers=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise PriceFileError(gettext("The spreadsheet could not be read."), code="unreadable") from exc
        return [list(row) for row in data]
    text = decode_csv(content)
    if text is None:
        raise PriceFileError(gettext("The CSV file is not text in UTF-8 or GB18030."), code="not_text")
    try:
        data = tablib.Dataset().load(text, format="csv", headers=False)
    except Exception as exc:  # the csv module raises csv.Error and ValueError
        raise PriceFileError(gettext("The CSV file could not be read."), code="unreadable") from exc
    return [list(row) for row in data]


def decode_csv(content: bytes) -> str | None:
    """Return the text of a CSV file in UTF-8 (with or without BOM) or GB18030, or None if it is neither."""
    if b"\x00" in content:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def template_dataset() -> tablib.Dataset:
    """Return the import template: the bilingual headers and one example row."""
    dataset = tablib.Dataset(headers=list(TEMPLATE_HEADERS))
    dataset.append(
        [
            "全自动化学发光免疫分析仪配套试剂",
            "",
            "28.50",
            "CNY",
            "人份",
            timezone.localdate().isoformat(),
            "广东省",
            "广州市",
            "中标",
            "广东省药品交易中心",
            "",
            "内部",
            "",
        ]
    )
    return dataset


# ---------------------------------------------------------------------------------------------
# Widgets: each turns one cell into a value or raises ValueError with a message for people.


class PriceWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _PRICE_NOISE.sub("", _text(value))
        if not text:
            raise ValueError(gettext("Enter a price."))
        try:
            price = Decimal(text)
        except InvalidOperation:
            raise ValueError(gettext("“%(value)s” is not a price.") % {"value": _text(value)}) from None
        if not price.is_finite() or price <= 0:
            raise ValueError(gettext("The price must be more than zero."))
        if price > _MAX_PRICE:
            raise ValueError(gettext("The price is too large."))
        return price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class ObservedDateWidget(widgets.Widget):
    def __init__(self, *, today: datetime.date | None = None):
        super().__init__()
        # Read once per file, not per row (and the same for every row of the file).
        self.today = today

    def clean(self, value, row=None, **kwargs):
        day = self._day(value)
        today = self.today or timezone.localdate()
        if day > today:
            raise ValueError(gettext("The date observed cannot be in the future."))
        if day < shift_years(today, -YEARS_BACK):
            raise ValueError(gettext("The date observed is more than %(years)s years ago.") % {"years": YEARS_BACK})
        return day

    @staticmethod
    def _day(value) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
            # A date cell that kept its Excel serial number.
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = _text(value)
        if not text:
            raise ValueError(gettext("Enter the date observed."))
        match = _SEPARATED_DATE.match(text) or _CHINESE_DATE.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        raise ValueError(gettext("“%(value)s” is not a date such as 2026-11-20.") % {"value": text})


class LookupWidget(widgets.Widget):
    """A value found in a table read once per file; ``message`` names the value that was not found."""

    def __init__(self, table: dict, message, *, required: bool = True, default=None):
        super().__init__()
        self.table = table
        self.message = message
        self.required = required
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(gettext("This value is required."))
            return self.default
        found = self.table.get(text.lower())
        if found is None:
            raise ValueError(self.message % {"value": text})
        return found


class TextWidget(widgets.Widget):
    def __init__(self, *, max_length: int, required: bool = False, default: str = ""):
        super().__init__()
        self.max_length = max_length
        self.required = required
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _SPACES.sub(" ", _text(value))
        if not text:
            if self.required:
                raise ValueError(gettext("This value is required."))
            return self.default
        if len(text) > self.max_length:
            raise ValueError(gettext("At most %(count)s characters.") % {"count": self.max_length})
        return text


class CurrencyWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return "CNY"
        code = CURRENCY_WORDS.get(text.lower(), text.upper())
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError(gettext("“%(value)s” is not a currency code such as CNY.") % {"value": text})
        return code


class ProductField(fields.Field):
    """The product column: a competitor product (by name or registration number) or ours (by code)."""

    def __init__(self, *, resource, **kwargs):
        super().__init__(attribute="competitor_product", column_name="product", **kwargs)
        self.resource = resource

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = _text(row.get("product"))
        if not text:
            raise ValueError(gettext("Enter a product."))
        maker = _text(row.get("manufacturer")).lower()
        matches = self.resource.competitor_products.get(text.lower(), [])
        if maker and len(matches) > 1:
            matches = [product for product in matches if maker in self.resource.maker_names[product.competitor_id]]
        ours = self.resource.our_products.get(text.lower())
        if len(matches) > 1:
            raise ValueError(
                gettext("“%(value)s” names several competitor products; use the registration number.") % {"value": text}
            )
        if matches and ours:
            raise ValueError(
                gettext("“%(value)s” names a competitor product and one of ours; use the registration number.")
                % {"value": text}
            )
        if matches:
            instance.competitor_product, instance.our_product = matches[0], None
        elif ours:
            instance.competitor_product, instance.our_product = None, ours
        else:
            raise ValueError(gettext("No product “%(value)s” is known.") % {"value": text})


class PriceObservationResource(resources.ModelResource):
    """Rows of a price file; built for one importer, whose clearance caps each row's level."""

    price = fields.Field(attribute="price", column_name="price", widget=PriceWidget())
    observed_on = fields.Field(attribute="observed_on", column_name="date", widget=ObservedDateWidget())
    currency = fields.Field(attribute="currency", column_name="currency", widget=CurrencyWidget())
    unit = fields.Field(attribute="unit", column_name="unit", widget=TextWidget(max_length=20))
    city = fields.Field(attribute="city", column_name="city", widget=TextWidget(max_length=40))
    source = fields.Field(attribute="source", column_name="source", widget=TextWidget(max_length=200, required=True))
    institution = fields.Field(attribute="institution", column_name="institution", widget=TextWidget(max_length=100))
    notes = fields.Field(attribute="notes", column_name="notes", widget=TextWidget(max_length=200))

    class Meta:
        model = PriceObservation
        fields = (
            "price",
            "currency",
            "unit",
            "observed_on",
            "province",
            "city",
            "channel",
            "source",
            "institution",
            "confidentiality",
            "notes",
        )
        import_id_fields = ()
        # Every row is a new observation; nothing is looked up or updated.
        force_init_instance = True
        skip_diff = True
        store_instance = True
        clean_model_instances = False
        use_transactions = False

    def __init__(self, *, user, default_level: int):
        self.user = user
        self.default_level = int(default_level)
        self._load_lookups()
        super().__init__()
        self.fields["product"] = ProductField(resource=self)
        self.fields["observed_on"] = fields.Field(
            attribute="observed_on", column_name="date", widget=ObservedDateWidget(today=timezone.localdate())
        )
        self.fields["province"] = fields.Field(
            attribute="province",
            column_name="province",
            widget=LookupWidget(self.provinces, gettext("No province “%(value)s” is known.")),
        )
        self.fields["channel"] = fields.Field(
            attribute="channel",
            column_name="channel",
            widget=LookupWidget(
                self.channels,
                gettext("“%(value)s” is not a channel (中标、报价、经销商价、医院采购)."),
            ),
        )
        self.fields["confidentiality"] = fields.Field(
            attribute="confidentiality",
            column_name="level",
            widget=LookupWidget(
                self.levels,
                gettext("“%(value)s” is not a level (公开、内部、秘密、机密)."),
                required=False,
                default=self.default_level,
            ),
        )

    def _load_lookups(self) -> None:
        self.competitor_products: dict[str, list[CompetitorProduct]] = {}
        self.maker_names: dict[int, str] = {}
        for product in CompetitorProduct.objects.select_related("competitor"):
            keys = {product.name.lower()}
            if product.registration_number:
                keys.add(product.registration_number.lower())
            for key in keys:
                self.competitor_products.setdefault(_text(key), []).append(product)
            competitor = product.competitor
            self.maker_names[competitor.pk] = f"{competitor.name} {competitor.short_name}".lower()
        self.our_products = {_text(code).lower(): product for code, product in _our_products()}
        self.provinces = {}
        for province in Province.objects.all():
            names = {province.name, province.code, province.name_en.lower()}
            short = province.name
            for suffix in PROVINCE_SUFFIXES:
                if short.endswith(suffix) and len(short) > len(suffix) + 1:
                    short = short[: -len(suffix)]
                    break
            names.add(short)
            for name in names - {""}:
                self.provinces[name.lower()] = province
        self.channels = {**CHANNEL_WORDS}
        for value, label in PriceChannel.choices:
            self.channels[value] = value
            self.channels[str(label).lower()] = value
        self.levels = {}
        for value, label in ConfidentialityLevel.choices:
            self.levels[str(value)] = value
            self.levels[str(label).lower()] = value
        self.levels.update(LEVEL_WORDS)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Save nothing: the resource only checks rows; ``prices_import`` saves the valid ones."""
        return None

    def after_import(self, dataset, result, **kwargs):
        """Skip ModelResource's reset of the id sequence: nothing was saved, so it has nothing to reset."""
        return None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "product" not in row:
            errors.setdefault("competitor_product", []).append(ValidationError(gettext("Enter a product.")))
        if "level" not in row:
            instance.confidentiality = self.default_level
        if "confidentiality" not in errors and instance.confidentiality > self.user.clearance:
            errors.setdefault("confidentiality", []).append(
                ValidationError(gettext("The level is above your clearance."), code="level_above_clearance")
            )
        if "currency" not in row:
            instance.currency = "CNY"
        instance.recorded_by = self.user
        if errors:
            raise ValidationError(errors)


def _our_products():
    for product in Product.objects.all():
        yield product.code, product
        yield product.name, product


def row_messages(validation_error: ValidationError) -> list[str]:
    """Return a row's problems as "Field: message" lines in the active language."""
    labels = {
        "competitor_product": gettext("Product"),
        "our_product": gettext("Product"),
        "price": gettext("Price"),
        "currency": gettext("Currency"),
        "unit": gettext("Unit"),
        "observed_on": gettext("Date observed"),
        "province": gettext("Province"),
        "city": gettext("City"),
        "channel": gettext("Channel"),
        "source": gettext("Source"),
        "institution": gettext("Hospital or buyer"),
        "confidentiality": gettext("Level"),
        "notes": gettext("Notes"),
    }
    lines = []
    for field, errors in validation_error.message_dict.items():
        label = labels.get(field)
        for message in errors:
            lines.append(
                gettext("%(field)s: %(message)s") % {"field": label, "message": message} if label else str(message)
            )
    return lines


class PriceRowPreview:
    """One row of the preview: its line in the file, what it reads as, and its problems."""

    def __init__(self, *, line: int, values: dict, instance=None, errors=(), error_fields=()):
        self.line = line
        self.values = values
        self.instance = instance
        self.errors = list(errors)
        # The model fields the problems are about ("price", "province", ...), for programs and tests.
        self.error_fields = set(error_fields)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def price_rows_check(*, user, default_level: int, content: bytes, file_format: str) -> list[PriceRowPreview]:
    """Check every row of a price file for ``user``; save nothing. Raise :class:`PriceFileError`."""
    dataset, lines = read_price_rows(content=content, file_format=file_format)
    resource = PriceObservationResource(user=user, default_level=default_level)
    # The resource saves nothing (save_instance), so no transaction or savepoint is needed either:
    # a file of thousands of rows costs the three lookup queries and nothing per row.
    result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
    previews = []
    for line, values, row_result in zip(lines, dataset.dict, result.rows, strict=True):
        error_fields = ()
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            errors = row_messages(row_result.validation_error)
            error_fields = row_result.validation_error.message_dict.keys()
        elif row_result.import_type != RowResult.IMPORT_TYPE_NEW or row_result.instance is None:
            errors = [gettext("This row could not be read.")]
        else:
            errors = []
        previews.append(
            PriceRowPreview(
                line=line,
                values=dict(values),
                instance=None if errors else row_result.instance,
                errors=errors,
                error_fields=error_fields,
            )
        )
    return previews
