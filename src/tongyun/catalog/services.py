"""Writes to the catalog. Each service checks the capability, records the actor for the audit trail,
and changes nothing when it fails."""

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongyun.core import hooks
from tongyun.core.excel import Problem, WorkbookInvalid, open_workbook
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.parties.choices import OrganisationKind, Role
from tongyun.parties.models import Organisation

from .choices import ChangeKind, SystemStatus
from .excel import DEVICE_SHEET, SLA_SHEET, SYSTEM_SHEET
from .models import Assignment, Device, SlaTerm, System, SystemChange

# Fields a change record may set, per kind of change.
CHANGE_FIELDS = {
    ChangeKind.UPGRADE: {"name", "description", "deployment", "deployment_kind", "hardware_text", "work_content"},
    ChangeKind.SHUTDOWN: {"service_end"},
    ChangeKind.START_DATE: {"service_start"},
    ChangeKind.END_DATE: {"service_end"},
    ChangeKind.RESUME: {"service_end"},
    ChangeKind.OTHER: set(),
}
FIELD_ROLES = {Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN}


def _clean_and_save(user, instance) -> None:
    instance.full_clean()
    with set_actor(user):
        instance.save()


@transaction.atomic
def system_update(user, system: System, **fields) -> System:
    require(user, "catalog.edit")
    for name, value in fields.items():
        setattr(system, name, value)
    _clean_and_save(user, system)
    return system


def _status_on(system: System, today: dt.date) -> str:
    if system.service_end and system.service_end < today:
        return SystemStatus.SHUT_DOWN
    if system.service_start and system.service_start > today:
        return SystemStatus.PLANNED
    return SystemStatus.ACTIVE


@transaction.atomic
def record_system_change(
    user, system: System, *, kind: str, effective_date: dt.date, description: str, changes: dict | None = None
) -> SystemChange:
    """Record a change of a system during the year and apply it to the catalog.

    A shutdown ends the service the day before `effective_date` unless an explicit end is given;
    a new start date moves `service_start`. The change keeps the values before and after.
    """
    require(user, "catalog.record_change")
    kind = ChangeKind(kind)
    changes = dict(changes or {})
    if kind == ChangeKind.SHUTDOWN and "service_end" not in changes:
        changes["service_end"] = effective_date - dt.timedelta(days=1)
    if kind == ChangeKind.START_DATE and "service_start" not in changes:
        changes["service_start"] = effective_date
    if kind == ChangeKind.RESUME and "service_end" not in changes:
        changes["service_end"] = None
    unknown = set(changes) - CHANGE_FIELDS[kind]
    if unknown:
        raise ValidationError({field: _("此类变更不能修改该字段") for field in sorted(unknown)})
    if not description.strip():
        raise ValidationError({"description": _("请填写变更说明")})
    before = {field: _json(getattr(system, field)) for field in changes}
    for field, value in changes.items():
        setattr(system, field, value)
    system.status = _status_on(system, dt.date.today())
    _clean_and_save(user, system)
    change = SystemChange(
        system=system, kind=kind, effective_date=effective_date, description=description,
        before=before, after={field: _json(value) for field, value in changes.items()}, recorded_by=user,
    )
    change.save()
    if {"service_start", "service_end"} & set(changes):
        hooks.fire("system_service_period_changed", system=system)
    # every recorded change, for the domains whose obligations it starts (e.g. staffing: training after an
    # upgrade, tender rows 38–47)
    hooks.fire("system_change_recorded", change=change)
    return change


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def assign_staff(user, system: System, staff, since: dt.date | None = None) -> Assignment:
    require(user, "catalog.assign_staff")
    if staff.role not in FIELD_ROLES:
        raise ValidationError({"user": _("只能分派运维工程师、驻场人员或电工")})
    with set_actor(user):
        assignment, _created = Assignment.objects.get_or_create(system=system, user=staff, defaults={"since": since})
    return assignment


@transaction.atomic
def unassign_staff(user, assignment: Assignment) -> None:
    require(user, "catalog.assign_staff")
    with set_actor(user):
        assignment.delete()


SLA_TERM_FIELDS = {
    "tier_label", "definition", "response_value", "response_unit", "arrival_value", "arrival_unit",
    "repair_value", "repair_unit", "restore_value", "restore_unit", "repair_from_arrival", "applies_when", "notes",
}


@transaction.atomic
def sla_term_update(user, term: SlaTerm, **fields) -> SlaTerm:
    """The bureau corrects a system's SLA term (the policy of its incidents); the audit log keeps the
    history. Tickets already reported keep the targets of their report moment (their policy snapshot)."""
    require(user, "catalog.edit")
    unknown = set(fields) - SLA_TERM_FIELDS
    if unknown:
        raise ValidationError({field: _("不能修改此字段") for field in sorted(unknown)})
    for name, value in fields.items():
        setattr(term, name, _patched_value(SlaTerm, name, value))
    for kind in ("response", "arrival", "repair", "restore"):
        if (getattr(term, f"{kind}_value") is None) != (not getattr(term, f"{kind}_unit")):
            raise ValidationError({f"{kind}_unit": _("时限数值与单位须同时填写或同时留空")})
    _clean_and_save(user, term)
    return term


