"""The forms of "My alerts": one small form per kind of thing to follow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.choices import CachedChoices, CachedModelChoiceField
from apps.core.people import PersonSelect

from ..filters.reports import TAGS_OFFERED_MODELS
from ..models import Competitor, CompetitorProduct, Follow, Province, Tag


class SearchSelect(PersonSelect):
    """A select with the person picker's search box (name, pinyin or initials: "mairui", "mr", "迈瑞")."""

    template_name = "intel/follows/_search_select.html"
    search_label = _("Search the list by name or pinyin")


class ProductChoiceField(CachedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.competitor} · {obj.name}"


def _tags(user):
    # A tag used only on reports above the user's clearance names a secret subject: not offered.
    # Tags the user already follows stay in their list (the follows page), whatever happens here.
    from ..filters.reports import tags_offered

    if user is None:
        return Tag.objects.order_by("name")
    return tags_offered(user=user)


def _choices(target: str, user=None):
    """The field class, the queryset and where its options are cached (every model the queryset reads)."""
    if target == Follow.Target.COMPETITOR:
        queryset = Competitor.objects.filter(is_active=True).order_by("name")
        return CachedModelChoiceField, queryset, CachedChoices("follow.competitor", (Competitor,))
    if target == Follow.Target.PRODUCT:
        queryset = (
            CompetitorProduct.objects.filter(is_active=True, competitor__is_active=True)
            .select_related("competitor")
            .order_by("competitor__name", "name")
        )
        return ProductChoiceField, queryset, CachedChoices("follow.product", (CompetitorProduct, Competitor))
    if target == Follow.Target.TAG:
        scope = "all" if user is None else f"clearance-{user.clearance}"
        return CachedModelChoiceField, _tags(user), CachedChoices("follow.tag", TAGS_OFFERED_MODELS, scope)
    queryset = Province.objects.order_by("sort_order", "code")
    return CachedModelChoiceField, queryset, CachedChoices("follow.province", (Province,))


class FollowForm(forms.Form):
    """Choose a competitor, competitor product, tag or province to follow (``target`` fixes which;
    the page posts it in a ``target`` field of its own, and each form's fields carry it as prefix)."""

    def __init__(self, *args, target: str, user=None, **kwargs):
        kwargs.setdefault("prefix", target)
        super().__init__(*args, **kwargs)
        self.target = target
        field_class, queryset, cached = _choices(target, user)
        self.fields["item"] = field_class(
            label=Follow.Target(target).label,
            queryset=queryset,
            cached_choices=cached,
            empty_label=_("Choose…"),
            widget=SearchSelect,
        )


def follow_forms(data=None, *, user=None) -> list[FollowForm]:
    """The four forms of the page; ``data`` binds the one whose target was posted.

    Pass ``user``: the tag form then offers only tags used on a live report within their clearance.
    """
    posted = (data or {}).get("target")
    return [
        FollowForm(data if data is not None and posted == target else None, target=target, user=user)
        for target in Follow.Target.values
    ]
