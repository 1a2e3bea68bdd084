"""Writes of the availability domain: maintenance windows and accepted outages (request → approve or
reject, through the sign-off flow of tongyun.signoffs), outages recorded by hand from inspections and
incidents, and the tender's targets.

Each service finds the object through scoping first (another unit's object is a 404, never a 403 that
would confirm it exists), then checks the role, records the actor for the audit trail and changes
nothing when it fails."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device, System
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped
from tongyun.monitoring.choices import FaultKind, OutageCause
from tongyun.monitoring.models import Outage
from tongyun.parties.choices import Role

from .choices import AcceptedOutageKind, ApprovalState
from .models import AcceptedOutage, AvailabilityTarget, MaintenanceWindow

# Causes a person may record by hand; monitoring and checks write their own outages.
MANUAL_CAUSES = (OutageCause.INSPECTION, OutageCause.INCIDENT, OutageCause.MANUAL)
EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".doc", ".docx", ".xls", ".xlsx",
                       ".zip", ".txt", ".ofd"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _in_scope(user, model, pk: int) -> None:
    if not scoped(model.objects.filter(pk=pk), user).exists():
        raise Http404


def _check_interval(start: dt.datetime, end: dt.datetime | None, *, open_end: bool = False) -> None:
    errors = {}
    if start is None:
        errors["start"] = _("请填写开始时间")
    elif timezone.is_naive(start):
        errors["start"] = _("时间须带时区")
    if end is None and not open_end:
        errors["end"] = _("请填写结束时间")
    elif end is not None and timezone.is_naive(end):
        errors["end"] = _("时间须带时区")
    elif end is not None and start is not None and end <= start:
        errors["end"] = _("结束时间须晚于开始时间")
    if errors:
        raise ValidationError(errors)


def _system_devices(system: System, devices) -> list[Device]:
    devices = list(devices or [])
    foreign = [d for d in devices if d.system_id != system.pk]
    if foreign:
        raise ValidationError({"devices": _("设备不属于该系统")})
    return devices


# The decision on a request is a sign-off (docs/signoffs.md): one step, the purchaser's side approves or
# rejects; the flow's reactions record the outcome on the request (state, decided_by/at, decision_note).
WINDOW_FLOW = "availability.maintenance_window"
ACCEPTANCE_FLOW = "availability.accepted_outage"
FLOW_OF = {MaintenanceWindow: WINDOW_FLOW, AcceptedOutage: ACCEPTANCE_FLOW}


def request_signoff(obj):
    """The request's sign-off (the latest), or None (a request made before the flow existed has one from
    the data migration)."""
    from tongyun.signoffs import selectors as signoff_selectors

    return signoff_selectors.signoff_for(obj, FLOW_OF[type(obj)])


def _start_signoff(user, obj, title: str) -> None:
    from tongyun.signoffs import services as signoffs

    signoffs.start(user, obj, FLOW_OF[type(obj)], title=title, system=obj.system)


def _decide(user, obj, state: str, note: str) -> None:
    """Approve or reject through the request's sign-off; refused (nothing changes) when already decided or
    a rejection gives no reason. The flow's reaction records the outcome on `obj`."""
    from tongyun.signoffs import services as signoffs

    if obj.state != ApprovalState.REQUESTED:
        raise ValidationError({"state": _("该申请已处理：%(state)s") % {"state": obj.get_state_display()}})
    if state == ApprovalState.REJECTED and not (note or "").strip():
        raise ValidationError({"note": _("驳回须说明理由")})
    signoff = request_signoff(obj)
    if signoff is None or not signoff.is_open:
        raise ValidationError({"state": _("该申请没有待处理的审批")})
    if not signoffs.may_decide(user, signoff):
        raise PermissionDenied
    signoffs.decide(user, signoff, "approve" if state == ApprovalState.APPROVED else "reject",
                    comment=(note or "").strip())
    obj.refresh_from_db()


def _subject(signoff):
    model = next(model for model, key in FLOW_OF.items() if key == signoff.flow)
    return model.objects.select_for_update().get(pk=signoff.subject_id)


def _record_outcome(signoff, state: str) -> None:
    obj = _subject(signoff)
    step = signoff.steps.exclude(decision="").order_by("-position").first()
    obj.state, obj.decided_by, obj.decided_at, obj.decision_note = state, step.decided_by, step.decided_at, step.comment
    with set_actor(step.decided_by):
        obj.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


def on_decision_complete(signoff) -> None:
    """Approved: the window or the accepted outage now excludes its interval. An outage is accepted only
    with its evidence (raising undoes the decision)."""
    obj = _subject(signoff)
    if isinstance(obj, AcceptedOutage) and not obj.evidence:
        raise ValidationError({"evidence": _("尚无证明材料，不能认可")})
    _record_outcome(signoff, ApprovalState.APPROVED)


def on_decision_rejected(signoff) -> None:
    _record_outcome(signoff, ApprovalState.REJECTED)


