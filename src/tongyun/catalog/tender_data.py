"""Load the curated Shunyi 2026 service demand table (data/shunyi_2026.yaml) into the catalog.

The YAML is produced from the tender by tools/extract_tender.py and reviewed by hand; each row keeps
the source line range in the tender so any value can be checked against the original words.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from tongyun.parties.choices import OrganisationKind
from tongyun.parties.models import Organisation

from .choices import Frequency, InspectionMode, Severity, SlaForm, SystemStatus, TermPeriod
from .models import Device, InspectionCadence, SlaTerm, System

DATA_FILE = Path(__file__).with_name("data") / "shunyi_2026.yaml"
SEVERITIES = {s.value for s in Severity} - {Severity.OTHER}


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["systems"]


def _target(target: dict | None) -> tuple[Decimal | None, str]:
    if not target or target.get("value") is None:
        return None, ""
    return Decimal(str(target["value"])), target.get("unit") or ""


def _text(value) -> str:
    """Cell text as the tender has it, without the blanks the PDF conversion left at the ends."""
    return str(value or "").strip()


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _system_fields(row: dict, unit: Organisation) -> dict:
    start = _date(row.get("service_start"))
    return {
        "unit": unit,
        "name": _text(row["name"]),
        "category": row["category"],
        "description": _text(row.get("description")),
        "hardware_text": _text(row.get("hardware")),
        "deployment": _text(row.get("deployment")),
        "deployment_kind": row.get("deployment_kind") or "other",
        "service_mode": _text(row.get("service_mode")),
        "onsite_staff_text": _text(row.get("onsite_staff")),
        "onsite_staff_count": row.get("onsite_staff_count"),
        "service_start": start,
        "service_end": _date(row.get("service_end")),
        "status": SystemStatus.PLANNED if start and start > dt.date.today() else SystemStatus.ACTIVE,
        "mlps_text": _text(row.get("mlps_text")),
        "mlps_level": row.get("mlps_level"),
        "mlps_last_assessment_year": row.get("mlps_last_assessment_year"),
        "mlps_due_this_year": bool(row.get("mlps_due_2026")),
        "network_power_text": _text(row.get("network_power_text")),
        "duty_required": bool(row.get("duty_required")),
        "duty_text": _text(row.get("duty_text")),
        "major_event_required": bool(row.get("major_event_required")),
        "major_event_text": _text(row.get("major_event_text")),
        "inspection_text": _text(row.get("inspection_text")),
        "work_content": _text(row.get("work_content")),
        "sla_text": _text(row.get("sla_text")),
        "sla_form": row.get("sla_form") or SlaForm.OTHER,
        "source_line_start": row["source_lines"][0],
        "source_line_end": row["source_lines"][1],
        "flags": row.get("flags") or [],
    }


def _sla_terms(system: System, row: dict) -> list[SlaTerm]:
    terms = []
    for position, tier in enumerate(row.get("sla") or []):
        key = tier["tier"]
        response, response_unit = _target(tier.get("response"))
        arrival, arrival_unit = _target(tier.get("arrival"))
        repair, repair_unit = _target(tier.get("repair"))
        restore, restore_unit = _target(tier.get("restore"))
        severity = tier.get("severity") or key
        terms.append(
            SlaTerm(
                system=system, position=position, tier_key=key,
                severity=severity if severity in SEVERITIES else Severity.OTHER,
                applies_when=tier.get("applies_when") or TermPeriod.ALWAYS,
                repair_from_arrival=bool(tier.get("repair_from_arrival")),
                tier_label=_text(tier.get("tier_label")), definition=_text(tier.get("definition")),
                response_value=response, response_unit=response_unit,
                arrival_value=arrival, arrival_unit=arrival_unit,
                repair_value=repair, repair_unit=repair_unit,
                restore_value=restore, restore_unit=restore_unit,
                text=_text(tier.get("text")), notes=_text(tier.get("notes")),
            )
        )
    return terms


def _cadences(system: System, row: dict) -> list[InspectionCadence]:
    return [
        InspectionCadence(
            system=system,
            frequency=item.get("frequency") if item.get("frequency") in Frequency.values else Frequency.OTHER,
            mode=item.get("mode") if item.get("mode") in InspectionMode.values else InspectionMode.UNSPECIFIED,
            text=_text(item.get("text")),
            rrule=_text(item.get("rrule")),
        )
        for item in row.get("inspections") or []
    ]


def _devices(system: System, row: dict) -> list[Device]:
    return [
        Device(
            system=system,
            kind=(item.get("type") or "设备")[:100],
            model=(item.get("model") or "")[:100],
            quantity=max(int(item.get("count") or 1), 1),
            location=(item.get("location") or "")[:200],
            source_text=_text(item.get("text")),
        )
        for item in row.get("devices") or []
    ]


@transaction.atomic
def load_tender_catalog(path: Path = DATA_FILE) -> int:
    """Create the systems of the data file that are not in the catalog yet; return how many.

    Idempotent and safe on every start: rows already loaded (by 序号) are left as they are,
    so edits made in the platform are never overwritten.
    """
    rows = read_rows(path)
    existing = set(System.objects.filter(row_no__isnull=False).values_list("row_no", flat=True))
    units = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.UNIT)}
    created = 0
    for row in rows:
        if row["row"] in existing:
            continue
        unit = units.get(row["unit"])
        if unit is None:
            unit = units[row["unit"]] = Organisation.objects.create(kind=OrganisationKind.UNIT, name=row["unit"])
        system = System.objects.create(row_no=row["row"], **_system_fields(row, unit))
        SlaTerm.objects.bulk_create(_sla_terms(system, row))
        InspectionCadence.objects.bulk_create(_cadences(system, row))
        Device.objects.bulk_create(_devices(system, row))
        created += 1
    return created
