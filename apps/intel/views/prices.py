"""Pages of the price area: list, export, record, archive, chart data, comparison, import."""

import io

import filetype
import xlsxwriter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.export import csv_response, sanitize_cell
from apps.core.forms import add_service_error
from apps.core.http import private_download
from apps.core.models import AccessLog, ConfidentialityLevel
from apps.core.pagination import paginate
from apps.core.text import join_messages
from apps.core.uploads import upload_display_name, upload_kind

from ..filters.prices import PriceObservationFilter
from ..forms.prices import (
    IMPORT_MAX_BYTES,
    PriceArchiveForm,
    PriceCompareForm,
    PriceImportConfirmForm,
    PriceImportForm,
    PriceObservationForm,
)
from ..importing import PriceFileError, decode_csv, price_rows_check, template_dataset
from ..models import PriceChannel
from ..permissions import can_import_prices, can_record_price, can_view_intel
from ..selectors.prices import (
    competitor_product_get,
    price_chart,
    price_comparison,
    price_comparison_chart,
    price_observation_get,
    price_observation_list_visible_to,
    price_totals,
)
from ..services.prices import (
    can_archive_price,
    price_chart_record_read,
    price_import_file_discard,
    price_import_file_store,
    price_observation_archive,
    price_observation_create,
    price_observations_record_reads,
    prices_import,
    prices_preview,
)

# An export holds at most this many rows (the newest first): enough for any analysis in a spreadsheet.
EXPORT_MAX_ROWS = 20000
# The list counts and totals at most this many rows: lowest, average and highest over more prices
# (many products, all provinces) say little, and counting half a million rows costs a scan of them.
TOTALS_MAX_ROWS = 10000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _filtered(request):
    filterset = PriceObservationFilter(
        request.GET or None, queryset=price_observation_list_visible_to(user=request.user), user=request.user
    )
    if filterset.is_bound and not filterset.is_valid():
        messages.warning(request, _("Some filters could not be read and were left out."))
    return filterset


@require_GET
def price_list(request):
    _require(can_view_intel(user=request.user))
    filterset = _filtered(request)
    queryset = filterset.qs
    totals = price_totals(queryset=queryset, cap=TOTALS_MAX_ROWS)
    # The totals count the same rows (up to the cap): the paginator need not scan them again.
    page = paginate(request, queryset, count=totals.count)
    price_observations_record_reads(user=request.user, observations=page.object_list, request=request)
    return render(
        request,
        "intel/prices/price_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "totals": totals.rows,
            "totals_capped": totals.capped,
            "can_record": can_record_price(user=request.user),
            "can_import": can_import_prices(user=request.user),
            "can_archive": can_archive_price(user=request.user),
            "export_query": request.GET.urlencode(),
            "chart_product": _chosen_product(filterset),
        },
    )


def _chosen_product(filterset):
    """Return the competitor product the list is narrowed to, whose price history is then drawn."""
    if filterset.is_bound and filterset.is_valid():
        return filterset.form.cleaned_data.get("competitor_product")
    return None


def _export_rows(observations):
    levels = dict(ConfidentialityLevel.choices)
    channels = dict(PriceChannel.choices)
    for item in observations:
        product = item.competitor_product or item.our_product
        competitor = item.competitor_product.competitor if item.competitor_product else ""
        yield [
            item.observed_on,
            str(competitor),
            str(product),
            _("Ours") if item.our_product_id else _("Competitor"),
            item.price,
            item.currency,
            item.unit,
            str(item.province),
            item.city,
            str(channels.get(item.channel, item.channel)),
            item.source,
            item.institution,
            str(levels.get(item.confidentiality, item.confidentiality)),
            item.notes,
        ]


def _export_header() -> list[str]:
    return [
        _("Date observed"),
        _("Competitor"),
        _("Product"),
        _("Whose"),
        _("Price"),
        _("Currency"),
        _("Unit"),
        _("Province"),
        _("City"),
        _("Channel"),
        _("Source"),
        _("Hospital or buyer"),
        _("Confidentiality level"),
        _("Notes"),
    ]


