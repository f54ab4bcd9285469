"""Keep the cached regulation text in step with the rows it is built from (issue 8).

The position page, the dashboard's lifecycle card and the department page cache their static text
per language (``apps/org/selectors.py``). Any save or delete of a department, position, duty,
lifecycle stage, focus item or product, and any change to a focus item's duties, replaces the one
version stamp those values are stored under, so an edit in admin shows on the next request.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.core.cache_keys import org_text_changed

from .models import Department, Duty, LifecycleStage, Position, Product, StageFocus

WATCHED = (Department, Position, Duty, LifecycleStage, StageFocus, Product)


def _changed(sender, **kwargs) -> None:
    org_text_changed()


def _duties_changed(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        org_text_changed()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"org-text-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"org-text-delete-{model._meta.label}")
    m2m_changed.connect(_duties_changed, sender=StageFocus.duties.through, dispatch_uid="org-text-focus-duties")
