"""The catalog workbook: sheets 系统, SLA条款, 设备 (export and import share these specs)."""

from tongyun.core.excel import Column, SheetSpec, write_workbook
from tongyun.core.scoping import scoped

from .choices import Category, DeploymentKind, Severity, SystemStatus, TermPeriod, TimeUnit
from .models import Device, SlaTerm

UNITS = TimeUnit.choices


def _target(prefix: str, label: str) -> list[Column]:
    return [
        Column(label, f"{prefix}_value", "decimal", width=10),
        Column(f"{label}单位", f"{prefix}_unit", "choice", choices=UNITS, width=10),
    ]


SYSTEM_SHEET = SheetSpec("系统", [
    Column("ID", "id", "int", width=8),
    Column("序号", "row_no", "int", width=6),
    Column("用户单位", "unit.name", "text", required=True, width=18),
    Column("系统名称", "name", "text", required=True, width=30),
    Column("类别", "category", "choice", required=True, choices=Category.choices),
    Column("部署情况", "deployment", "text"),
    Column("部署类型", "deployment_kind", "choice", required=True, choices=DeploymentKind.choices),
    Column("服务方式", "service_mode", "text"),
    Column("驻场人员要求", "onsite_staff_text", "text"),
    Column("驻场人数", "onsite_staff_count", "int", width=8),
    Column("服务开始", "service_start", "date", width=12),
    Column("服务结束", "service_end", "date", width=12),
    Column("状态", "status", "choice", required=True, choices=SystemStatus.choices, width=10),
    Column("等保级别", "mlps_level", "int", width=8),
    Column("等保测评", "mlps_text", "text", width=20),
    Column("上次测评年份", "mlps_last_assessment_year", "int", width=10),
    Column("本年度需测评", "mlps_due_this_year", "bool", width=10),
    Column("有值班要求", "duty_required", "bool", width=10),
    Column("值班要求", "duty_text", "text", width=20),
    Column("有重保要求", "major_event_required", "bool", width=10),
    Column("重保要求", "major_event_text", "text", width=20),
    Column("巡检要求", "inspection_text", "text", width=30),
    Column("系统简介", "description", "text", width=40),
    Column("配套硬件", "hardware_text", "text", width=30),
    Column("运维工作内容", "work_content", "text", width=40),
    Column("服务保障要求", "sla_text", "text", width=40),
])

SLA_SHEET = SheetSpec("SLA条款", [
    Column("ID", "id", "int", width=8),
    Column("系统ID", "system_id", "int", required=True, width=8),
    Column("系统名称", "system.name", "text", read_only=True, width=30),
    Column("等级代码", "tier_key", "text", required=True, width=12),
    Column("故障等级", "severity", "choice", required=True, choices=Severity.choices, width=10),
    Column("等级名称", "tier_label", "text"),
    Column("等级定义", "definition", "text", width=30),
    *_target("response", "响应时限"),
    *_target("arrival", "到场时限"),
    *_target("repair", "修复时限"),
    *_target("restore", "应急恢复时限"),
    Column("修复时限自到场起算", "repair_from_arrival", "bool", width=10),
    Column("适用时段", "applies_when", "choice", choices=TermPeriod.choices, width=12),
    Column("原文", "text", "text", width=40),
    Column("备注", "notes", "text", width=20),
])

DEVICE_SHEET = SheetSpec("设备", [
    Column("ID", "id", "int", width=8),
    Column("系统ID", "system_id", "int", required=True, width=8),
    Column("系统名称", "system.name", "text", read_only=True, width=30),
    Column("设备类型", "kind", "text", required=True),
    Column("型号", "model", "text"),
    Column("名称/编号", "name", "text"),
    Column("序列号", "serial_number", "text"),
    Column("数量", "quantity", "int", required=True, width=8),
    Column("位置", "location", "text", width=20),
    Column("IP 地址", "ip_address", "text"),
    Column("质保截止", "warranty_until", "date", width=12),
])


def export_catalog_workbook(user, systems) -> bytes:
    """The systems given (already scoped and filtered) with their SLA terms and devices."""
    system_ids = systems.values("id")
    terms = scoped(SlaTerm.objects.filter(system_id__in=system_ids).select_related("system"), user)
    devices = scoped(Device.objects.filter(system_id__in=system_ids).select_related("system"), user)
    return write_workbook([
        (SYSTEM_SHEET, systems.order_by("row_no", "id").iterator(chunk_size=2000)),
        (SLA_SHEET, terms.order_by("system__row_no", "system_id", "position").iterator(chunk_size=2000)),
        (DEVICE_SHEET, devices.order_by("id").iterator(chunk_size=2000)),
    ])