def _xlsx_response(*, filename: str, header: list, rows) -> HttpResponse:
    buffer = io.BytesIO()
    # Text stays text: no cell becomes a formula or a link, whatever it starts with.
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet(_("Prices"))
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    for column, title in enumerate(header):
        sheet.write_string(0, column, str(sanitize_cell(title)), bold)
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if column == 0:
                sheet.write_datetime(line, column, value, day)
            elif column == 4:
                sheet.write_number(line, column, float(value), money)
            else:
                sheet.write_string(line, column, str(sanitize_cell(value or "")))
    sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private_download(response)


@require_GET
def price_export(request):
    """The filtered observations the user may see, as CSV or XLSX; confidential rows are logged as exported."""
    _require(can_view_intel(user=request.user))
    filterset = _filtered(request)
    observations = list(filterset.qs[:EXPORT_MAX_ROWS])
    price_observations_record_reads(
        user=request.user, observations=observations, action=AccessLog.Action.EXPORT, request=request
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(filename=f"prices-{stamp}.xlsx", header=_export_header(), rows=_export_rows(observations))
    rows = (
        [cell.isoformat() if index == 0 else cell for index, cell in enumerate(row)]
        for row in _export_rows(observations)
    )
    return csv_response(filename=f"prices-{stamp}.csv", header=_export_header(), rows=rows)


@require_http_methods(["GET", "POST"])
def price_create(request):
    _require(can_record_price(user=request.user))
    if request.method == "POST":
        form = PriceObservationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                price_observation_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The price observation has been recorded."))
                return redirect("intel:price_list")
    else:
        form = PriceObservationForm(user=request.user, initial={"observed_on": timezone.localdate()})
    return render(request, "intel/prices/price_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def price_archive(request, pk: int):
    observation = price_observation_get(user=request.user, pk=pk)
    _require(can_archive_price(user=request.user, observation=observation))
    if request.method == "POST":
        try:
            price_observation_archive(user=request.user, observation=observation)
        except ValidationError as exc:
            messages.error(request, join_messages(exc.messages))
        else:
            messages.success(request, _("The price observation has been archived."))
        return redirect("intel:price_list")
    price_observations_record_reads(user=request.user, observations=[observation], request=request)
    return render(request, "intel/prices/price_archive.html", {"observation": observation, "form": PriceArchiveForm()})


@require_GET
def product_price_chart(request, pk: int):
    """Return the monthly price summary of a competitor product, over what the user may see, for its chart.

    One point per month and series (channel, currency, unit): the number of prices, the lowest,
    the median and the highest. One access-log entry covers the confidential prices aggregated.
    """
    _require(can_view_intel(user=request.user))
    product = competitor_product_get(pk=pk)
    chart = price_chart(user=request.user, product=product)
    price_chart_record_read(
        user=request.user, product=product, classified=chart.classified, level=chart.level, request=request
    )
    response = JsonResponse(
        {
            "product": product.name,
            "label": _("Median price per month"),
            "count": chart.count,
            "months": sorted({group["month"].strftime("%Y-%m") for group in chart.groups}),
            "series": _chart_series(chart.groups),
            # The tooltip of a month, filled in by the script: the placeholders are kept as they are.
            "tooltip": _("%(series)s: median %(median)s (lowest %(low)s, highest %(high)s; prices: %(count)s)"),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _chart_series(groups: list[dict]) -> list[dict]:
    """Group the monthly figures into one series per channel, currency and unit (oldest month first)."""
    channels = dict(PriceChannel.choices)
    series: dict[tuple, dict] = {}
    for group in groups:
        key = (group["channel"], group["currency"], group["unit"])
        if key not in series:
            series[key] = {
                "channel": str(channels.get(group["channel"], group["channel"])),
                "currency": group["currency"],
                "unit": group["unit"],
                "points": [],
            }
        series[key]["points"].append(
            {
                "month": group["month"].strftime("%Y-%m"),
                "count": group["count"],
                "low": float(group["low"]),
                "median": float(group["median"]),
                "high": float(group["high"]),
            }
        )
    # The currency and unit name a series only when the product was priced in more than one.
    several = len({(currency, unit) for _channel, currency, unit in series}) > 1
    for item in series.values():
        unit = f"/{item['unit']}" if item["unit"] else ""
        item["label"] = f"{item['channel']} · {item['currency']}{unit}" if several else item["channel"]
    return sorted(series.values(), key=lambda item: (item["channel"], item["currency"], item["unit"]))


@require_GET
def price_compare(request):
    _require(can_view_intel(user=request.user))
    form = PriceCompareForm(request.GET or None)
    comparison = chart = None
    if form.is_bound and form.is_valid():
        comparison = price_comparison(user=request.user, product=form.cleaned_data["product"])
        chart = price_comparison_chart(comparison=comparison)
    return render(
        request,
        "intel/prices/price_compare.html",
        {
            "form": form,
            "comparison": comparison,
            "chart": chart,
            "product": form.cleaned_data.get("product") if comparison else None,
        },
    )


def _upload_format(upload) -> str | None:
    """Return "xlsx" or "csv" for an acceptable price file, else None; the content decides, not the name."""
    name = (upload.name or "").lower()
    if upload_kind(upload, allowed=("xlsx",)) is not None:
        return "xlsx" if name.endswith(".xlsx") else None
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    # A CSV is text, which has no signature: accepted by its name when its content is no known binary type.
    if name.endswith(".csv") and head and filetype.guess(head) is None:
        return "csv"
    return None


@require_http_methods(["GET", "POST"])
def price_import(request):
    """Step 1 (upload): check every row and show the preview; step 2 (confirm): import the valid rows."""
    user = request.user
    _require(can_import_prices(user=user))
    if request.method == "POST" and "token" in request.POST:
        return _price_import_confirm(request)
    form = PriceImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file_format = _upload_format(upload)
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)})
        elif file_format is None:
            form.add_error("file", _("Upload a CSV or XLSX file."))
        else:
            content = upload.read()
            if file_format == "csv" and decode_csv(content) is None:
                form.add_error("file", _("The CSV file is not text in UTF-8 or GB18030."))
            else:
                try:
                    rows = price_rows_check(
                        user=user,
                        default_level=form.cleaned_data["default_level"],
                        content=content,
                        file_format=file_format,
                    )
                except PriceFileError as exc:
                    form.add_error("file", exc.message)
                else:
                    token = price_import_file_store(
                        user=user,
                        content=content,
                        file_format=file_format,
                        default_level=form.cleaned_data["default_level"],
                        name=upload_display_name(upload.name),
                    )
                    return _preview(request, rows=rows, token=token, name=upload_display_name(upload.name))
    return render(request, "intel/prices/price_import.html", {"form": form})


def _preview(request, *, rows, token: str, name: str):
    valid = sum(1 for row in rows if row.is_valid)
    return render(
        request,
        "intel/prices/price_import_preview.html",
        {
            "rows": rows,
            "name": name,
            "valid_count": valid,
            "invalid_count": len(rows) - valid,
            "confirm_form": PriceImportConfirmForm(initial={"token": token}),
        },
    )


def _price_import_confirm(request):
    user = request.user
    form = PriceImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This upload has expired. Upload the file again."))
        return redirect("intel:price_import")
    token = form.cleaned_data["token"]
    if request.POST.get("action") == "cancel":
        price_import_file_discard(user=user, token=token)
        messages.info(request, _("The import was cancelled; nothing was saved."))
        return redirect("intel:price_import")
    try:
        counts = prices_import(user=user, token=token)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
        if exc.code == "nothing_to_import":
            rows, meta = prices_preview(user=user, token=token)
            return _preview(request, rows=rows, token=token, name=meta["name"])
        return redirect("intel:price_import")
    messages.success(
        request,
        _("Imported: %(created)s; left out: %(skipped)s.") % counts,
    )
    return redirect("intel:price_list")


@require_GET
def price_import_template(request):
    """The import template with the bilingual headers, as CSV or XLSX."""
    _require(can_import_prices(user=request.user))
    dataset = template_dataset()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="price-import-template.xlsx"'
        return private_download(response)
    return csv_response(filename="price-import-template.csv", header=dataset.headers, rows=list(dataset))