def _patched_value(model, name: str, value):
    """A null in a patch body: a blank text column takes "" (the form's empty value); a column that cannot be
    null or blank is refused by name (422) instead of failing in the database (500)."""
    if value is not None:
        return value
    field = model._meta.get_field(name)
    if field.null:
        return None
    if field.blank and field.get_internal_type() in ("CharField", "TextField"):
        return ""
    raise ValidationError({name: _("不能为空")})


@transaction.atomic
def device_save(user, device: Device) -> Device:
    require(user, "catalog.edit")
    _clean_and_save(user, device)
    return device


@transaction.atomic
def device_replaced(user, device: Device, *, model: str = "", serial_number: str = "") -> Device:
    """A spare part replaced the device (spares: after the purchaser and the supervisor confirmed, which the
    calling domain checked): the record takes the new model and serial number; the audit log keeps the old."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if model.strip():
        device.model = model.strip()
    if serial_number.strip():
        device.serial_number = serial_number.strip()
    _clean_and_save(user, device)
    return device


# ---------------------------------------------------------------- Excel import


def _snapshot(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _stage_rows(spec, rows, existing: dict, new, prepare, problems: list) -> list:
    """Turn sheet rows into model instances to save; every problem goes to `problems`."""
    headers = {column.field: column.header for column in spec.columns}
    headers.update({"unit": headers.get("unit.name"), "system": headers.get("system_id")})
    staged = []
    for number, record in rows:
        pk = record.pop("id", None)
        instance = existing.get(pk) if pk else new()
        if pk and instance is None:
            problems.append(Problem(spec.title, number, "ID", _("ID %(id)s 不存在或无权修改") % {"id": pk}))
            continue
        before = _snapshot(instance)
        reason = prepare(instance, record)
        if reason:
            column, text = reason
            problems.append(Problem(spec.title, number, headers.get(column, column), text))
            continue
        for name, value in record.items():
            # an empty cell means "no value": NULL for nullable fields (IP address, dates …), "" for text
            if value == "" and instance._meta.get_field(name).null:
                value = None
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = headers.get(name) if name != "__all__" else None
                problems.append(Problem(spec.title, number, column, " ".join(messages)))
            continue
        changed = instance.pk is None or _snapshot(instance) != before
        staged.append((instance, changed))
    return staged


@transaction.atomic
def import_catalog_workbook(user, content: bytes) -> dict:
    """Apply an edited catalog workbook, all or nothing.

    Rows with an ID update that object; rows without one create it. Any bad cell, unknown ID or
    unit, or duplicate makes the whole import fail with every problem listed (sheet, row, column,
    reason) and nothing changed.
    """
    require(user, "catalog.edit")
    workbook = open_workbook(content)
    problems: list[Problem] = []
    system_rows = SYSTEM_SHEET.read(workbook, problems)
    term_rows = SLA_SHEET.read(workbook, problems)
    device_rows = DEVICE_SHEET.read(workbook, problems)

    units = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.UNIT)}
    systems = {s.id: s for s in scoped(System.objects.all(), user)}
    seen_names: set = set()

    def prepare_system(system, record):
        unit = units.get(record.pop("unit.name", ""))
        if unit is None:
            return "unit", _("用户单位不存在，请先在平台中创建")
        system.unit = unit
        key = (unit.id, record.get("name"))
        if key in seen_names:
            return "name", _("同一用户单位下系统名称重复")
        seen_names.add(key)
        return None

    def prepare_attached(obj, record):
        if record.get("system_id") not in systems:
            return "system_id", _("系统ID %(id)s 不存在或无权修改") % {"id": record.get("system_id")}
        return None

    staged = _stage_rows(SYSTEM_SHEET, system_rows, systems, System, prepare_system, problems)
    terms = {t.id: t for t in SlaTerm.objects.filter(system_id__in=systems)}
    staged += _stage_rows(SLA_SHEET, term_rows, terms, SlaTerm, prepare_attached, problems)
    devices = {d.id: d for d in Device.objects.filter(system_id__in=systems)}
    staged += _stage_rows(DEVICE_SHEET, device_rows, devices, Device, prepare_attached, problems)
    if problems:
        raise WorkbookInvalid(problems)

    summary = {"created": 0, "updated": 0, "unchanged": 0}
    with set_actor(user):
        for instance, changed in staged:
            if not changed:
                summary["unchanged"] += 1
                continue
            summary["created" if instance.pk is None else "updated"] += 1
            instance.save()
    return summary
