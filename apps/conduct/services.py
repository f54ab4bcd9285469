from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.notifications.services import notification_send

from .models import Acknowledgement, RuleVersion
from .selectors import rule_version_current


@transaction.atomic
def rule_version_publish(*, actor, title: str, body: str, title_en: str = "", body_en: str = "") -> RuleVersion:
    """Publish a new version of the rules; everyone must acknowledge it again (R-CONDUCT-01)."""
    if not actor.has_perm("conduct.add_ruleversion"):
        raise PermissionDenied
    if not title.strip() or not body.strip():
        raise ValidationError(_("The rules need a title and a text."), code="empty_rules")
    # Lock the table's newest row so that two publishers cannot take the same number.
    latest = RuleVersion.objects.select_for_update().order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    version = RuleVersion.objects.create(
        number=number,
        title=title.strip(),
        title_en=title_en.strip(),
        body=body.strip(),
        body_en=body_en.strip(),
        published_by=actor,
    )
    url = reverse("conduct:current")
    for person in User.objects.filter(is_active=True).exclude(pk=actor.pk):
        notification_send(
            recipient=person,
            title=gettext_lazy("New department rules (version %(number)s): please read and acknowledge"),
            params={"number": number},
            url=url,
            dedupe_key=f"rules:{number}",
        )
    return version


@transaction.atomic
def rule_acknowledge(*, user, version: RuleVersion) -> Acknowledgement:
    """Record that ``user`` has read ``version``; only the current version, only once."""
    current = rule_version_current()
    if current is None or current.pk != version.pk:
        raise ValidationError(_("Only the current rules can be acknowledged."), code="not_current")
    existing = Acknowledgement.objects.filter(user=user, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(user=user, version=version)
    except IntegrityError:
        return Acknowledgement.objects.get(user=user, version=version)
