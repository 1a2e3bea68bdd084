"""Filter sets shared by the incident pages and the API."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Category, Severity
from tongyun.domain import incident_lifecycle as lifecycle

from .choices import IncidentState
from .models import Incident

CLOCK_FILTERS = [("open", _("未完成")), ("at_risk", _("即将超时")), ("breached", _("已超时")),
                 ("open_breached", _("未完成且已超时")), ("unassigned", _("未派单")),
                 ("calendar_unknown", _("日历未知"))]


def at_risk_q(now) -> Q:
    response = Q(acknowledged_at__isnull=True, response_risk_at__lte=now, response_due__gte=now)
    repair = Q(resolved_at__isnull=True, paused_since__isnull=True, repair_risk_at__lte=now, repair_due__gte=now)
    return Q(state__in=lifecycle.OPEN_STATES) & (response | repair)


def breached_q(now) -> Q:
    """Breached now or breached in the past (met late)."""
    response = Q(acknowledged_at__isnull=True, response_due__lt=now) | Q(acknowledged_at__gt=F("response_due"))
    repair = (Q(resolved_at__isnull=True, paused_since__isnull=True, repair_due__lt=now)
              | Q(resolved_at__gt=F("repair_due")))
    return ~Q(state=IncidentState.CANCELLED) & (response | repair)


class IncidentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    state = django_filters.MultipleChoiceFilter(choices=IncidentState.choices, label=_("状态"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("故障等级"))
    clock = django_filters.ChoiceFilter(choices=CLOCK_FILTERS, method="by_clock", label=_("时限"))
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    unit = django_filters.NumberFilter(field_name="system__unit_id", label=_("用户单位"))
    category = django_filters.ChoiceFilter(field_name="system__category", choices=Category.choices, label=_("类别"))
    assignee = django_filters.NumberFilter(field_name="assignee_id", label=_("处理人"))
    reported_from = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__gte", label=_("报障起"))
    reported_to = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__lte", label=_("报障止"))

    class Meta:
        model = Incident
        fields = ["q", "state", "severity", "clock", "system", "unit", "category", "assignee"]

    def search(self, queryset, name, value):
        if value.upper().startswith("GZ") and "-" in value:
            number = value.split("-")[-1]
            if number.isdigit():
                return queryset.filter(pk=int(number))
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(system__name__icontains=value))

    def by_clock(self, queryset, name, value):
        now = timezone.now()
        if value == "open":
            return queryset.filter(state__in=lifecycle.OPEN_STATES)
        if value == "at_risk":
            return queryset.filter(at_risk_q(now))
        if value == "breached":
            return queryset.filter(breached_q(now))
        if value == "open_breached":
            return queryset.filter(breached_q(now), state__in=lifecycle.OPEN_STATES)
        if value == "unassigned":
            return queryset.filter(state__in=lifecycle.OPEN_STATES, assignee__isnull=True)
        if value == "calendar_unknown":
            return queryset.filter(calendar_unknown_year__isnull=False)
        return queryset
