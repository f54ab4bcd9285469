from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Store ``language`` as the user's preferred UI language."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="unknown_language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_update_profile(*, user: User, phone: str, language: str) -> User:
    """Update what a person may change about themselves."""
    user_set_language(user=user, language=language)
    user.phone = phone.strip()
    user.save(update_fields=["phone"])
    return user
