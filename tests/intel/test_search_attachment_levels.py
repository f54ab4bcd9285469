"""R-INTEL-03 in the search index: an attachment more secret than its report is not indexed with it."""

import pytest

from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.intel.models import IntelReport
from apps.intel.search import report_reindex, report_search, reports_reindex
from apps.intel.services.reports import intel_report_level_change
from tests.factories import UserFactory
from tests.intel.factories_search import SearchReportFactory, attachment_with_text

pytestmark = pytest.mark.django_db

OPEN_WORDS = "华东经销商大会"
SECRET_WORDS = "绝密投标底价"


def _found(user, query):
    visible = IntelReport.objects.visible_to(user)
    return set(report_search(queryset=visible, query=query).values_list("pk", flat=True))


@pytest.fixture
def internal_user():
    return UserFactory(clearance=Level.INTERNAL)


@pytest.fixture
def secret_user():
    return UserFactory(clearance=Level.SECRET, roles=[RoleName.DEPARTMENT_MANAGER, RoleName.STAFF])


def _report_with_secret_attachment():
    report = SearchReportFactory(title="渠道动态", body="例行走访。", confidentiality=Level.INTERNAL, indexed=False)
    attachment_with_text(report=report, text=OPEN_WORDS)
    secret = attachment_with_text(report=report, text=SECRET_WORDS)
    secret.confidentiality = Level.SECRET
    secret.save(update_fields=["confidentiality"])
    return report


@pytest.mark.parametrize("reindex", ["one", "batch"])
def test_r_intel_03_words_only_in_a_more_secret_attachment_do_not_find_the_report(reindex, internal_user, secret_user):
    report = _report_with_secret_attachment()
    if reindex == "one":
        report_reindex(report=report)
    else:
        assert reports_reindex(IntelReport.objects.all()) == 1
    report.refresh_from_db()

    # The attachment at the report's level is found by both; the secret one by neither through this report.
    assert _found(internal_user, OPEN_WORDS) == _found(secret_user, OPEN_WORDS) == {report.pk}
    assert _found(internal_user, SECRET_WORDS) == set()
    assert _found(secret_user, SECRET_WORDS) == set()
    assert SECRET_WORDS not in report.search_text


def test_r_intel_03_archived_attachment_text_is_not_indexed(internal_user):
    report = SearchReportFactory(title="渠道动态", confidentiality=Level.INTERNAL, indexed=False)
    attachment_with_text(report=report, text=SECRET_WORDS, archived=True)
    report_reindex(report=report)
    assert _found(internal_user, SECRET_WORDS) == set()


def test_r_intel_03_the_index_follows_a_level_change(internal_user, secret_user):
    report = _report_with_secret_attachment()
    report_reindex(report=report)

    # Raised to the attachment's level: the report is secret, and its words are indexed with it.
    intel_report_level_change(user=secret_user, report=report, new_level=Level.SECRET, reason="含底价")
    assert _found(secret_user, SECRET_WORDS) == {report.pk}
    assert _found(internal_user, SECRET_WORDS) == set()
    assert _found(internal_user, OPEN_WORDS) == set()

    # Lowered again: the (raised) attachments are now above the report and leave its index.
    intel_report_level_change(user=secret_user, report=report, new_level=Level.INTERNAL, reason="已公开部分")
    assert _found(internal_user, SECRET_WORDS) == _found(secret_user, SECRET_WORDS) == set()
    assert _found(internal_user, OPEN_WORDS) == set()  # its attachment was raised to secret with the report
    assert _found(internal_user, "例行走访") == _found(secret_user, "例行走访") == {report.pk}
