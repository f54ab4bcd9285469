"""Services of the price area (R-INTEL-01, R-INTEL-03): record, archive, reads logged."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AccessLog
from apps.intel import alerts
from apps.intel.models import PriceChannel, PriceObservation
from apps.intel.services.prices import (
    price_observation_archive,
    price_observation_create,
    price_observations_record_reads,
)
from tests.clock import at_working_morning
from tests.intel import factories_prices as fp
from tests.intel.factories_prices import (
    CONFIDENTIAL,
    INTERNAL,
    SECRET,
    PriceCompetitorProductFactory,
    PriceObservationFactory,
    province,
)
from tests.stamps import without_stamps

internal_researcher = fp.internal_researcher
our_product = fp.our_product
reader = fp.reader
researcher = fp.researcher
secret_reader = fp.secret_reader

pytestmark = [pytest.mark.django_db, at_working_morning]


@pytest.fixture
def filed(monkeypatch):
    calls = []
    monkeypatch.setattr(alerts, "alerts_item_filed", lambda **kwargs: calls.append(kwargs))
    return calls


def _values(**overrides):
    values = {
        "competitor_product": PriceCompetitorProductFactory(),
        "price": Decimal("28.50"),
        "observed_on": datetime.date(2026, 11, 30),
        "province": province(),
        "channel": PriceChannel.TENDER_RESULT,
        "source": "广东省药品交易中心",
        "confidentiality": INTERNAL,
    }
    values.update(overrides)
    return values


def test_r_intel_01_create_records_and_alerts_after_commit(researcher, filed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        observation = price_observation_create(user=researcher, **_values(currency="", unit="人份"))
    assert len(without_stamps(callbacks)) == 1
    assert filed == [{"model": "price", "pk": observation.pk}]
    observation.refresh_from_db()
    assert observation.currency == "CNY"
    assert observation.recorded_by == researcher


def test_r_intel_01_create_no_alert_when_rolled_back(researcher, filed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        price_observation_create(user=researcher, **_values())
    assert filed == []
    assert len(without_stamps(callbacks)) == 1


def test_r_intel_01_create_needs_the_permission(researcher, reader):
    price_observation_create(user=researcher, **_values())
    with pytest.raises(PermissionDenied):
        price_observation_create(user=reader, **_values())


def test_r_intel_03_level_at_most_the_filers_clearance(researcher, internal_researcher):
    assert price_observation_create(user=researcher, **_values(confidentiality=SECRET)).confidentiality == SECRET
    with pytest.raises(ValidationError) as exc:
        price_observation_create(user=internal_researcher, **_values(confidentiality=SECRET))
    assert exc.value.error_dict["confidentiality"][0].code == "level_above_clearance"
    price_observation_create(user=internal_researcher, **_values(confidentiality=INTERNAL))


def test_r_intel_01_exactly_one_product(researcher, our_product):
    price_observation_create(user=researcher, **_values(competitor_product=None, our_product=our_product))
    with pytest.raises(ValidationError) as both:
        price_observation_create(user=researcher, **_values(our_product=our_product))
    assert both.value.code == "one_product"
    with pytest.raises(ValidationError) as neither:
        price_observation_create(user=researcher, **_values(competitor_product=None))
    assert neither.value.code == "one_product"


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-1")])
def test_r_intel_01_price_above_zero(researcher, price):
    price_observation_create(user=researcher, **_values(price=Decimal("0.01")))
    with pytest.raises(ValidationError) as exc:
        price_observation_create(user=researcher, **_values(price=price))
    assert exc.value.error_dict["price"][0].code == "price_not_positive"


def test_r_intel_01_date_observed_not_in_the_future(researcher):
    price_observation_create(user=researcher, **_values(observed_on=datetime.date(2026, 12, 1)))
    with pytest.raises(ValidationError) as exc:
        price_observation_create(user=researcher, **_values(observed_on=datetime.date(2026, 12, 2)))
    assert exc.value.error_dict["observed_on"][0].code == "observed_in_future"


def test_r_intel_01_archive_keeps_the_row(researcher):
    observation = PriceObservationFactory()
    price_observation_archive(user=researcher, observation=observation)
    observation.refresh_from_db()
    assert observation.is_archived
    assert PriceObservation.objects.filter(pk=observation.pk).exists()
    with pytest.raises(ValidationError) as exc:
        price_observation_archive(user=researcher, observation=observation)
    assert exc.value.code == "already_archived"


def test_r_intel_03_archive_needs_permission_and_clearance(researcher, internal_researcher, secret_reader):
    secret = PriceObservationFactory(confidentiality=SECRET)
    with pytest.raises(PermissionDenied):
        price_observation_archive(user=internal_researcher, observation=secret)
    with pytest.raises(PermissionDenied):
        price_observation_archive(user=secret_reader, observation=secret)
    price_observation_archive(user=researcher, observation=secret)
    assert PriceObservation.objects.get(pk=secret.pk).is_archived


def test_r_intel_03_reads_of_confidential_rows_logged_in_one_insert(secret_reader, reader, django_assert_num_queries):
    for level in (INTERNAL, CONFIDENTIAL, SECRET):
        PriceObservationFactory(confidentiality=level)
    rows = list(PriceObservation.objects.select_related("competitor_product", "our_product").order_by("pk"))
    assert price_observations_record_reads(user=secret_reader, observations=rows[:1]) == 0
    ContentType.objects.get_for_model(PriceObservation)  # cached for the process, as in a running server
    with django_assert_num_queries(1):
        assert (
            price_observations_record_reads(user=secret_reader, observations=rows, action=AccessLog.Action.EXPORT) == 2
        )
    logged = AccessLog.objects.filter(user=secret_reader, action=AccessLog.Action.EXPORT)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(row.pk) for row in rows[1:])
    with pytest.raises(PermissionDenied):
        price_observations_record_reads(user=reader, observations=rows)
