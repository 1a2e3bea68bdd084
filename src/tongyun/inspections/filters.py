"""Filter sets shared by the inspection pages and the API."""

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Category, Frequency, InspectionMode

from .choices import MISSED, MISSED_LABEL, PlanStatus, TaskState
from .models import InspectionPlan, InspectionTask

TASK_STATES = [*TaskState.choices, (MISSED, MISSED_LABEL)]
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str) -> tuple[dt.date, dt.date]:
    """'2026-03' → (2026-03-01, 2026-03-31); ValueError naming the field otherwise."""
    match = MONTH.match((value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("month: 格式应为 YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def overdue_q(today: dt.date) -> Q:
    """逾期: the due date has passed and the task is not done."""
    return Q(due_date__lt=today) & ~Q(state=TaskState.DONE)


class MonthField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value:
            try:
                parse_month(value)
            except ValueError as problem:
                raise forms.ValidationError(_("格式应为 YYYY-MM")) from problem
        return value


class MonthFilter(django_filters.CharFilter):
    """A YYYY-MM month; the filtering is the filter set's `by_month` method, which django-filter skips for an
    empty value — so an unfiltered list provably needs no filter form (core.filtering, issue #16)."""

    field_class = MonthField


class TaskFilterSet(django_filters.FilterSet):
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    unit = django_filters.NumberFilter(field_name="system__unit_id", label=_("用户单位"))
    category = django_filters.ChoiceFilter(field_name="system__category", choices=Category.choices, label=_("类别"))
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("巡检计划"))
    month = MonthFilter(method="by_month", label=_("月份"))
    state = django_filters.ChoiceFilter(choices=TASK_STATES, method="by_state", label=_("状态"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("逾期"))
    assignee = django_filters.NumberFilter(field_name="assignee_id", label=_("巡检人"))
    date_from = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="gte", label=_("起始日期"))
    date_to = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = InspectionTask
        fields = []

    def by_month(self, queryset, name, value):
        first, last = parse_month(value)
        return queryset.filter(scheduled_for__gte=first, scheduled_for__lte=last)

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == MISSED:
            return queryset.filter(overdue_q(today))
        if value in (TaskState.PENDING, TaskState.IN_PROGRESS):
            return queryset.filter(state=value).exclude(overdue_q(today))
        return queryset.filter(state=value)

    def by_overdue(self, queryset, name, value):
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class PlanFilterSet(django_filters.FilterSet):
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    unit = django_filters.NumberFilter(field_name="system__unit_id", label=_("用户单位"))
    category = django_filters.ChoiceFilter(field_name="system__category", choices=Category.choices, label=_("类别"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("状态"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("频次"))
    mode = django_filters.ChoiceFilter(choices=InspectionMode.choices, label=_("方式"))
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    class Meta:
        model = InspectionPlan
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(system__name__icontains=value)
                               | Q(tender_text__icontains=value))
