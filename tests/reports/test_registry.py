"""The report registry: one code per report type, a permission for each, offered to its holders only."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.core.models import ConfidentialityLevel
from apps.core.roles import RoleName
from apps.reports import registry
from apps.reports.models import ReportJob
from apps.reports.registry import ReportType, register, report_type, report_types, report_types_for
from apps.reports.selectors import report_jobs_visible_to
from tests.factories import UserFactory


@pytest.fixture
def clean_registry():
    saved = dict(registry._registry)
    yield registry._registry
    registry._registry.clear()
    registry._registry.update(saved)


def test_the_project_registers_its_reports():
    assert [r.code for r in report_types()] == [
        "attendance_monthly",
        "leave_statistics",
        "intel_prices",
        "intel_reports_by_month",
    ]
    assert report_type("attendance_monthly").permission == "reports.view_attendance_report"
    assert report_type("leave_statistics").permission == "reports.view_leave_report"
    assert report_type("nope") is None


def test_a_second_class_with_the_same_code_is_refused(clean_registry):
    original = report_type("attendance_monthly")

    with pytest.raises(ValueError, match="registered twice"):

        @register
        class Impostor(ReportType):
            code = "attendance_monthly"
            permission = "reports.view_leave_report"

    assert report_type("attendance_monthly") is original


def test_registering_the_same_class_again_is_harmless(clean_registry):
    @register
    class Extra(ReportType):
        code = "extra_report"
        permission = "reports.view_leave_report"

    assert register(Extra) is Extra  # e.g. a module imported twice

    assert isinstance(report_type("extra_report"), Extra)


@pytest.mark.parametrize(("code", "permission"), [("no_permission", ""), ("", "reports.view_leave_report")])
def test_a_report_without_code_or_permission_is_refused(clean_registry, code, permission):
    attrs = {"code": code, "permission": permission}

    with pytest.raises(ValueError, match="needs a code and a permission"):
        register(type("Incomplete", (ReportType,), attrs))

    assert code not in clean_registry


def test_report_types_are_ordered(clean_registry):
    @register
    class First(ReportType):
        code = "aaa_first"
        permission = "reports.view_leave_report"
        order = 1

    assert [r.code for r in report_types()] == [
        "aaa_first",
        "attendance_monthly",
        "leave_statistics",
        "intel_prices",
        "intel_reports_by_month",
    ]


@pytest.mark.django_db
def test_report_types_for_lists_only_the_permitted_types(clean_registry, marketing):
    @register
    class LeaveOnly(ReportType):
        code = "leave_only"
        permission = "reports.view_leave_report"
        order = 30

    staff = UserFactory(department=marketing, roles=[RoleName.STAFF])
    manager = UserFactory(department=marketing, roles=[RoleName.DEPARTMENT_MANAGER])
    administration = UserFactory(roles=[RoleName.ADMINISTRATION])
    leave_only = UserFactory(department=marketing)
    leave_only.user_permissions.add(Permission.objects.get(codename="view_leave_report"))
    inactive = UserFactory(department=marketing, roles=[RoleName.DEPARTMENT_MANAGER], is_active=False)

    assert [r.code for r in report_types_for(staff)] == []
    assert [r.code for r in report_types_for(manager)] == [
        "attendance_monthly",
        "leave_statistics",
        "leave_only",
        "intel_prices",
        "intel_reports_by_month",
    ]
    assert [r.code for r in report_types_for(administration)] == [
        "attendance_monthly",
        "leave_statistics",
        "leave_only",
    ]
    assert [r.code for r in report_types_for(leave_only)] == ["leave_statistics", "leave_only"]
    assert report_types_for(inactive) == []


@pytest.mark.django_db
def test_private_files_are_opened_by_their_requester_only(clean_registry, client_for):
    """A type with ``private_files`` holds what its requester was cleared for: holding the type's
    permission opens nobody else's file (issue 9, clearance in report-center output)."""

    @register
    class Private(ReportType):
        code = "private_one"
        permission = "reports.view_leave_report"
        private_files = True
        order = 99

    holder = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=ConfidentialityLevel.INTERNAL)
    requester = UserFactory(roles=[RoleName.DEPARTMENT_MANAGER], clearance=ConfidentialityLevel.SECRET)
    private = ReportJob.objects.create(report_type="private_one", requested_by=requester, params={}, format="csv")
    shared = ReportJob.objects.create(report_type="leave_statistics", requested_by=requester, params={}, format="csv")

    assert set(report_jobs_visible_to(user=holder)) == {shared}
    assert set(report_jobs_visible_to(user=requester)) == {private, shared}
    assert client_for(holder).get(reverse("reports:job", args=[private.pk])).status_code == 404
    assert client_for(requester).get(reverse("reports:job", args=[private.pk])).status_code == 200
