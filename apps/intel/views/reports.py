"""Pages of intelligence reports, policies, attachments and the confidential access log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from apps.core.export import csv_response
from apps.core.forms import add_service_error
from apps.core.http import private_file_response
from apps.core.models import AccessLog, ConfidentialityLevel
from apps.core.pagination import paginate
from apps.core.services import classified_record_read
from apps.core.text import join_messages
from apps.core.uploads import upload_download_name, upload_kind

from ..filters.reports import AccessLogFilter, IntelReportFilter
from ..forms.reports import AttachmentForm, IntelReportForm, LevelChangeForm
from ..models import IntelReport
from ..permissions import can_edit_report, can_file_report, can_view_access_log, require_intel_viewer
from ..selectors.reports import (
    access_log_list,
    intel_attachment_get,
    intel_attachments_visible_to,
    intel_policy_list_visible_to,
    intel_report_for_change,
    intel_report_for_export,
    intel_report_get,
    intel_report_level_changes,
    intel_report_list_visible_to,
    intel_report_research_plan,
    level_change_list,
)
from ..services.reports import (
    ATTACHMENT_TYPES,
    intel_attachment_add,
    intel_report_archive,
    intel_report_create,
    intel_report_level_change,
    intel_report_update,
    intel_reports_export_log,
)

# One export holds at most this many rows: a bigger one is narrowed by the filters first.
EXPORT_MAX_ROWS = getattr(settings, "INTEL_EXPORT_MAX_ROWS", 5000)


def _filtered(request, *, policies: bool) -> IntelReportFilter:
    user = request.user
    queryset = (intel_policy_list_visible_to if policies else intel_report_list_visible_to)(user=user)
    return IntelReportFilter(request.GET or None, queryset=queryset, user=user, policies=policies)


def _list(request, *, policies: bool):
    require_intel_viewer(request.user)
    filterset = _filtered(request, policies=policies)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "intel/reports/report_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "policies": policies,
            "can_file": can_file_report(user=request.user),
            "export_query": request.GET.urlencode(),
        },
    )


@require_GET
def report_list(request):
    return _list(request, policies=False)


@require_GET
def policy_list(request):
    return _list(request, policies=True)


def _names(items) -> str:
    return pgettext("list separator", ", ").join(str(item) for item in items)


@require_GET
def report_export(request):
    """The filtered reports the user may see, as CSV; each confidential row exported is logged."""
    require_intel_viewer(request.user)
    policies = request.GET.get("kind") == IntelReport.Kind.POLICY
    filterset = _filtered(request, policies=False)
    reports = list(intel_report_for_export(queryset=filterset.qs)[: EXPORT_MAX_ROWS + 1])
    if len(reports) > EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("An export holds at most %(count)s reports: narrow the filters first.") % {"count": EXPORT_MAX_ROWS},
        )
        target = "intel:policy_list" if policies else "intel:report_list"
        return redirect(f"{reverse(target)}?{request.GET.urlencode()}")
    intel_reports_export_log(user=request.user, reports=reports, request=request)
    header = [
        _("ID"),
        _("Type"),
        _("Title"),
        _("Date"),
        _("Source"),
        _("Confidentiality level"),
        _("Competitors"),
        _("Competitor products"),
        _("Provinces"),
        _("Tags"),
        _("Issuer"),
        _("Document number"),
        _("Effective date"),
        _("Filed by"),
        _("Body"),
    ]
    rows = (
        [
            report.pk,
            report.get_kind_display(),
            report.title,
            report.reported_on.isoformat(),
            report.source,
            report.get_confidentiality_display(),
            _names(report.competitor_list),
            _names(report.products.all()),
            _names(report.province_list),
            _names(report.tag_list),
            report.issuer,
            report.document_number,
            report.effective_on.isoformat() if report.effective_on else "",
            report.author.get_full_name(),
            report.body,
        ]
        for report in reports
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"intel-reports-{stamp}.csv", header=header, rows=rows)


@require_GET
def report_detail(request, pk: int):
    user = request.user
    require_intel_viewer(user)
    report = intel_report_get(user=user, pk=pk)
    classified_record_read(user=user, obj=report, action=AccessLog.Action.VIEW, request=request)
    attachments = list(intel_attachments_visible_to(user=user, report=report))
    can_edit = can_edit_report(user=user, report=report)
    level_changes = (
        list(intel_report_level_changes(user=user, report=report, attachment_ids=[a.pk for a in attachments]))
        if can_edit
        else []
    )
    return render(
        request,
        "intel/reports/report_detail.html",
        {
            "report": report,
            "attachments": attachments,
            "research_plan": intel_report_research_plan(user=user, report=report),
            "can_edit": can_edit,
            "level_changes": level_changes,
            "attachment_form": AttachmentForm() if can_edit else None,
            "breadcrumbs": _breadcrumbs(report),
        },
    )


def _breadcrumbs(report: IntelReport, current: str | None = None) -> list[dict]:
    if report.is_policy:
        trail = [{"label": _("Policies and announcements"), "url": reverse("intel:policy_list")}]
    else:
        trail = [{"label": _("Intelligence reports"), "url": reverse("intel:report_list")}]
    if current:
        trail.append({"label": report.title, "url": reverse("intel:report_detail", args=[report.pk])})
        trail.append({"label": current})
    else:
        trail.append({"label": report.title})
    return trail


def report_create(request):
    user = request.user
    if not can_file_report(user=user):
        raise PermissionDenied
    if request.method == "POST":
        form = IntelReportForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                report = intel_report_create(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The report has been filed."))
                return redirect("intel:report_detail", pk=report.pk)
    else:
        initial = {"reported_on": timezone.localdate()}
        if request.GET.get("kind") in IntelReport.Kind.values:
            initial["kind"] = request.GET["kind"]
        form = IntelReportForm(user=user, initial=initial)
    return render(request, "intel/reports/report_form.html", {"form": form, "report": None})


def report_edit(request, pk: int):
    user = request.user
    report = intel_report_get(user=user, pk=pk)
    if not can_edit_report(user=user, report=report):
        raise PermissionDenied
    if request.method == "POST":
        form = IntelReportForm(request.POST, user=user, report=report)
        if form.is_valid():
            try:
                intel_report_update(user=user, report=report, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The report has been saved."))
                return redirect("intel:report_detail", pk=report.pk)
    else:
        # The form shows the whole report: a read like the detail page.
        classified_record_read(user=user, obj=report, action=AccessLog.Action.VIEW, request=request)
        form = IntelReportForm(user=user, report=report)
    return render(
        request,
        "intel/reports/report_form.html",
        {"form": form, "report": report, "breadcrumbs": _breadcrumbs(report, _("Edit"))},
    )


def report_level(request, pk: int):
    user = request.user
    report = intel_report_for_change(user=user, pk=pk)
    if not can_edit_report(user=user, report=report):
        raise PermissionDenied
    if request.method == "POST":
        form = LevelChangeForm(request.POST)
        if form.is_valid():
            try:
                intel_report_level_change(user=user, report=report, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The level is now %(level)s.") % {"level": ConfidentialityLevel(report.confidentiality).label},
                )
                return redirect("intel:report_detail", pk=report.pk)
    else:
        form = LevelChangeForm(initial={"new_level": report.confidentiality})
    return render(
        request,
        "intel/reports/report_level.html",
        {"form": form, "report": report, "breadcrumbs": _breadcrumbs(report, _("Change the level"))},
    )


def report_archive(request, pk: int):
    user = request.user
    report = intel_report_for_change(user=user, pk=pk)
    if not can_edit_report(user=user, report=report):
        raise PermissionDenied
    if request.method == "POST":
        try:
            intel_report_archive(user=user, report=report)
        except ValidationError as exc:
            messages.error(request, join_messages(exc.messages))
            return redirect("intel:report_detail", pk=report.pk)
        messages.success(request, _("The report has been archived."))
        return redirect("intel:policy_list" if report.is_policy else "intel:report_list")
    return render(
        request,
        "intel/reports/report_archive.html",
        {"report": report, "breadcrumbs": _breadcrumbs(report, _("Archive"))},
    )


def attachment_add(request, pk: int):
    user = request.user
    report = intel_report_for_change(user=user, pk=pk)
    if not can_edit_report(user=user, report=report):
        raise PermissionDenied
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                intel_attachment_add(
                    user=user,
                    report=report,
                    upload=form.cleaned_data["attachment"],
                    confidentiality=form.cleaned_data["confidentiality"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The attachment has been added."))
                return redirect("intel:report_detail", pk=report.pk)
    else:
        form = AttachmentForm()
    return render(
        request,
        "intel/reports/attachment_form.html",
        {"form": form, "report": report, "breadcrumbs": _breadcrumbs(report, _("Add an attachment"))},
    )


@require_GET
def attachment_download(request, pk: int):
    user = request.user
    require_intel_viewer(user)
    attachment = intel_attachment_get(user=user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    classified_record_read(user=user, obj=attachment, action=AccessLog.Action.DOWNLOAD, request=request)
    # Typed by content at every download, whatever the stored row says.
    kind = upload_kind(handle, allowed=ATTACHMENT_TYPES)
    return private_file_response(
        handle,
        filename=upload_download_name(attachment.original_name, kind),
        content_type=kind.mime if kind else "application/octet-stream",
    )


@require_GET
def access_log(request):
    """Who read which confidential item, and every level change; filtered, paginated, exportable."""
    user = request.user
    if not can_view_access_log(user=user):
        raise PermissionDenied
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "csv"
    if request.GET.get("tab") == "changes":
        changes = level_change_list(user=user)
        if request.GET.get("export") == "csv":
            return _level_changes_csv(changes)
        page = paginate(request, changes)
        return render(
            request,
            "intel/reports/access_log.html",
            {"page_obj": page, "tab": "changes", "export_query": query.urlencode()},
        )
    filterset = AccessLogFilter(request.GET or None, queryset=access_log_list(user=user), user=user)
    if request.GET.get("export") == "csv":
        return _access_log_csv(filterset.qs)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "intel/reports/access_log.html",
        {"page_obj": page, "filter": filterset, "tab": "reads", "export_query": query.urlencode()},
    )


def _item_type(content_type) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


# The log export streams in chunks; it stops at this many rows (narrow the filters for more).
LOG_EXPORT_MAX_ROWS = EXPORT_MAX_ROWS * 10


def _level_changes_csv(queryset):
    header = [
        _("Time"),
        _("Changed by"),
        _("Item type"),
        _("Item"),
        _("Old level"),
        _("New level"),
        _("Reason for the change"),
    ]
    rows = (
        [
            timezone.localtime(change.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            change.changed_by.get_full_name(),
            _item_type(change.content_type),
            change.object_repr,
            change.get_old_level_display(),
            change.get_new_level_display(),
            change.reason,
        ]
        for change in queryset[:LOG_EXPORT_MAX_ROWS].iterator(chunk_size=2000)
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"level-changes-{stamp}.csv", header=header, rows=rows)


def _access_log_csv(queryset):
    header = [
        _("Time"),
        _("Person"),
        _("Action"),
        _("Item type"),
        _("Item"),
        _("Confidentiality level"),
        _("IP address"),
    ]
    rows = (
        [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user.get_full_name(),
            entry.get_action_display(),
            _item_type(entry.content_type),
            entry.object_repr,
            entry.get_confidentiality_display(),
            entry.ip_address or "",
        ]
        for entry in queryset[:LOG_EXPORT_MAX_ROWS].iterator(chunk_size=2000)
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"access-log-{stamp}.csv", header=header, rows=rows)
