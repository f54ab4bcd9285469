from django.db.models import Exists, OuterRef, QuerySet

from apps.accounts.models import User

from .models import Acknowledgement, RuleVersion


def rule_version_current() -> RuleVersion | None:
    return RuleVersion.objects.order_by("-number").first()


def rule_version_pending(*, user) -> RuleVersion | None:
    """Return the current rules if ``user`` has not acknowledged them yet, else ``None`` (one query)."""
    acknowledged = Acknowledgement.objects.filter(user=user, version=OuterRef("pk"))
    version = RuleVersion.objects.order_by("-number").annotate(acknowledged=Exists(acknowledged)).first()
    if version is None or version.acknowledged:
        return None
    return version


def rule_acknowledged(*, user, version: RuleVersion) -> bool:
    return Acknowledgement.objects.filter(user=user, version=version).exists()


def rule_acknowledgement_status(*, version: RuleVersion) -> QuerySet[User]:
    """Return every active person with ``has_acknowledged`` annotated for ``version``."""
    acknowledged = Acknowledgement.objects.filter(version=version, user=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True)
        .select_related("department", "position")
        .annotate(has_acknowledged=Exists(acknowledged))
        .order_by("has_acknowledged", "full_name", "username")
    )
