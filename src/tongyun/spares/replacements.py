"""The replacement of a device that cannot be repaired (SP-07, SP-08, SP-13, SP-20).

request → the purchaser (the system's unit or the bureau) confirms → the supervisor confirms (sign-off
flow "spares.replacement") → the part is issued from stock → the device record takes the new model and
serial (catalog.services.device_replaced) → the removed device goes into the ledger.

The incident waits in "等待备件审批" from the request until the confirmations end (approved, refused or
withdrawn): its arrival and repair clocks stop for exactly that time (incidents: the waiting rule).
A request beyond the item's cap needs a reason and the bureau's approval (flow "spares.over_cap").
A device still under the original vendor's warranty is not replaced from the spares: the incident goes
to "等待原厂" instead.
"""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog import services as catalog_services
from tongyun.catalog.models import Device
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.domain import spares as rules
from tongyun.incidents import services as incident_services
from tongyun.incidents.models import Incident
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs import services as signoffs

from . import selectors, services
from .choices import DisposalState, EntryKind, ReplacementState
from .models import RemovedDevice, RepairRecord, Replacement, ReplacementPhoto, SpareItem, Warehouse

REPLACEMENT_FLOW = "spares.replacement"
OVER_CAP_FLOW = "spares.over_cap"
DISPOSAL_FLOW = "spares.disposal"
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def warranty_route(device: Device | None, today: dt.date | None = None) -> str:
    """Which way a broken device goes (SP-20): the vendor's warranty or the contractor's spares."""
    if device is None:
        return rules.UNKNOWN
    return rules.warranty_route(device.warranty_until, today or timezone.localdate())


def _visible_incident(user, incident: Incident) -> Incident:
    if not scoped(Incident.objects.filter(pk=incident.pk), user).exists():
        raise Http404
    return incident


@transaction.atomic
def send_to_vendor(user, incident: Incident, *, note: str = "", now: dt.datetime | None = None) -> Incident:
    """The device is under the vendor's warranty: the contractor coordinates the vendor's repair."""
    _visible_incident(user, incident)
    if warranty_route(incident.device, (now or timezone.now()).date()) != rules.VENDOR:
        raise ValidationError({"device": _("设备不在原厂质保期内，应使用备品备件")})
    return incident_services.take_action(user, incident, "wait_vendor", now=now,
                                         note=note or _("设备在原厂质保期内，转原厂维修"))


@transaction.atomic
def request_replacement(user, incident: Incident, item: SpareItem, *, reason: str, quantity: int = 1,
                        device: Device | None = None, proposed_model: str = "", over_cap_reason: str = "",
                        photos: list[UploadedFile] | None = None, now: dt.datetime | None = None) -> Replacement:
    now = _now(now)
    _visible_incident(user, incident)
    require(user, "spares.request_replacement")
    problems = {}
    if item.system_id != incident.system_id:
        problems["item_id"] = _("备件不属于该工单的系统")
    if device is not None and device.system_id != incident.system_id:
        problems["device_id"] = _("设备不属于该工单的系统")
    if not reason.strip():
        problems["reason"] = _("请说明设备无法修复的情况")
    if quantity < 1:
        problems["quantity"] = _("数量应大于 0")
    device = device or incident.device
    if device is not None and warranty_route(device, timezone.localdate(now)) == rules.VENDOR:
        problems["device_id"] = _("设备在原厂质保期内（至 %(until)s）：应由原厂维修，请将工单转为“等待原厂”，"
                                  "不使用备品备件") % {"until": device.warranty_until}
    for photo in photos or []:
        if photo.size > MAX_PHOTO_BYTES:
            problems["photos"] = _("照片不能超过 10 MB")
    if problems:
        raise ValidationError(problems)
    if incident.state not in lifecycle.WORKING and incident.state != lifecycle.WAITING_PARTS:
        raise ValidationError({"incident_id": _("工单处于“%(state)s”，须在处理中才能申请更换") % {
            "state": incident.get_state_display()}})
    item = services.locked_item(item)  # cap decisions of one item queue here
    position = selectors.cap_position(item)
    beyond = position.exceeded_by(quantity)
    if beyond and not over_cap_reason.strip():
        raise ValidationError({"quantity": _(
            "超出合同数量上限：%(item)s %(year)s 年上限 %(cap)s %(unit)s，已用 %(used)s，已申请 %(committed)s，"
            "本次 %(quantity)s，超出 %(beyond)s。超量使用须经区经信局批准，请填写超量理由") % {
            "item": item, "year": item.cap_year, "cap": position.effective_cap, "unit": item.unit,
            "used": position.used, "committed": position.committed, "quantity": quantity, "beyond": beyond}})
    replacement = Replacement(incident=incident, system_id=incident.system_id, item=item, device=device,
                              quantity=quantity, reason=reason.strip(), proposed_model=proposed_model.strip(),
                              over_cap_reason=over_cap_reason.strip() if beyond else "", requested_by=user,
                              requested_at=now)
    with set_actor(user):
        replacement.save()
        for photo in photos or []:
            ReplacementPhoto.objects.create(replacement=replacement, image=photo)
    title = _("备件更换：%(item)s × %(quantity)s（%(incident)s）") % {
        "item": item, "quantity": quantity, "incident": incident.number}
    signoffs.start(user, replacement, REPLACEMENT_FLOW, title=title, system=incident.system, now=now, comment=reason)
    if replacement.over_cap:
        signoffs.start(user, replacement, OVER_CAP_FLOW, system=incident.system, now=now,
                       title=_("超量使用备件：%(item)s 超出 %(beyond)s") % {"item": item, "beyond": beyond},
                       comment=replacement.over_cap_reason)
    if incident.state != lifecycle.WAITING_PARTS:
        incident_services.take_action(user, incident, "wait_parts", now=now, decided_by="spares",
                                      note=_("申请更换备件，等待采购方和监理确认：%(item)s") % {"item": item})
    return replacement


