"""The replacement flow end to end: request → unit confirms → supervisor confirms → issue → device updated →
removed-device ledger row, with the incident's clocks paused and resumed exactly."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongyun.catalog.models import Device
from tongyun.incidents.models import Incident
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs import services as signoffs
from tongyun.spares import replacements, selectors, services
from tongyun.spares.choices import EntryKind, ReplacementState
from tongyun.spares.models import RemovedDevice

pytestmark = pytest.mark.django_db


def _signoff(replacement, flow=replacements.REPLACEMENT_FLOW):
    return signoff_selectors.signoff_for(replacement, flow)


def _stock(user_of, item, warehouse, quantity):
    services.record_movement(user_of("pm"), item, warehouse, EntryKind.RECEIPT, quantity, note="入库")


def test_replacement_end_to_end_pauses_and_resumes_the_clock_exactly(camera, seeded_spares, working_incident,
                                                                    user_of):
    t0 = timezone.now().replace(microsecond=0) - dt.timedelta(hours=6)
    incident = working_incident(now=t0)
    repair_due_before = incident.repair_due
    assert repair_due_before is not None
    _stock(user_of, camera, seeded_spares, 2)
    requested_at = t0 + dt.timedelta(minutes=30)
    replacement = replacements.request_replacement(
        user_of("engineer"), incident, camera, reason="主板烧毁，无法修复", proposed_model="DS-NEW-CAM",
        now=requested_at)
    incident.refresh_from_db()
    assert incident.state == "waiting_parts" and incident.paused_since == requested_at

    # issuing before both confirmations is refused
    with pytest.raises(ValidationError, match="共同确认"):
        replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="主板烧毁",
                           location="石园街道卡口", kept_at="顺义库房 A-01")
    signoff = _signoff(replacement)
    with pytest.raises(PermissionDenied):  # the supervisor's turn comes after the purchaser's
        signoffs.decide(user_of("supervisor"), signoff, "approve")
    signoffs.decide(user_of("unit_admin_police"), signoff, "approve", comment="同意更换",
                    now=requested_at + dt.timedelta(hours=1))
    replacement.refresh_from_db()
    assert replacement.state == ReplacementState.REQUESTED
    with pytest.raises(ValidationError, match="共同确认"):
        replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="主板烧毁",
                           location="石园街道卡口", kept_at="顺义库房 A-01")
    confirmed_at = requested_at + dt.timedelta(hours=2, minutes=15)
    signoffs.decide(user_of("supervisor"), signoff, "approve", comment="情况属实", now=confirmed_at)
    replacement.refresh_from_db()
    incident.refresh_from_db()
    assert replacement.state == ReplacementState.APPROVED
    assert incident.state == "in_progress" and incident.paused_since is None
    # the repair clock (hours) moved later by exactly the time spent waiting
    assert incident.repair_due == repair_due_before + (confirmed_at - requested_at)

    replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="主板烧毁",
                       location="石园街道卡口", kept_at="顺义库房 A-01", new_serial="NEW-9", years_in_use="4.5",
                       now=confirmed_at + dt.timedelta(minutes=40))
    replacement.refresh_from_db()
    device = Device.objects.get(pk=incident.device_id)
    assert (device.model, device.serial_number) == ("DS-NEW-CAM", "NEW-9")
    assert replacement.state == ReplacementState.ISSUED
    removed = RemovedDevice.objects.get(replacement=replacement)
    assert (removed.old_model, removed.old_serial, removed.location, removed.kept_at) == (
        "OLD-CAM", "OLD-1", "石园街道卡口", "顺义库房 A-01")
    assert removed.incident_id == incident.pk and str(removed.years_in_use) == "4.5"
    assert selectors.stock([camera]) == {camera.pk: 1}
    assert selectors.used_quantities([camera]) == {camera.pk: 1}
    # the device's history shows the change (audit log)
    from auditlog.models import LogEntry

    change = LogEntry.objects.get_for_object(device).latest("timestamp")
    assert change.changes_dict["serial_number"] == ["OLD-1", "NEW-9"] and change.actor == user_of("engineer")


def test_a_refused_replacement_ends_the_wait_and_cannot_be_issued(camera, seeded_spares, working_incident, user_of):
    incident = working_incident()
    replacement = replacements.request_replacement(user_of("engineer"), incident, camera, reason="无法修复")
    signoffs.decide(user_of("bureau_admin"), _signoff(replacement), "reject", comment="先送修")
    replacement.refresh_from_db()
    assert replacement.state == ReplacementState.REJECTED
    assert Incident.objects.get(pk=incident.pk).state == "in_progress"
    with pytest.raises(ValidationError):
        replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="x", location="x",
                           kept_at="x")


def test_over_cap_is_refused_then_allowed_by_the_bureau(camera, seeded_spares, working_incident, user_of):
    camera.cap = 1
    camera.save()
    _stock(user_of, camera, seeded_spares, 5)
    first = replacements.request_replacement(user_of("engineer"), working_incident(), camera, reason="坏了")
    # the first request takes the whole cap: a second one is refused with the figures
    second_incident = working_incident()
    with pytest.raises(ValidationError, match="超出合同数量上限") as refused:
        replacements.request_replacement(user_of("engineer"), second_incident, camera, reason="也坏了")
    assert "上限 1" in str(refused.value) and "已申请 1" in str(refused.value)
    over = replacements.request_replacement(user_of("engineer"), second_incident, camera, reason="也坏了",
                                            over_cap_reason="雷击损坏 2 台，超出年度数量")
    assert over.over_cap
    for replacement in (first, over):
        signoff = _signoff(replacement)
        signoffs.decide(user_of("unit_admin_police"), signoff, "approve")
        signoffs.decide(user_of("supervisor"), signoff, "approve")
    first.refresh_from_db()
    over.refresh_from_db()
    assert first.state == ReplacementState.APPROVED
    assert over.state == ReplacementState.REQUESTED  # the bureau has not yet approved the over-cap use
    assert Incident.objects.get(pk=over.incident_id).state == "waiting_parts"
    with pytest.raises(ValidationError, match="超量"):
        replacements.issue(user_of("engineer"), over, seeded_spares, removal_reason="雷击", location="x", kept_at="x")
    with pytest.raises(PermissionDenied):
        signoffs.decide(user_of("unit_admin_police"), _signoff(over, replacements.OVER_CAP_FLOW), "approve")
    signoffs.decide(user_of("bureau_admin"), _signoff(over, replacements.OVER_CAP_FLOW), "approve",
                    comment="同意超量")
    over.refresh_from_db()
    assert over.state == ReplacementState.APPROVED
    for replacement in (first, over):
        replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="雷击", location="x",
                           kept_at="库房")
    assert selectors.used_quantities([camera])[camera.pk] == 2
    row = selectors.settlement([camera])[0]
    assert (row.cap, row.used, row.remaining) == (1, 2, -1)


def test_a_device_under_the_vendors_warranty_goes_to_the_vendor(camera, row23, working_incident, user_of):
    device = Device.objects.create(system=row23, kind="摄像机", name="新卡口", warranty_until=timezone.localdate())
    incident = working_incident(device=device)
    assert replacements.warranty_route(device) == "vendor"
    with pytest.raises(ValidationError, match="原厂质保期内"):
        replacements.request_replacement(user_of("engineer"), incident, camera, reason="坏了")
    replacements.send_to_vendor(user_of("engineer"), incident)
    assert Incident.objects.get(pk=incident.pk).state == "waiting_vendor"
    device.warranty_until = timezone.localdate() - dt.timedelta(days=1)
    assert replacements.warranty_route(device) == "spares"


def test_disposal_of_an_old_part_needs_the_bureau(camera, seeded_spares, working_incident, user_of):
    _stock(user_of, camera, seeded_spares, 1)
    replacement = replacements.request_replacement(user_of("engineer"), working_incident(), camera, reason="坏了")
    signoffs.decide(user_of("unit_admin_police"), _signoff(replacement), "approve")
    signoffs.decide(user_of("supervisor"), _signoff(replacement), "approve")
    replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="坏", location="x", kept_at="库")
    removed = RemovedDevice.objects.get(replacement=replacement)
    replacements.request_disposal(user_of("pm"), removed, reason="报废")
    removed.refresh_from_db()
    assert removed.disposal == "requested"
    signoff = signoff_selectors.signoff_for(removed, replacements.DISPOSAL_FLOW)
    with pytest.raises(PermissionDenied):
        signoffs.decide(user_of("supervisor"), signoff, "approve")
    signoffs.decide(user_of("bureau_admin"), signoff, "approve")
    removed.refresh_from_db()
    assert removed.disposal == "approved"