def on_withdrawn(signoff) -> None:
    """A request is decided, never withdrawn: the purchaser rejects it (raising undoes the withdrawal)."""
    raise ValidationError({"state": _("可用率申请不能撤回，请由审批方驳回")})


# ---------------------------------------------------------------- maintenance windows


def may_request_window(user, system: System | None = None) -> bool:
    return can(user, "availability.request_window")


def may_decide_window(user, window: MaintenanceWindow) -> bool:
    """The bureau's administrator, or the administrator of the system's own unit."""
    if not can(user, "availability.approve"):
        return False
    if user.is_superuser or user.role == Role.BUREAU_ADMIN:
        return True
    return user.role == Role.UNIT_ADMIN and user.organisation_id == window.system.unit_id


@transaction.atomic
def request_window(user, system: System, *, start: dt.datetime, end: dt.datetime, reason: str,
                   devices=None) -> MaintenanceWindow:
    """The contractor's PM asks for a planned maintenance window (no devices = the whole system)."""
    _in_scope(user, System, system.pk)
    require(user, "availability.request_window")
    _check_interval(start, end)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写事由")})
    devices = _system_devices(system, devices)
    window = MaintenanceWindow(system=system, start=start, end=end, reason=reason.strip(), requested_by=user)
    with set_actor(user):
        window.save()
        if devices:
            window.devices.set(devices)
    _start_signoff(user, window, _("维护窗口：%(system)s %(start)s") % {
        "system": system.name, "start": timezone.localtime(start).strftime("%Y-%m-%d %H:%M")})
    return window


def _decide_window(user, window: MaintenanceWindow, state: str, note: str) -> MaintenanceWindow:
    _in_scope(user, MaintenanceWindow, window.pk)
    window = MaintenanceWindow.objects.select_for_update().select_related("system").get(pk=window.pk)
    if not may_decide_window(user, window):
        raise PermissionDenied("availability.approve")
    _decide(user, window, state, note)
    return window


@transaction.atomic
def approve_window(user, window: MaintenanceWindow, note: str = "") -> MaintenanceWindow:
    return _decide_window(user, window, ApprovalState.APPROVED, note)


@transaction.atomic
def reject_window(user, window: MaintenanceWindow, note: str = "") -> MaintenanceWindow:
    return _decide_window(user, window, ApprovalState.REJECTED, note)


# ---------------------------------------------------------------- accepted outages


def may_request_acceptance(user) -> bool:
    return can(user, "availability.request_acceptance")


def may_decide_acceptance(user, accepted: AcceptedOutage | None = None) -> bool:
    return can(user, "availability.accept_outage")


def _check_evidence(evidence) -> None:
    name = (getattr(evidence, "name", "") or "").lower()
    if not any(name.endswith(ext) for ext in EVIDENCE_EXTENSIONS):
        raise ValidationError({"evidence": _("证明材料须为 PDF、图片、Office 文档、OFD、TXT 或 ZIP 文件")})
    if (getattr(evidence, "size", 0) or 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _("证明材料不得超过 20 MB")})


@transaction.atomic
def request_acceptance(user, system: System, *, kind: str, start: dt.datetime, end: dt.datetime,
                       description: str, evidence=None, devices=None) -> AcceptedOutage:
    """The contractor asks the purchaser to accept an outage (不可抗力, 施工 …) as not a fault. The
    evidence may follow (attach_evidence) but is required before approval."""
    _in_scope(user, System, system.pk)
    require(user, "availability.request_acceptance")
    _check_interval(start, end)
    if kind not in AcceptedOutageKind.values:
        raise ValidationError({"kind": _("无效的类型")})
    if not (description or "").strip():
        raise ValidationError({"description": _("请填写说明")})
    if evidence is not None:
        _check_evidence(evidence)
    devices = _system_devices(system, devices)
    accepted = AcceptedOutage(system=system, kind=kind, start=start, end=end, description=description.strip(),
                              requested_by=user)
    if evidence is not None:
        accepted.evidence = evidence
    with set_actor(user):
        accepted.save()
        if devices:
            accepted.devices.set(devices)
    _start_signoff(user, accepted, _("认可停机：%(system)s %(kind)s %(start)s") % {
        "system": system.name, "kind": accepted.get_kind_display(),
        "start": timezone.localtime(start).strftime("%Y-%m-%d %H:%M")})
    return accepted


@transaction.atomic
def attach_evidence(user, accepted: AcceptedOutage, evidence) -> AcceptedOutage:
    _in_scope(user, AcceptedOutage, accepted.pk)
    require(user, "availability.request_acceptance")
    accepted = AcceptedOutage.objects.select_for_update().get(pk=accepted.pk)
    if accepted.state != ApprovalState.REQUESTED:
        raise ValidationError({"state": _("该申请已处理，不能再补充材料")})
    if evidence is None:
        raise ValidationError({"evidence": _("请上传证明材料")})
    _check_evidence(evidence)
    accepted.evidence = evidence
    with set_actor(user):
        accepted.save(update_fields=["evidence"])
    return accepted


