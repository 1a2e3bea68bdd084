"""Writes of the software inventory, vulnerabilities and patches (MS-06)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.permissions import require

from .models import Patch, SoftwareItem, Vulnerability


def _same_system(system: System, **related) -> None:
    for name, obj in related.items():
        if obj is not None and obj.system_id != system.pk:
            raise ValidationError({f"{name}_id": _("不属于该系统")})


@transaction.atomic
def save_software(user, system: System, *, kind: str, name: str, version: str = "", device=None,
                  note: str = "") -> SoftwareItem:
    """Add a component or update its version (one row per system, kind and name)."""
    require(user, "security.inventory")
    _same_system(system, device=device)
    item = SoftwareItem.objects.filter(system=system, kind=kind, name=name).first() or SoftwareItem(
        system=system, kind=kind, name=name)
    item.version, item.device, item.note = version, device, note
    item.full_clean(validate_constraints=False)
    item.save()
    return item


@transaction.atomic
def record_vulnerability(user, system: System, *, title: str, severity: str, source: str, found_on,
                         cve: str = "", software=None, fixed_on=None, note: str = "") -> Vulnerability:
    require(user, "security.inventory")
    _same_system(system, software=software)
    if fixed_on is not None and fixed_on < found_on:
        raise ValidationError({"fixed_on": _("修复日期不能早于发现日期")})
    cve = (cve or "").strip().upper()
    if cve and not (cve.startswith("CVE-") and cve[4:8].isdigit()):
        raise ValidationError({"cve": _("CVE 编号格式应为 CVE-2026-12345")})
    vulnerability = Vulnerability(system=system, title=title, severity=severity, source=source, found_on=found_on,
                                  cve=cve, software=software, fixed_on=fixed_on, note=note)
    vulnerability.full_clean()
    vulnerability.save()
    return vulnerability


@transaction.atomic
def record_patch(user, system: System, *, name: str, applied_at=None, restarted: bool = False,
                 reconfigured: bool = False, software=None, vulnerability=None, note: str = "") -> Patch:
    """A patch installed; naming the vulnerability it fixes records the fix date on it."""
    require(user, "security.inventory")
    _same_system(system, software=software, vulnerability=vulnerability)
    applied_at = applied_at or timezone.now()
    if applied_at > timezone.now():
        raise ValidationError({"applied_at": _("安装时间不能晚于当前时间")})
    patch = Patch(system=system, name=name, applied_at=applied_at, restarted=restarted, reconfigured=reconfigured,
                  software=software, vulnerability=vulnerability, note=note, applied_by=user)
    patch.full_clean()
    patch.save()
    if vulnerability is not None and vulnerability.fixed_on is None:
        vulnerability.fixed_on = timezone.localtime(applied_at).date()
        vulnerability.save(update_fields=["fixed_on"])
    return patch
