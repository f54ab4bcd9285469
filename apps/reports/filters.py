import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ReportJob
from .registry import report_types


def _report_type_choices():
    return [(report.code, report.title) for report in report_types()]


class ReportJobFilter(django_filters.FilterSet):
    """The report center's list of files, by report type and status; unknown values are ignored."""

    type = django_filters.ChoiceFilter(label=_("report"), field_name="report_type", choices=_report_type_choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReportJob.Status.choices)

    class Meta:
        model = ReportJob
        fields = ["type", "status"]
