"""Writes of intelligence reports, policies and their attachments (R-INTEL-02, R-INTEL-03).

Every service re-checks the permission and the clearance of its caller, so the admin, Celery and
the shell are held to the same rules as the pages. Reports are archived, never deleted.
"""

import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import LOGGED_LEVEL, AccessLog, ConfidentialityLevel
from apps.core.services import classified_level_change, client_ip
from apps.core.uploads import upload_display_name, upload_kind, upload_stored_name
from apps.intel import alerts, extract, search

from ..models import IntelAttachment, IntelReport, ResearchPlan, Tag
from ..permissions import can_edit_report, can_file_report

logger = logging.getLogger(__name__)

# Types accepted by their content (``filetype`` extensions), whatever the file is called.
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "jpg", "png")
ATTACHMENT_MAX_BYTES = getattr(settings, "INTEL_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
# Tags are typed as one line: commas (half- or full-width), the enumeration comma 、 and semicolons separate them.
_TAG_SEPARATORS = re.compile(r"[,，、;；]")

REPORT_FIELDS = (
    "kind",
    "title",
    "body",
    "source",
    "reported_on",
    "issuer",
    "issuer_kind",
    "document_number",
    "effective_on",
    "impact_assessment",
)
POLICY_FIELDS = ("issuer", "issuer_kind", "document_number", "effective_on", "impact_assessment")


def _invalid(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def tag_names_parse(text: str) -> list[str]:
    """Return the distinct tag names typed in ``text`` (separated by commas or 、), in their order."""
    names: list[str] = []
    for part in _TAG_SEPARATORS.split(text or ""):
        name = " ".join(part.split())
        if name and name not in names:
            names.append(name)
    return names


def _tags_for(names: Iterable[str]) -> list[Tag]:
    """Return the tags called ``names``, creating the missing ones."""
    names = list(names)
    for name in names:
        if len(name) > TAG_MAX_LENGTH:
            raise _invalid(
                _("A tag has at most %(count)s characters: %(name)s") % {"count": TAG_MAX_LENGTH, "name": name},
                "tag_too_long",
                "tags",
            )
    if not names:
        return []
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def _check_level(*, user, level, field: str = "confidentiality") -> int:
    try:
        level = ConfidentialityLevel(int(level))
    except (TypeError, ValueError):
        raise _invalid(_("Choose a confidentiality level."), "level_invalid", field) from None
    if level > user.clearance:
        raise _invalid(
            _("You cannot file an item above your own clearance (%(clearance)s).")
            % {"clearance": ConfidentialityLevel(user.clearance).label},
            "level_above_clearance",
            field,
        )
    return int(level)


def _check_policy(*, kind: str, issuer: str) -> None:
    if kind == IntelReport.Kind.POLICY and not (issuer or "").strip():
        raise _invalid(_("Name the issuer of the policy or announcement."), "issuer_required", "issuer")


def _check_research_plan(*, user, research_plan: ResearchPlan | None) -> None:
    if research_plan is not None and not ResearchPlan.objects.visible_to(user).filter(pk=research_plan.pk).exists():
        raise _invalid(_("Choose a research plan you are cleared for."), "research_plan_not_visible", "research_plan")


def _policy_values(kind: str, values: dict) -> dict:
    """Keep the policy fields of a policy; clear them on any other type of report."""
    if kind == IntelReport.Kind.POLICY:
        return values
    return {**values, "issuer": "", "issuer_kind": "", "document_number": "", "effective_on": None,
            "impact_assessment": ""}  # fmt: skip


def intel_attachment_validate(upload) -> None:
    """Accept a PDF, Word, Excel, JPEG or PNG file by its content, within the size limit."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise _invalid(
            _("The attachment is too large: at most %(mb)s MB.") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            "attachment_too_large",
            "attachment",
        )
    if upload_kind(upload, allowed=ATTACHMENT_TYPES) is None:
        raise _invalid(
            _("The attachment must be a PDF, Word (.docx), Excel (.xlsx), JPEG or PNG file."),
            "attachment_type",
            "attachment",
        )


def _extract_text(upload, mime: str) -> str:
    upload.seek(0)
    try:
        return extract.attachment_text(handle=upload, content_type=mime) or ""
    except Exception:  # A file we cannot read is still kept; search simply does not find its text.
        logger.warning("Text extraction failed for an intelligence attachment", exc_info=True)
        return ""
    finally:
        upload.seek(0)


def _attachment_store(*, user, report: IntelReport, upload, level: int) -> IntelAttachment:
    intel_attachment_validate(upload)
    kind = upload_kind(upload, allowed=ATTACHMENT_TYPES)
    attachment = IntelAttachment(
        report=report,
        original_name=upload_display_name(upload.name),
        content_type=kind.mime,
        size=upload.size,
        text=_extract_text(upload, kind.mime),
        uploaded_by=user,
        confidentiality=level,
    )
    attachment.file.save(upload_stored_name(kind), upload, save=False)
    attachment.save()
    return attachment


def _attachment_level(*, user, report: IntelReport, level) -> int:
    if level in (None, ""):
        return report.confidentiality
    level = _check_level(user=user, level=level, field="attachment_level")
    if level < report.confidentiality:
        raise _invalid(
            _("An attachment's level cannot be below its report's (%(level)s).")
            % {"level": ConfidentialityLevel(report.confidentiality).label},
            "attachment_level_below_report",
            "attachment_level",
        )
    return level


def _lock(report: IntelReport) -> IntelReport:
    report.refresh_from_db(from_queryset=IntelReport.objects.select_for_update())
    return report


def _require_editable(*, user, report: IntelReport) -> None:
    if not can_edit_report(user=user, report=report):
        raise PermissionDenied
    if report.is_archived:
        raise _invalid(_("This report has been archived."), "report_archived")


@transaction.atomic
def intel_report_create(
    *,
    user,
    kind: str,
    title: str,
    body: str,
    source: str,
    reported_on,
    confidentiality: int,
    competitors: Iterable = (),
    products: Iterable = (),
    our_products: Iterable = (),
    provinces: Iterable = (),
    tags: Iterable[str] = (),
    research_plan: ResearchPlan | None = None,
    issuer: str = "",
    issuer_kind: str = "",
    document_number: str = "",
    effective_on=None,
    impact_assessment: str = "",
    attachment=None,
    attachment_level=None,
) -> IntelReport:
    """File a report (or a policy) with its relations, tags and an optional first attachment.

    The followers are alerted once the transaction has committed.
    """
    if not can_file_report(user=user):
        raise PermissionDenied
    level = _check_level(user=user, level=confidentiality)
    _check_policy(kind=kind, issuer=issuer)
    _check_research_plan(user=user, research_plan=research_plan)
    values = _policy_values(
        kind,
        {
            "issuer": issuer,
            "issuer_kind": issuer_kind,
            "document_number": document_number,
            "effective_on": effective_on,
            "impact_assessment": impact_assessment,
        },
    )
    tag_rows = _tags_for(tags)
    report = IntelReport.objects.create(
        kind=kind,
        title=title,
        body=body,
        source=source,
        reported_on=reported_on,
        confidentiality=level,
        research_plan=research_plan,
        author=user,
        **values,
    )
    report.competitors.set(competitors)
    report.products.set(products)
    report.our_products.set(our_products)
    report.provinces.set(provinces)
    report.tags.set(tag_rows)
    if attachment is not None:
        _attachment_store(
            user=user,
            report=report,
            upload=attachment,
            level=_attachment_level(user=user, report=report, level=attachment_level),
        )
    search.report_reindex(report=report)
    pk = report.pk
    transaction.on_commit(lambda: alerts.alerts_item_filed(model="report", pk=pk))
    return report


@transaction.atomic
def intel_report_update(
    *,
    user,
    report: IntelReport,
    kind: str,
    title: str,
    body: str,
    source: str,
    reported_on,
    competitors: Iterable = (),
    products: Iterable = (),
    our_products: Iterable = (),
    provinces: Iterable = (),
    tags: Iterable[str] = (),
    research_plan: ResearchPlan | None = None,
    issuer: str = "",
    issuer_kind: str = "",
    document_number: str = "",
    effective_on=None,
    impact_assessment: str = "",
) -> IntelReport:
    """Change a report's text and relations; its level changes only through :func:`intel_report_level_change`."""
    _lock(report)
    _require_editable(user=user, report=report)
    _check_policy(kind=kind, issuer=issuer)
    if research_plan is not None and research_plan.pk != report.research_plan_id:
        _check_research_plan(user=user, research_plan=research_plan)
    values = _policy_values(
        kind,
        {
            "kind": kind,
            "title": title,
            "body": body,
            "source": source,
            "reported_on": reported_on,
            "issuer": issuer,
            "issuer_kind": issuer_kind,
            "document_number": document_number,
            "effective_on": effective_on,
            "impact_assessment": impact_assessment,
        },
    )
    for field, value in values.items():
        setattr(report, field, value)
    report.research_plan = research_plan
    report.save(update_fields=[*REPORT_FIELDS, "research_plan", "updated_at"])
    report.competitors.set(competitors)
    report.products.set(products)
    report.our_products.set(our_products)
    report.provinces.set(provinces)
    report.tags.set(_tags_for(tags))
    search.report_reindex(report=report)
    return report


@transaction.atomic
def intel_report_archive(*, user, report: IntelReport) -> IntelReport:
    """Archive a report: it leaves every list and the search, and stays in the database."""
    _lock(report)
    if not can_edit_report(user=user, report=report):
        raise PermissionDenied
    if report.is_archived:
        raise _invalid(_("This report has already been archived."), "already_archived")
    report.is_archived = True
    report.save(update_fields=["is_archived", "updated_at"])
    return report


@transaction.atomic
def intel_report_level_change(*, user, report: IntelReport, new_level, reason: str) -> IntelReport:
    """Change a report's level with a reason, on the locked row; attachments below the new level follow it.

    Every change, the report's and each attachment's, is written to the level-change log.
    """
    _lock(report)
    _require_editable(user=user, report=report)
    reason = " ".join((reason or "").split())
    if not reason:
        raise _invalid(_("Give the reason for the change."), "reason_required", "reason")
    level = _check_level(user=user, level=new_level, field="new_level")
    if level == report.confidentiality:
        raise _invalid(_("The report already has this level."), "level_unchanged", "new_level")
    classified_level_change(user=user, obj=report, new_level=level, reason=reason)
    # An attachment is never less confidential than its report (locked in primary-key order).
    below = IntelAttachment.objects.select_for_update().filter(report=report, confidentiality__lt=level).order_by("pk")
    for attachment in below:
        classified_level_change(user=user, obj=attachment, new_level=level, reason=reason)
    search.report_reindex(report=report)
    return report


@transaction.atomic
def intel_attachment_add(*, user, report: IntelReport, upload, confidentiality=None) -> IntelAttachment:
    """Add a file to a report, at the report's level or above, and index its text for search."""
    _lock(report)
    _require_editable(user=user, report=report)
    level = _attachment_level(user=user, report=report, level=confidentiality)
    attachment = _attachment_store(user=user, report=report, upload=upload, level=level)
    search.report_reindex(report=report)
    return attachment


@transaction.atomic
def intel_reports_export_log(*, user, reports: Iterable, request=None) -> int:
    """Log the export of every confidential report in ``reports`` in one insert; refuse any above clearance.

    Return the number of rows logged.
    """
    reports = list(reports)
    if not user.is_active or any(report.confidentiality > user.clearance for report in reports):
        raise PermissionDenied
    content_type = ContentType.objects.get_for_model(IntelReport)
    ip_address = client_ip(request)
    rows = [
        AccessLog(
            user=user,
            content_type=content_type,
            object_id=str(report.pk),
            object_repr=str(report)[:255],
            confidentiality=report.confidentiality,
            action=AccessLog.Action.EXPORT,
            ip_address=ip_address,
        )
        for report in reports
        if report.confidentiality >= LOGGED_LEVEL
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
