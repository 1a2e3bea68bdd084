"""Reads of monitoring — alert sources (bureau admin), events and correlation groups (scoped)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tongyun.catalog.models import Device
from tongyun.core.filtering import filtered
from tongyun.core.scoping import scoped
from tongyun.domain import correlation

from .choices import SourceKind
from .filters import EventFilterSet, GroupFilterSet
from .models import AlertSource, CorrelationGroup, Event
from .services import may_manage_sources

RECEIVER_PATHS = {SourceKind.ALERTMANAGER: "/api/v1/monitoring/alertmanager",
                  SourceKind.ZABBIX: "/api/v1/monitoring/zabbix",
                  SourceKind.GENERIC: "/api/v1/monitoring/events", SourceKind.BUILTIN: ""}


def source_list(user) -> QuerySet[AlertSource]:
    """Alert sources are district-wide and carry the receivers' keys: the bureau admin's."""
    if not may_manage_sources(user):
        raise PermissionDenied("monitoring.sources")
    return AlertSource.objects.select_related("default_system").order_by("name")


def source_get(user, pk: int) -> AlertSource:
    return get_object_or_404(source_list(user), pk=pk)


def event_list(user, params=None) -> QuerySet[Event]:
    events = scoped(Event.objects.select_related("source", "system", "system__unit", "device"), user)
    return filtered(EventFilterSet, events, params).order_by("-id")


def group_list(user, params=None) -> QuerySet[CorrelationGroup]:
    groups = scoped(CorrelationGroup.objects.select_related("system", "system__unit", "likely_cause", "incident"),
                    user)
    return filtered(GroupFilterSet, groups, params).order_by("-id")


def group_get(user, pk: int) -> CorrelationGroup:
    return get_object_or_404(group_list(user), pk=pk)


def group_devices(group: CorrelationGroup) -> QuerySet[Device]:
    return Device.objects.filter(events__group=group).distinct().order_by("pk")


def group_severity(group: CorrelationGroup) -> str | None:
    return correlation.highest(group.events.values_list("severity", flat=True).distinct())


def group_events(group: CorrelationGroup) -> QuerySet[Event]:
    return group.events.select_related("device", "source").order_by("starts_at", "id")


def unmapped_count(user) -> int:
    return scoped(Event.objects.filter(unmapped=True), user).count()
