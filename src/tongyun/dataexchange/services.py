"""Writes of 数据对接: the tender's interface duties as planned resources, new resources, the state steps
(planned → connected → verified, one at a time; verification by the data-quality officer or the bureau),
and daily push figures."""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped

from .choices import NEXT_STATE, ResourceState
from .models import DataResource, PushRecord

# (row, resource, interface, daily pushes, tender line, the tender's words) — PF-05
TENDER_DUTIES = [
    (89, "系统间数据对接", "api", 0, 17626, "提供系统间数据对接服务"),
    (90, "系统间数据对接", "api", 0, 17808, "提供系统间数据对接服务"),
    (92, "系统间数据对接", "api", 0, 18220, "提供系统间数据对接服务"),
    (37, "市级数据接口", "api", 0, 8854, "根据市级工作要求，完成区级系统调整及数据接口升级"),
    (52, "排污企业数据共享接口", "api", 0, 11103, "为已经授权的第三方排污企业提供数据共享的接口服务"),
    (119, "每日数据收集与推送", "stream", 1, 22002, "进行数据收集和推送"),
    (69, "数据上报", "stream", 1, 14016, "数据上报成功率与及时率"),
    (34, "动态数据接入", "stream", 0, 8287, "动态数据接入及时有效性进行监测"),
]


def seed_tender_duties() -> int:
    systems = {s.row_no: s for s in System.objects.filter(row_no__in=[row for row, *_ in TENDER_DUTIES])}
    created = 0
    for row, name, interface, pushes, line, text in TENDER_DUTIES:
        system = systems.get(row)
        if system is not None:
            _resource, new = DataResource.objects.get_or_create(system=system, name=name, defaults={
                "owner_unit": system.unit, "interface": interface, "daily_pushes": pushes, "source_line": line,
                "duty_text": text})
            created += new
    return created


def create_resource(user, *, system_id: int, name: str, **fields) -> DataResource:
    system = scoped(System.objects.filter(pk=system_id), user).first()
    if system is None:
        raise Http404
    require(user, "dataexchange.edit")
    if DataResource.objects.filter(system=system, name=name).exists():
        raise ValidationError({"name": _("该系统已有同名数据资源")})
    with set_actor(user):
        return DataResource.objects.create(system=system, name=name, owner_unit=system.unit, **fields)


def advance(user, resource: DataResource, to_state: str, *, note: str = "", now: dt.datetime | None = None):
    """Move one step forward: planned → connected (the contractor) → verified (data-quality officer or bureau)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not scoped(DataResource.objects.filter(pk=resource.pk), user).exists():
            raise Http404
        resource = DataResource.objects.select_for_update().get(pk=resource.pk)
        require(user, "dataexchange.edit")
        if NEXT_STATE.get(resource.state) != to_state:
            raise ValidationError({"state": _("状态只能按 计划对接 → 已对接 → 已核验 逐步推进（当前：%(state)s）") %
                                   {"state": resource.get_state_display()}})
        if to_state == ResourceState.VERIFIED and not can(user, "dataexchange.verify"):
            raise PermissionDenied(_("核验由数据质量管理专员或区经信局完成"))
        resource.state, resource.state_changed_at, resource.state_changed_by = to_state, now, user
        if note:
            resource.note = f"{resource.note}\n{now:%Y-%m-%d} {note}".strip()
        with set_actor(user):
            resource.save(update_fields=["state", "state_changed_at", "state_changed_by", "note"])
    return resource


def record_pushes(user, resource: DataResource, *, day: dt.date, expected: int, succeeded: int,
                  on_time: int) -> PushRecord:
    if not scoped(DataResource.objects.filter(pk=resource.pk), user).exists():
        raise Http404
    require(user, "dataexchange.edit")
    problems = {}
    if not 0 <= succeeded <= expected:
        problems["succeeded"] = _("推送成功数应在 0 与应推送数之间")
    if not 0 <= on_time <= succeeded:
        problems["on_time"] = _("及时推送数不能超过推送成功数")
    if not 2020 <= day.year <= 2035:
        problems["day"] = _("日期应在 2020 年至 2035 年之间")
    if problems:
        raise ValidationError(problems)
    with set_actor(user):
        record, _created = PushRecord.objects.update_or_create(
            resource=resource, day=day, defaults={"expected": expected, "succeeded": succeeded, "on_time": on_time})
    return record
