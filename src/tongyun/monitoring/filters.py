"""Filter sets of the monitoring pages and API (events and groups)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import EventStatus
from .models import CorrelationGroup, Event


class EventFilterSet(django_filters.FilterSet):
    source = django_filters.NumberFilter(field_name="source_id", label=_("告警来源"))
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, label=_("状态"))
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    unmapped = django_filters.BooleanFilter(label=_("未映射"))
    group = django_filters.NumberFilter(field_name="group_id", label=_("关联组"))
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    class Meta:
        model = Event
        fields = ["source", "status", "system", "unmapped", "group"]

    def search(self, queryset, name, value):
        return queryset.filter(summary__icontains=value) if value else queryset


class GroupFilterSet(django_filters.FilterSet):
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label=_("未恢复"))

    class Meta:
        model = CorrelationGroup
        fields = ["system", "open"]
