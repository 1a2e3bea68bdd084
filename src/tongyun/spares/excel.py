"""Workbook layouts of the spare-parts registers (items, stock ledger, removed devices, repairs).

Headers stay Chinese in every UI language so a file exported in English imports again (like catalog/excel.py)."""


from tongyun.core.excel import Column, SheetSpec

from .choices import DisposalState, EntryKind

ITEM_SHEET = SheetSpec("备品备件", [
    Column("系统序号", "system_row", "int", required=True, width=8),
    Column("系统", "system.name", read_only=True, width=30),
    Column("名称", "name", required=True, width=20),
    Column("型号", "model", width=16),
    Column("参数要求", "spec", width=40),
    Column("单位", "unit", width=6),
    Column("单价（元）", "unit_price", "decimal", width=12),
    Column("年度", "cap_year", "int", width=8),
    Column("数量上限", "cap", "int", width=10),
    Column("最低库存", "minimum_stock", "int", width=10),
    Column("来源", "source", width=30),
])

STOCK_SHEET = SheetSpec("库存", [
    Column("系统", "system", read_only=True, width=30),
    Column("名称", "name", read_only=True, width=20),
    Column("型号", "model", read_only=True),
    Column("库存", "stock", "int", read_only=True, width=8),
    Column("最低库存", "minimum_stock", "int", read_only=True, width=10),
    Column("数量上限", "cap", "int", read_only=True, width=10),
    Column("已用", "used", "int", read_only=True, width=8),
    Column("剩余", "remaining", "int", read_only=True, width=8),
    Column("单价（元）", "unit_price", "decimal", read_only=True, width=12),
    Column("已用金额（元）", "used_value", "decimal", read_only=True, width=14),
])

LEDGER_SHEET = SheetSpec("库存流水", [
    Column("时间", "at_local", read_only=True, width=18),
    Column("系统", "item.system.name", read_only=True, width=30),
    Column("备件", "item.name", read_only=True, width=20),
    Column("型号", "item.model", read_only=True),
    Column("库房", "warehouse.name", read_only=True, width=20),
    Column("类型", "kind", "choice", choices=EntryKind.choices, read_only=True),
    Column("数量", "quantity", "int", read_only=True, width=8),
    Column("结存", "balance", "int", read_only=True, width=8),
    Column("经办人", "actor.username", read_only=True),
    Column("说明", "note", read_only=True, width=30),
])

REMOVED_SHEET = SheetSpec("拆除设备台账", [
    Column("拆除时间", "removed_local", read_only=True, width=18),
    Column("系统", "system.name", read_only=True, width=30),
    Column("设备名称", "device_name", read_only=True, width=20),
    Column("原型号", "old_model", read_only=True),
    Column("原序列号", "old_serial", read_only=True),
    Column("拆除原因", "removal_reason", read_only=True, width=30),
    Column("位置", "location", read_only=True, width=20),
    Column("使用年限", "years_in_use", "decimal", read_only=True, width=8),
    Column("故障工单", "incident_number", read_only=True),
    Column("旧件存放处", "kept_at", read_only=True, width=20),
    Column("处置", "disposal", "choice", choices=DisposalState.choices, read_only=True),
])

REPAIR_SHEET = SheetSpec("备品备件维修记录", [
    Column("维修日期", "repaired_on", "date", read_only=True, width=12),
    Column("系统", "system.name", read_only=True, width=30),
    Column("维修部件", "part", read_only=True, width=20),
    Column("故障情况", "fault", read_only=True, width=30),
    Column("维修措施", "action", read_only=True, width=30),
    Column("维修人", "repaired_by.username", read_only=True),
])