def _confirmations_complete(replacement: Replacement) -> bool:
    if not signoff_selectors.is_complete(replacement, REPLACEMENT_FLOW):
        return False
    return not replacement.over_cap or signoff_selectors.is_complete(replacement, OVER_CAP_FLOW)


def _end_waiting(replacement: Replacement, actor, now: dt.datetime, note: str) -> None:
    incident = Incident.objects.get(pk=replacement.incident_id)
    if incident.state == lifecycle.WAITING_PARTS:
        incident_services.take_action(actor, incident, "resume", note=note, now=now, decided_by="spares")


def _set_state(replacement: Replacement, state: str, actor) -> None:
    replacement.state = state
    with set_actor(actor):
        replacement.save(update_fields=["state"])


def _decided(signoff) -> tuple:
    """The subject of a finished sign-off, its last decider and moment."""
    replacement = Replacement.objects.select_for_update().get(pk=signoff.subject_id)
    step = signoff.steps.exclude(decided_by=None).order_by("-decided_at").first()
    return replacement, (step.decided_by if step else signoff.started_by), signoff.ended_at or timezone.now()


def on_confirmed(signoff) -> None:
    """A sign-off of the replacement completed: once every one it needs is, the part may be issued."""
    replacement, actor, now = _decided(signoff)
    if replacement.state == ReplacementState.REQUESTED and _confirmations_complete(replacement):
        _set_state(replacement, ReplacementState.APPROVED, actor)
        _end_waiting(replacement, actor, now, _("采购方和监理已确认更换备件"))


def on_refused(signoff) -> None:
    replacement, actor, now = _decided(signoff)
    if replacement.state == ReplacementState.REQUESTED:
        _set_state(replacement, ReplacementState.REJECTED, actor)
        _end_waiting(replacement, actor, now, _("备件更换未获同意"))


def on_withdrawn(signoff) -> None:
    replacement, actor, now = _decided(signoff)
    if replacement.state == ReplacementState.REQUESTED:
        _set_state(replacement, ReplacementState.WITHDRAWN, actor)
        _end_waiting(replacement, actor, now, _("备件更换申请已撤回"))


