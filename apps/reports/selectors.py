from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from .models import ReportJob
from .registry import report_types


def report_jobs_visible_to(*, user) -> QuerySet[ReportJob]:
    """Jobs ``user`` may see and download: their own, those sent to them, and every job of a report
    type whose permission they hold, unless that type's files are private to their requester.

    Each job carries ``file_withheld``: its file was built under a clearance above ``user``'s current
    one (``ReportJob.file_withheld_from`` in SQL), so the lists offer no download for it.
    """
    if not user.is_active:
        return ReportJob.objects.none()
    qs = ReportJob.objects.select_related("requested_by").annotate(
        file_withheld=ExpressionWrapper(Q(built_clearance__gt=user.clearance), output_field=BooleanField())
    )
    codes = [r.code for r in report_types() if not r.private_files and user.has_perm(r.permission)]
    return qs.filter(Q(requested_by=user) | Q(deliver_to=user) | Q(report_type__in=codes))
