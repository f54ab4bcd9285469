from apps.core.choices import cached_for_models, cached_for_models_keys
from apps.core.dashboard import Panel, register_panel

from .models import Acknowledgement, RuleVersion
from .selectors import rule_version_pending


def pending_rules_number(user) -> int | None:
    """The number of the current rules if ``user`` has not acknowledged them, else ``None``.

    Read on every dashboard visit and changed only by a new version or an acknowledgement: cached
    per person until a rule version or an acknowledgement is saved (``apps.core.choices``).
    """

    def compute():
        version = rule_version_pending(user=user)
        return None if version is None else version.number

    return cached_for_models(
        "conduct.pending", (RuleVersion, Acknowledgement), compute, scope=f"user-{user.pk}", language=False
    )


def _pending_rules_keys(request) -> list[str]:
    models = (RuleVersion, Acknowledgement)
    return cached_for_models_keys("conduct.pending", models, scope=f"user-{request.user.pk}", language=False)


def _pending_rules(request):
    number = pending_rules_number(request.user)
    if number is None:
        return None
    return {"number": number}


def register() -> None:
    register_panel(
        Panel(
            key="conduct.pending",
            template="conduct/panels/pending.html",
            get_context=_pending_rules,
            order=10,
            cache_keys=_pending_rules_keys,
        )
    )