@transaction.atomic
def issue(user, replacement: Replacement, warehouse: Warehouse, *, removal_reason: str, location: str, kept_at: str,
          new_model: str = "", new_serial: str = "", installed_on: dt.date | None = None,
          years_in_use=None, now: dt.datetime | None = None) -> Replacement:
    """Issue the confirmed part, update the device record, and enter the removed device in the ledger."""
    now = _now(now)
    if not scoped(Replacement.objects.filter(pk=replacement.pk), user).exists():
        raise Http404
    require(user, "spares.issue")
    replacement = Replacement.objects.select_for_update().get(pk=replacement.pk)
    if replacement.state == ReplacementState.ISSUED:
        raise ValidationError({"state": _("该申请已经更换完毕")})
    if replacement.state != ReplacementState.APPROVED or not _confirmations_complete(replacement):
        raise ValidationError({"state": _("须经采购方和监理共同确认%(over)s后才能领用备件") % {
            "over": _("（及区经信局批准超量使用）") if replacement.over_cap else ""}})
    problems = {f: _("请填写") for f, v in (("removal_reason", removal_reason), ("location", location),
                                           ("kept_at", kept_at)) if not v.strip()}
    if problems:
        raise ValidationError(problems)
    item = services.locked_item(replacement.item)
    position = selectors.cap_position(item, exclude=replacement)
    if position.remaining is not None and replacement.quantity > position.remaining and not replacement.over_cap:
        raise ValidationError({"quantity": _("超出合同数量上限，须经区经信局批准超量使用")})
    with set_actor(user):
        services.post_entry(user, item, warehouse, EntryKind.ISSUE, -replacement.quantity, replacement=replacement,
                            note=replacement.incident.number, now=now)
        device = replacement.device
        old_model, old_serial = (device.model, device.serial_number) if device else ("", "")
        if device is not None:
            catalog_services.device_replaced(user, device, model=new_model or replacement.proposed_model,
                                             serial_number=new_serial)
        replacement.state, replacement.issued_at = ReplacementState.ISSUED, now
        replacement.new_model, replacement.new_serial = new_model or replacement.proposed_model, new_serial
        replacement.installed_on = installed_on or timezone.localdate(now)
        replacement.save()
        RemovedDevice.objects.create(
            system_id=replacement.system_id, incident_id=replacement.incident_id, replacement=replacement,
            device=device, device_name=(device.name or device.kind) if device else str(item),
            old_model=old_model, old_serial=old_serial, removal_reason=removal_reason.strip(),
            location=location.strip() or (device.location if device else ""), years_in_use=years_in_use,
            removed_at=now, kept_at=kept_at.strip())
    return replacement


@transaction.atomic
def request_disposal(user, removed: RemovedDevice, *, reason: str, now: dt.datetime | None = None) -> RemovedDevice:
    """Ask the bureau to consent to disposing of an old part (SP-13)."""
    if not scoped(RemovedDevice.objects.filter(pk=removed.pk), user).exists():
        raise Http404
    require(user, "spares.dispose")
    if removed.disposal not in (DisposalState.KEPT, DisposalState.REFUSED):
        raise ValidationError({"disposal": _("已申请处置")})
    if not reason.strip():
        raise ValidationError({"reason": _("请说明处置方式和理由")})
    signoffs.start(user, removed, DISPOSAL_FLOW, title=_("旧件处置：%(name)s") % {"name": removed.device_name},
                   system=removed.system, now=now, comment=reason)
    removed.disposal = DisposalState.REQUESTED
    with set_actor(user):
        removed.save(update_fields=["disposal"])
    return removed


def _disposal_decided(signoff, state: str) -> None:
    removed = RemovedDevice.objects.select_for_update().get(pk=signoff.subject_id)
    removed.disposal = state
    removed.save(update_fields=["disposal"])


def on_disposal_approved(signoff) -> None:
    _disposal_decided(signoff, DisposalState.APPROVED)


def on_disposal_refused(signoff) -> None:
    _disposal_decided(signoff, DisposalState.REFUSED)


@transaction.atomic
def record_repair(user, system, *, part: str, fault: str, action: str, repaired_on: dt.date,
                  item: SpareItem | None = None, incident: Incident | None = None,
                  device: Device | None = None) -> RepairRecord:
    """A part repaired instead of replaced (SP-06)."""
    require(user, "spares.repair")
    problems = {f: _("请填写") for f, v in (("part", part), ("fault", fault), ("action", action)) if not v.strip()}
    for name, obj, attr in (("item_id", item, "system_id"), ("incident_id", incident, "system_id"),
                            ("device_id", device, "system_id")):
        if obj is not None and getattr(obj, attr) != system.pk:
            problems[name] = _("不属于所选系统")
    if problems:
        raise ValidationError(problems)
    record = RepairRecord(system=system, item=item, incident=incident, device=device, part=part.strip(),
                          fault=fault.strip(), action=action.strip(), repaired_on=repaired_on, repaired_by=user)
    with set_actor(user):
        record.save()
    return record


def may_issue(user, replacement: Replacement) -> bool:
    try:
        require(user, "spares.issue")
    except PermissionDenied:
        return False
    return replacement.state == ReplacementState.APPROVED
