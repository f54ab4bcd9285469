from apps.core.dashboard import Panel, register_panel

from .selectors import rule_version_pending


def _pending_rules(request):
    version = rule_version_pending(user=request.user)
    if version is None:
        return None
    return {"version": version}


def register() -> None:
    register_panel(
        Panel(key="conduct.pending", template="conduct/panels/pending.html", get_context=_pending_rules, order=10)
    )
