import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import ConfidentialityLevel
from apps.org.models import AssignedTask, Department, LifecycleStage, Position, Product

PASSWORD = "test-pass-123"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    clearance = ConfidentialityLevel.INTERNAL
    language = "zh-hans"
    # Employed long before any month a test looks at; tests of the employment period set their own.
    employment_start = datetime.date(2020, 1, 1)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class AssignedTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignedTask

    title = factory.Sequence(lambda n: f"Task {n}")
    owner = factory.SubFactory(UserFactory)
    assigned_by = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    stage = factory.LazyFunction(lambda: LifecycleStage.objects.get(code="growth"))


def marketing_position(code: str) -> Position:
    return Position.objects.get(department__code="MKT", code=code)