def _decide_acceptance(user, accepted: AcceptedOutage, state: str, note: str) -> AcceptedOutage:
    _in_scope(user, AcceptedOutage, accepted.pk)
    require(user, "availability.accept_outage")
    accepted = AcceptedOutage.objects.select_for_update().get(pk=accepted.pk)
    if state == ApprovalState.APPROVED and not accepted.evidence:
        raise ValidationError({"evidence": _("尚无证明材料，不能认可")})
    _decide(user, accepted, state, note)
    return accepted


@transaction.atomic
def approve_acceptance(user, accepted: AcceptedOutage, note: str = "") -> AcceptedOutage:
    return _decide_acceptance(user, accepted, ApprovalState.APPROVED, note)


@transaction.atomic
def reject_acceptance(user, accepted: AcceptedOutage, note: str = "") -> AcceptedOutage:
    return _decide_acceptance(user, accepted, ApprovalState.REJECTED, note)


# ---------------------------------------------------------------- outages recorded by hand


def may_record_outage(user) -> bool:
    return can(user, "availability.record_outage")


@transaction.atomic
def record_outage(user, device: Device, *, start: dt.datetime, end: dt.datetime | None, fault: str,
                  cause: str = OutageCause.MANUAL, note: str = "", incident=None) -> Outage:
    """A down interval found by an inspection or an incident (or otherwise known), written where the
    monitoring writes its own: monitoring.Outage. `end` empty = still down."""
    _in_scope(user, Device, device.pk)
    require(user, "availability.record_outage")
    _check_interval(start, end, open_end=True)
    now = timezone.now()
    if start > now + dt.timedelta(minutes=5) or (end is not None and end > now + dt.timedelta(minutes=5)):
        raise ValidationError({"start": _("不能登记未来的停机")})
    if fault not in FaultKind.values:
        raise ValidationError({"fault": _("无效的故障类型")})
    if cause not in MANUAL_CAUSES:
        raise ValidationError({"cause": _("人工登记的来源只能是巡检发现、故障工单或人工登记")})
    if incident is not None and incident.system_id != device.system_id:
        raise ValidationError({"incident": _("工单不属于该设备的系统")})
    outage = Outage(device=device, system_id=device.system_id, start=start, end=end, cause=cause, fault=fault,
                    note=(note or "").strip(), incident=incident, recorded_by=user)
    with set_actor(user):
        outage.save()
    return outage


# ---------------------------------------------------------------- targets from the tender

# Rows of the service demand table whose text sets a device online / running rate, with the words.
# (Not seeded: "上线率 100%" — the share of devices connected, not a time ratio — and "在线视频录像完好率
# 100%", a recording-integrity rate.) tests/test_targets.py checks every quote is in the row's text and
# that no other row states such a rate.
TENDER_TARGETS: dict[int, tuple[str, str]] = {
    22: ("98", "设备在线率≥98%：图像回传正常，数据上传及时，图像字符正确"),
    29: ("98", "确保设备在线率≥98%，图像回传正常，数据上传及时，设备经纬度定位无偏移"),
    52: ("99", "所有模块在线运行率不低于99%，故障率不高于1%"),
    59: ("98", "运维期内保证设备的正常运行率达到98%以上(对因缺纸或其他甲方原因对运行率造成的影响不在此列)"),
    74: ("95", "设备完好率≥95%，车载监控设备及GPS终端设备在线率≥95%"),
    118: ("95", "设备在线率≥95%，图像回传率≥95％"),
    129: ("98", "视频监控设备在线率：确保≥98%达标"),
    130: ("98", "视频监控设备在线率：确保≥98%达标"),
    132: ("98", "视频监控设备在线率：确保≥98%达标"),
    138: ("95", "设备在线率≥95%，图像回传率≥95％"),
    139: ("95", "设备在线率≥95%，图像回传率≥95％"),
    142: ("95", "设备在线率≥95%，图像回传率≥95％"),
    143: ("98", "视频监控设备在线率：确保≥98%达标"),
    145: ("98", "视频监控设备在线率：确保≥98%达标"),
    147: ("95", "设备在线率≥95%，图像回传率≥95％"),
    149: ("95", "设备在线率≥95%，图像回传率≥95％"),
}
RATE_WORDS = re.compile(r"(设备在线率|在线运行率|正常运行率|设备完好率)")


def seed_targets() -> int:
    """Create the availability target of each row above (idempotent: a target already present, maybe
    edited by the bureau, is left untouched). Returns how many were created."""
    created = 0
    systems = {s.row_no: s for s in System.objects.filter(row_no__in=TENDER_TARGETS)}
    for row, (percent, quote) in TENDER_TARGETS.items():
        system = systems.get(row)
        if system is None:
            continue
        _target, made = AvailabilityTarget.objects.get_or_create(
            system=system, defaults={"target_percent": Decimal(percent), "source": quote})
        created += made
    return created
