"""Reads of the catalog. Every one goes through tongyun.core.scoping.scoped()."""

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from tongyun.core.filtering import filtered
from tongyun.core.scoping import scoped
from tongyun.parties.choices import OrganisationKind
from tongyun.parties.models import Organisation

from .choices import SystemStatus
from .filters import DeviceFilterSet, SlaTermFilterSet, SystemFilterSet, UnitFilterSet
from .models import Assignment, Device, InspectionCadence, SlaTerm, System, SystemChange


def system_list(user, params=None) -> QuerySet[System]:
    systems = scoped(System.objects.select_related("unit"), user)
    return filtered(SystemFilterSet, systems, params)


def system_get(user, pk: int) -> System:
    return get_object_or_404(scoped(System.objects.select_related("unit"), user), pk=pk)


def system_detail_related(system: System) -> dict:
    """What a system's page shows besides the system itself (caller has checked access)."""
    return {
        "sla_terms": list(system.sla_terms.all()),
        "cadences": list(system.inspection_cadences.all()),
        # the tender's inventory, one row per kind as the tender lists it ("人卡（社区人脸抓拍机） 2306")
        "devices": list(system.devices.filter(code="").order_by("id")[:500]),
        "tender_device_total": system.devices.filter(code="").aggregate(n=Sum("quantity"))["n"] or 0,
        # the real devices registered by import (设备台账), counted by class
        "registered": list(system.devices.exclude(code="").values("device_class").annotate(n=Count("pk"))
                           .order_by("-n")),
        "changes": list(system.changes.select_related("recorded_by")),
        "assignments": list(system.assignments.select_related("user")),
    }


def upcoming_service_starts(user, limit: int = 10) -> QuerySet[System]:
    """Systems whose service has not started yet, soonest first."""
    return system_list(user).filter(status=SystemStatus.PLANNED).order_by("service_start")[:limit]


def assignment_list(user, system_id: int) -> QuerySet[Assignment]:
    """Who is assigned to a system (the caller has checked the system is visible)."""
    return scoped(Assignment.objects.select_related("user"), user).filter(system_id=system_id)


def device_list(user, params=None) -> QuerySet[Device]:
    devices = scoped(Device.objects.select_related("system", "system__unit"), user)
    return filtered(DeviceFilterSet, devices, params)


def device_get(user, pk: int) -> Device:
    return get_object_or_404(scoped(Device.objects.select_related("system", "system__unit"), user), pk=pk)


def device_topology(user, device: Device, limit: int = 500) -> dict:
    """The device, its upstream chain (nearest first; stops at a loop) and the devices directly behind it —
    only those the user may see."""
    visible = scoped(Device.objects.all(), user)
    chain, seen, current = [], {device.pk}, device.upstream_id
    while current is not None and current not in seen and len(chain) < 32:
        seen.add(current)
        found = visible.filter(pk=current).first()
        if found is None:
            break
        chain.append(found)
        current = found.upstream_id
    return {"device": device, "upstream": chain, "downstream": list(visible.filter(upstream=device)[:limit])}


def sla_term_list(user, params=None) -> QuerySet[SlaTerm]:
    terms = scoped(SlaTerm.objects.select_related("system", "system__unit"), user)
    return filtered(SlaTermFilterSet, terms, params)


def sla_term_get(user, pk: int) -> SlaTerm:
    return get_object_or_404(scoped(SlaTerm.objects.select_related("system"), user), pk=pk)


def cadence_list(user, system_id: int | None = None) -> QuerySet[InspectionCadence]:
    cadences = scoped(InspectionCadence.objects.select_related("system"), user)
    return cadences.filter(system_id=system_id) if system_id else cadences


def change_list(user, system_id: int | None = None) -> QuerySet[SystemChange]:
    changes = scoped(SystemChange.objects.select_related("system", "recorded_by"), user)
    return changes.filter(system_id=system_id) if system_id else changes


def unit_list(user, params=None) -> QuerySet[Organisation]:
    units = scoped(Organisation.objects.filter(kind=OrganisationKind.UNIT), user).annotate(
        system_count=Count("systems")
    )
    return filtered(UnitFilterSet, units, params)


def unit_get(user, pk: int) -> Organisation:
    return get_object_or_404(scoped(Organisation.objects.filter(kind=OrganisationKind.UNIT), user), pk=pk)


def catalog_overview(user) -> dict:
    """Counts for the home page, within what the user may see."""
    systems = scoped(System.objects.all(), user)
    by_category = dict(systems.values_list("category").annotate(n=Count("id")).order_by())
    return {
        "system_count": systems.count(),
        "unit_count": unit_list(user).count(),
        "device_count": scoped(Device.objects.all(), user).count(),
        "by_category": by_category,
    }
