"""Excel in and out of the software inventory, the findings and the expiring items.

Import is all or nothing: every bad cell is collected (sheet, row, column, reason) and nothing changes
while one remains; a row the services refuse is reported the same way and rolls the whole file back."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.excel import Column, Problem, SheetSpec, WorkbookInvalid, open_workbook, write_workbook
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped

from . import inventory, selectors, services
from .choices import ExpiringItemKind, FindingSeverity, FindingSource, FindingStatus, LimitUnit, SoftwareKind


def software_sheet() -> SheetSpec:
    return SheetSpec(_("软件清单"), [
        Column(_("系统序号"), "system.row_no", "int", required=True, width=10),
        Column(_("系统名称"), "system.name", read_only=True, width=36),
        Column(_("类别"), "kind", "choice", required=True, choices=SoftwareKind.choices),
        Column(_("名称"), "name", required=True, width=24),
        Column(_("版本"), "version", width=18),
        Column(_("备注"), "note", width=30),
    ])


def findings_sheet() -> SheetSpec:
    return SheetSpec(_("安全问题"), [
        Column(_("系统序号"), "system.row_no", "int", required=True, width=10),
        Column(_("系统名称"), "system.name", read_only=True, width=36),
        Column(_("问题"), "title", required=True, width=36),
        Column(_("风险等级"), "severity", "choice", required=True, choices=FindingSeverity.choices),
        Column(_("来源"), "source", "choice", required=True, choices=FindingSource.choices),
        Column(_("发现时间"), "found_at_text", required=True, width=18),
        Column(_("整改时限"), "limit_value", "int", required=True, width=10),
        Column(_("时限单位"), "limit_unit", "choice", required=True, choices=LimitUnit.choices),
        Column(_("说明"), "description", width=36),
        Column(_("整改期限"), "due_at_text", read_only=True, width=18),
        Column(_("状态"), "status", "choice", read_only=True, choices=FindingStatus.choices),
    ])


ITEM_COLUMNS = {  # service field → column header, for the problems a row's save reports
    "kind": _("类别"), "name": _("名称"), "quantity": _("数量"), "expires_on": _("到期日"),
    "replace_every_months": _("更换周期（月）"), "last_replaced_on": _("上次更换"),
    "renew_lead_months": _("提前续期（月）"), "install_window_days": _("到期前安装（天）"),
    "issuer": _("签发/供应方"), "note": _("备注"),
}


def items_sheet() -> SheetSpec:
    """Expiring items: the columns a person fills (import) and the computed days (export only)."""
    return SheetSpec(_("到期事项"), [
        Column(_("系统序号"), "system.row_no", "int", required=True, width=10),
        Column(_("系统名称"), "system.name", read_only=True, width=36),
        Column(_("类别"), "kind", "choice", required=True, choices=ExpiringItemKind.choices),
        Column(_("名称"), "name", required=True, width=30),
        Column(_("数量"), "quantity", "int", width=8),
        Column(_("到期日"), "expires_on", "date", width=12),
        Column(_("更换周期（月）"), "replace_every_months", "int", width=10),
        Column(_("上次更换"), "last_replaced_on", "date", width=12),
        Column(_("提前续期（月）"), "renew_lead_months", "int", width=10),
        Column(_("到期前安装（天）"), "install_window_days", "int", width=10),
        Column(_("签发/供应方"), "issuer", width=20),
        Column(_("备注"), "note", width=30),
        Column(_("应办日期"), "due_on", "date", read_only=True, width=12),
        Column(_("续期提醒自"), "renew_from", "date", read_only=True, width=12),
        Column(_("安装窗口自"), "install_from", "date", read_only=True, width=12),
    ])


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def export_inventory(user, params: dict) -> bytes:
    return write_workbook([(software_sheet(), selectors.software(user, params))])


def export_findings(user, params: dict) -> bytes:
    rows = list(selectors.findings(user, params))
    for finding in rows:
        finding.found_at_text, finding.due_at_text = _local(finding.found_at), _local(finding.due_at)
    return write_workbook([(findings_sheet(), rows)])


def export_items(user, params: dict) -> bytes:
    return write_workbook([(items_sheet(), selectors.expiring_items(user, params))])


def _systems(user) -> dict[int, System]:
    return {s.row_no: s for s in scoped(System.objects.exclude(row_no=None), user)}


def _system_cell(systems, sheet, number, record, problems) -> System | None:
    row_no = record.get("system.row_no")
    if row_no is None:
        return None
    system = systems.get(row_no)
    if system is None:
        reason = _("没有序号为 %(n)s 的系统（或无权访问）") % {"n": row_no}
        problems.append(Problem(sheet, number, _("系统序号"), reason))
    return system


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(" ".join(v) for v in error.message_dict.values())
    return "；".join(error.messages)


def import_inventory(user, content: bytes) -> int:
    require(user, "security.inventory")
    spec, problems = software_sheet(), []
    rows = spec.read(open_workbook(content), problems)
    systems, plan = _systems(user), []
    for number, record in rows:
        system = _system_cell(systems, spec.title, number, record, problems)
        if system is not None:
            plan.append((number, system, record))
    if problems:
        raise WorkbookInvalid(problems)
    with transaction.atomic():
        for number, system, record in plan:
            try:
                inventory.save_software(user, system, kind=record["kind"], name=record["name"],
                                        version=record.get("version", ""), note=record.get("note", ""))
            except ValidationError as error:
                problems.append(Problem(spec.title, number, None, _messages(error)))
        if problems:
            transaction.set_rollback(True)
            raise WorkbookInvalid(problems)
    return len(plan)


def _moment(text: str) -> dt.datetime:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text.strip(), pattern))
        except ValueError:
            continue
    raise ValueError(_("“%(value)s”不是时间（应为 2026-01-31 09:30）") % {"value": text})


def import_findings(user, content: bytes) -> int:
    require(user, "security.record_findings")
    spec, problems = findings_sheet(), []
    rows = spec.read(open_workbook(content), problems)
    systems, plan = _systems(user), []
    for number, record in rows:
        system = _system_cell(systems, spec.title, number, record, problems)
        found_at = None
        raw = record.get("found_at_text")
        if raw:
            try:
                found_at = _moment(str(raw))
            except ValueError as error:
                problems.append(Problem(spec.title, number, _("发现时间"), str(error)))
        if record.get("limit_value") is not None and record["limit_value"] < 1:
            problems.append(Problem(spec.title, number, _("整改时限"), _("应为正整数")))
        if system is not None and found_at is not None:
            plan.append((number, system, found_at, record))
    if problems:
        raise WorkbookInvalid(problems)
    with transaction.atomic():
        for number, system, found_at, record in plan:
            try:
                services.record_finding(user, system, title=record["title"], severity=record["severity"],
                                        source=record["source"], found_at=found_at,
                                        description=record.get("description", ""),
                                        limit_value=record["limit_value"], limit_unit=record["limit_unit"])
            except ValidationError as error:
                problems.append(Problem(spec.title, number, None, _messages(error)))
        if problems:
            transaction.set_rollback(True)
            raise WorkbookInvalid(problems)
    return len(plan)


def import_items(user, content: bytes) -> int:
    """Create or update expiring items (one per system and name) from the sheet; all or nothing. The
    reminders of an item already inside its lead time are written at once (obligations.save_item)."""
    from . import obligations
    from .models import ExpiringItem

    require(user, "security.obligations")
    spec, problems = items_sheet(), []
    rows = spec.read(open_workbook(content), problems)
    systems, plan = _systems(user), []
    for number, record in rows:
        system = _system_cell(systems, spec.title, number, record, problems)
        for field in ("quantity", "replace_every_months", "renew_lead_months", "install_window_days"):
            if record.get(field) is not None and record[field] < 0:
                problems.append(Problem(spec.title, number, ITEM_COLUMNS[field], _("不能为负")))
        if system is not None:
            plan.append((number, system, record))
    if problems:
        raise WorkbookInvalid(problems)
    with transaction.atomic():
        for number, system, record in plan:
            fields = {field: record.get(field) for field in ITEM_COLUMNS}
            fields = {k: v for k, v in fields.items() if v is not None}
            fields.setdefault("issuer", ""), fields.setdefault("note", "")
            item = ExpiringItem.objects.filter(system=system, name=record["name"], retired=False).first()
            try:
                obligations.save_item(user, system, item, **fields)
            except ValidationError as error:
                for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
                    problems.append(Problem(spec.title, number, ITEM_COLUMNS.get(field), "；".join(messages)))
        if problems:
            transaction.set_rollback(True)
            raise WorkbookInvalid(problems)
    return len(plan)
