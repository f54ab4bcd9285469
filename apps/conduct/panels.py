from apps.core.dashboard import Panel, register_panel

from .selectors import rule_acknowledged, rule_version_current


def _pending_rules(request):
    version = rule_version_current()
    if version is None or rule_acknowledged(user=request.user, version=version):
        return None
    return {"version": version}


def register() -> None:
    register_panel(
        Panel(key="conduct.pending", template="conduct/panels/pending.html", get_context=_pending_rules, order=10)
    )
