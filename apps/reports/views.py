from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_error
from apps.core.http import private_file_response
from apps.core.pagination import paginate

from .filters import ReportJobFilter
from .models import ReportJob
from .permissions import can_download_report_job
from .registry import report_type, report_types, report_types_for
from .selectors import report_jobs_visible_to
from .services import report_job_request, report_job_retry

_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def report_index(request):
    job_filter = ReportJobFilter(request.GET, queryset=report_jobs_visible_to(user=request.user))
    if not job_filter.is_valid():
        messages.warning(request, _("A filter could not be read and was ignored."))
    # Only the valid filters apply; the lists show them as chosen.
    type_code = job_filter.form.cleaned_data.get("type", "")
    status = job_filter.form.cleaned_data.get("status", "")
    page = paginate(request, job_filter.qs.order_by("-created_at"))
    return render(
        request,
        "reports/index.html",
        {
            "available": report_types_for(request.user),
            "page_obj": page,
            "all_types": report_types(),
            "statuses": ReportJob.Status.choices,
            "type_code": type_code,
            "status": status,
        },
    )


def _report_or_404(request, code):
    report = report_type(code)
    if report is None or not report.user_may_request(request.user):
        raise Http404
    return report


def report_type_view(request, code):
    """The report's page: its parameters, its figures as a chart, and a button to build the file."""
    report = _report_or_404(request, code)
    user = request.user
    if request.method == "POST":
        form = report.get_form(request.POST, user=user)
        file_format = request.POST.get("format", "xlsx")
        # "Show the chart" posts the same form: by GET its CSRF token would land in the URL.
        wants_chart = request.POST.get("action") == "chart"
        if form.is_valid() and not wants_chart:
            try:
                job = report_job_request(
                    user=user, report=report, params=report.params(form.cleaned_data), file_format=file_format
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Your report has been requested. This page shows its progress."))
                return redirect("reports:job", pk=job.pk)
    elif request.GET:
        form = report.get_form(request.GET, user=user)
    else:
        form = report.get_form(user=user)
    chart = None
    if form.is_bound and form.is_valid():
        chart = report.chart(report.params(form.cleaned_data))
    elif not form.is_bound:
        # The chart of the default parameters, before anything is chosen.
        preview = report.get_form(form.initial, user=user)
        if preview.is_valid():
            chart = report.chart(report.params(preview.cleaned_data))
    recent = report_jobs_visible_to(user=user).filter(report_type=report.code, requested_by=user)[:5]
    return render(
        request,
        "reports/type.html",
        {"report": report, "form": form, "chart_data": chart, "formats": ReportJob.Format.choices, "recent": recent},
    )


def _job_or_404(request, pk) -> ReportJob:
    # Anyone who may not see the job gets 404, never 403: its existence is not revealed.
    return get_object_or_404(report_jobs_visible_to(user=request.user), pk=pk)


def _job_context(user, job: ReportJob) -> dict:
    return {
        "job": job,
        "can_retry": _may_retry(user, job),
        "can_download": can_download_report_job(user=user, job=job),
        # The page says why a built file is not offered instead of showing a dead link.
        "withheld": job.status == ReportJob.Status.DONE and job.file_withheld_from(user),
    }


def job_detail(request, pk):
    job = _job_or_404(request, pk)
    return render(request, "reports/job_detail.html", _job_context(request.user, job))


def job_status(request, pk):
    """The htmx fragment polled while the job is queued or running."""
    job = _job_or_404(request, pk)
    return render(request, "reports/_job_status.html", _job_context(request.user, job))


def job_download(request, pk):
    job = _job_or_404(request, pk)
    # A file built under a clearance above the reader's current one answers 404 like a missing one.
    if not can_download_report_job(user=request.user, job=job):
        raise Http404
    try:
        handle = job.file.storage.open(job.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return private_file_response(
        handle, filename=job.download_name, content_type=_CONTENT_TYPES.get(job.format, "application/octet-stream")
    )


def _may_retry(user, job: ReportJob) -> bool:
    if job.status != ReportJob.Status.FAILED:
        return False
    report = report_type(job.report_type)
    if job.requested_by_id == user.pk:
        return True
    return report is not None and not report.private_files and user.has_perm(report.permission)


@require_POST
def job_retry(request, pk):
    job = _job_or_404(request, pk)
    if not _may_retry(request.user, job):
        if job.status != ReportJob.Status.FAILED:
            messages.info(request, _("Only a failed report can be retried."))
            return redirect("reports:job", pk=job.pk)
        raise PermissionDenied
    try:
        report_job_retry(user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report is queued again."))
    return redirect("reports:job", pk=job.pk)
