"""Writes of 开发工作: the tender's caps, a unit's request, the contractor's reply with an estimate (checked
against the cap), the unit's (and above a threshold the bureau's) approval through the sign-off flow,
delivery and acceptance. Another unit's request is a 404 before any role check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.catalog.models import System
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import effort_caps
from tongyun.incidents.clocks import working_calendar
from tongyun.signoffs import flows
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.choices import Party

from .choices import CONSUMING, RequestKind, RequestState
from .models import ChangeRequest, EffortCap

APPROVAL = "development.approval"
APPROVAL_WITH_BUREAU = "development.approval_with_bureau"
REPLY_WORKING_DAYS = 5  # row 57: "在 5 个工作日内" (L11996–L12004)
UPGRADE_DAYS = 7  # RD-03: "在采购人正式提出升级需求后的一周内" (L27535–L27539)
# Above this estimate the bureau approves too (the tender sets no figure; a platform setting).
BUREAU_THRESHOLD = Decimal(str(getattr(settings, "TONGYUN_CHANGE_BUREAU_THRESHOLD", "1.0")))

# (row, person-months, scope, tender line, the tender's words)
TENDER_CAPS = [
    (38, "0.8", "开发维护", 8970, "服务方需承诺在总体工作量不超过 0.8 人月的工作量情况下，对全民健康信息平台提供系统…"),
    (39, "0.4", "系统升级部署", 9130, "服务方需承诺在不超过 0.4 人月的工作量情况下，对电子病历系统提供现场升级部署…"),
    (40, "0.4", "系统升级部署", 9325, "服务方需承诺在不超过 0.4 人月的工作量情况下…提供现场升级部署…"),
    (41, "0.4", "系统升级部署", 9496, "服务方需承诺在不超过 0.4 人月的工作量情况下…提供现场升级部署…"),
    (42, "0.4", "系统升级部署", 9640, "服务方需承诺在不超过 0.4 人月的工作量情况下，对区域医学影像诊断会诊系统…"),
    (43, "0.4", "系统升级部署", 9772, "服务方需承诺在不超过 0.4 人月的工作量情况下，对区域心电临床检验中心系统…"),
    (48, "1.5", "新功能开发", 10574, "现有系统进行运维，不高于 1.5 人月的开发工作量，用于日常维护中生产的新功能的开发"),
]


def _approved(signoff) -> None:
    request = ChangeRequest.objects.select_for_update().get(pk=signoff.subject_id)
    # Re-checked at approval: two replies may each fit the cap but not both.
    _check_cap(request.system, request.estimate_person_months, request.separate_agreement, exclude=request.pk,
               year=request.requested_at.year)
    request.state = RequestState.APPROVED
    request.save(update_fields=["state"])


def _rejected(signoff) -> None:
    ChangeRequest.objects.filter(pk=signoff.subject_id).update(state=RequestState.REJECTED)


APPROVAL_FLOWS = [
    flows.FlowType(key=APPROVAL, label=gettext_lazy("开发需求审批"), allows_reject=True,
                   steps=[flows.Step(Party.UNIT, label=gettext_lazy("用户单位审批"))],
                   on_complete=_approved, on_reject=_rejected),
    flows.FlowType(key=APPROVAL_WITH_BUREAU, label=gettext_lazy("开发需求审批（含区经信局）"), allows_reject=True,
                   steps=[flows.Step(Party.UNIT, label=gettext_lazy("用户单位审批")),
                          flows.Step(Party.BUREAU, label=gettext_lazy("区经信局审批"))],
                   on_complete=_approved, on_reject=_rejected),
]


def seed_tender_caps() -> int:
    systems = {s.row_no: s for s in System.objects.filter(row_no__in=[row for row, *_ in TENDER_CAPS])}
    created = 0
    for row, months, scope, line, text in TENDER_CAPS:
        if row in systems:
            _cap, new = EffortCap.objects.get_or_create(system=systems[row], defaults={
                "person_months": Decimal(months), "scope": scope, "source_line": line, "source_text": text})
            created += new
    return created


def consumed(system: System, year: int, exclude: int | None = None) -> Decimal:
    rows = ChangeRequest.objects.filter(system=system, state__in=CONSUMING, requested_at__year=year)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("estimate_person_months"))["total"] or Decimal("0")


def _check_cap(system: System, estimate: Decimal, agreement: str, *, year: int, exclude: int | None = None) -> None:
    cap = EffortCap.objects.filter(system=system).first()
    if cap is None or agreement.strip():
        return
    result = effort_caps.check(cap.person_months, consumed(system, year, exclude), estimate)
    if not result.within:
        raise ValidationError({"estimate_person_months": _(
            "超出本系统开发工作量上限 %(cap)s 人月（已用 %(used)s，剩余 %(left)s）；超出部分须甲乙双方另行约定，"
            "请填写“另行约定”") % {"cap": cap.person_months, "used": result.consumed, "left": result.remaining}})


def _visible(user, request: ChangeRequest) -> ChangeRequest:
    if not scoped(ChangeRequest.objects.filter(pk=request.pk), user).exists():
        raise Http404
    return ChangeRequest.objects.select_for_update().get(pk=request.pk)


def submit_request(user, *, system_id: int, kind: str, title: str, description: str = "",
                   now: dt.datetime | None = None) -> ChangeRequest:
    now = now or timezone.now()
    system = scoped(System.objects.filter(pk=system_id), user).first()
    if system is None:
        raise Http404
    require(user, "development.request")
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("未知的需求类型")})
    delivery_due = now + dt.timedelta(days=UPGRADE_DAYS) if kind == RequestKind.UPGRADE else None
    with set_actor(user):
        return ChangeRequest.objects.create(
            system=system, kind=kind, title=title, description=description, requested_by=user, requested_at=now,
            reply_due=working_calendar().add_working_days(now, REPLY_WORKING_DAYS), delivery_due=delivery_due)


def reply(user, request: ChangeRequest, *, estimate: Decimal, text: str, separate_agreement: str = "",
          now: dt.datetime | None = None) -> ChangeRequest:
    """The contractor's answer: the plan and the effort; the cap is checked, then approval is asked for."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _visible(user, request)
        require(user, "development.reply")
        if request.state != RequestState.REQUESTED:
            raise ValidationError({"state": _("该需求已答复")})
        if estimate is None or estimate <= 0:
            raise ValidationError({"estimate_person_months": _("请填写大于 0 的工作量")})
        _check_cap(request.system, estimate, separate_agreement, year=request.requested_at.year)
        with set_actor(user):
            request.estimate_person_months, request.reply, request.separate_agreement = estimate, text, \
                separate_agreement
            request.replied_at, request.replied_by, request.state = now, user, RequestState.ESTIMATED
            request.save()
            flow = APPROVAL_WITH_BUREAU if estimate > BUREAU_THRESHOLD else APPROVAL
            signoffs.start(user, request, flow, system=request.system, now=now,
                           title=_("开发需求：%(title)s（%(n)s 人月）") % {"title": request.title, "n": estimate})
    return request


def deliver(user, request: ChangeRequest, *, note: str, now: dt.datetime | None = None) -> ChangeRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = _visible(user, request)
        require(user, "development.reply")
        if request.state != RequestState.APPROVED:
            raise ValidationError({"state": _("只有已批准的需求可以交付")})
        request.state, request.delivered_at, request.delivery_note = RequestState.DELIVERED, now, note
        with set_actor(user):
            request.save(update_fields=["state", "delivered_at", "delivery_note"])
    return request


def accept(user, request: ChangeRequest, *, now: dt.datetime | None = None) -> ChangeRequest:
    """The unit accepts the delivered work (its administrator, for its own system)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _visible(user, request)
        if user.role != "unit_admin" or user.organisation_id != request.system.unit_id:
            raise PermissionDenied(_("由系统所属用户单位的管理员验收"))
        if request.state != RequestState.DELIVERED:
            raise ValidationError({"state": _("只有已交付的需求可以验收")})
        request.state, request.accepted_at, request.accepted_by = RequestState.ACCEPTED, now, user
        with set_actor(user):
            request.save(update_fields=["state", "accepted_at", "accepted_by"])
    return request
