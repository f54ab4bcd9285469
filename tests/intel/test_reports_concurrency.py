"""Real threads on PostgreSQL: the row lock keeps level changes chained and archiving single (R-INTEL-03)."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.core.models import ConfidentialityLevel, LevelChange
from apps.intel.models import IntelReport
from apps.intel.services import reports as report_services
from apps.intel.services.reports import intel_report_archive, intel_report_level_change
from tests.clock import at_working_morning
from tests.intel.factories_reports import IntelReportFactory
from tests.leave.helpers import rendezvous, run_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real threads"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    at_working_morning,
]

INTERNAL = ConfidentialityLevel.INTERNAL
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET


def _in_thread(service, pk, **kwargs):
    def run():
        return service(report=IntelReport.objects.get(pk=pk), **kwargs)

    return run


def test_r_intel_03_concurrent_level_changes_record_a_consistent_chain(manager):
    report = IntelReportFactory(confidentiality=INTERNAL)
    # Both threads pass the permission check before either writes, unless the lock keeps the second out.
    checked = rendezvous(report_services._require_editable)
    with mock.patch.object(report_services, "_require_editable", checked):
        results = run_together(
            _in_thread(intel_report_level_change, report.pk, user=manager, new_level=CONFIDENTIAL, reason="甲"),
            _in_thread(intel_report_level_change, report.pk, user=manager, new_level=SECRET, reason="乙"),
        )
    assert [outcome for outcome, _value in results] == ["ok", "ok"], results
    changes = list(LevelChange.objects.order_by("id"))
    assert changes[0].old_level == INTERNAL
    assert changes[1].old_level == changes[0].new_level
    report.refresh_from_db()
    assert report.confidentiality == changes[1].new_level


def test_r_intel_02_concurrent_archive_happens_once(manager):
    report = IntelReportFactory()
    checked = rendezvous(report_services.can_edit_report)
    with mock.patch.object(report_services, "can_edit_report", checked):
        results = run_together(
            _in_thread(intel_report_archive, report.pk, user=manager),
            _in_thread(intel_report_archive, report.pk, user=manager),
        )
    outcomes = sorted(
        "ok" if outcome == "ok" else value.code if isinstance(value, ValidationError) else repr(value)
        for outcome, value in results
    )
    assert outcomes == ["already_archived", "ok"]
