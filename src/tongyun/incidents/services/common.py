"""What the incident writes share: who may do what, the acting role, timeline events, target checks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device, SlaTerm, System
from tongyun.parties.choices import Role

from ..models import IncidentEvent

MAY_BACKDATE = {Role.DISPATCHER, Role.PROJECT_MANAGER}
MAY_RECLASSIFY = {Role.DISPATCHER, Role.PROJECT_MANAGER, Role.BUREAU_ADMIN}
FIELD_ROLES = {Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN}
MAY_REPORT = set(Role) - {Role.SUPERVISOR}
FUTURE_SLACK = dt.timedelta(minutes=2)
# Moves another domain may start on its own decision (take_action's `decided_by`).
DOMAIN_DECIDED_ACTIONS = frozenset({"wait_parts", "resume"})


def _role(user) -> str:
    return Role.BUREAU_ADMIN if user.is_superuser and not user.role else user.role


def _event(incident, actor, kind, at, **fields) -> IncidentEvent:
    return IncidentEvent.objects.create(incident=incident, actor=actor, kind=kind, at=at, **fields)


def _check_target(system: System, device: Device | None, tier_key: str) -> None:
    if device is not None and device.system_id != system.pk:
        raise ValidationError({"device": _("设备不属于所选系统")})
    if tier_key and not SlaTerm.objects.filter(system=system, tier_key=tier_key).exists():
        raise ValidationError({"tier_key": _("该系统没有此时限条款")})


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None
