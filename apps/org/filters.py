import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import BoundedDateFilter
from apps.core.widgets import Select

from .models import AssignedTask


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("status"), choices=AssignedTask.Status.choices, widget=Select)
    mine = django_filters.ChoiceFilter(
        label=_("whose"),
        method="filter_mine",
        choices=[("owner", _("Assigned to me")), ("assigned_by", _("Handed out by me"))],
        widget=Select,
    )
    due_before = BoundedDateFilter(
        label=_("due on or before"), field_name="due_date", lookup_expr="lte", years_back=10, years_ahead=10
    )

    class Meta:
        model = AssignedTask
        fields = ["q", "status", "mine", "due_before"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(owner__full_name__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        if value == "owner":
            return queryset.filter(owner=user)
        return queryset.filter(assigned_by=user)
