"""Excel exports of 供电与通信 (through tongyun.core.excel)."""

from django.utils.translation import gettext as _

from tongyun.core import excel

from .choices import LinkKind


def link_sheet() -> excel.SheetSpec:
    return excel.SheetSpec(_("网络链路"), [
        excel.Column(_("序号"), "system.row_no", kind="int", read_only=True, width=6),
        excel.Column(_("系统"), "system.name", read_only=True, width=30),
        excel.Column(_("类型"), "kind", kind="choice", choices=LinkKind.choices),
        excel.Column(_("名称"), "name", width=28),
        excel.Column(_("数量"), "count", kind="int"),
        excel.Column(_("带宽"), "bandwidth"),
        excel.Column(_("运营商"), "carrier"),
        excel.Column(_("月费（元）"), "monthly_fee", kind="decimal"),
        excel.Column(_("乙方代缴"), "paid_by_contractor", kind="bool"),
        excel.Column(_("招标文件行号"), "source_line", kind="int", read_only=True),
        excel.Column(_("招标原文"), "source_text", read_only=True, width=40),
    ])
def bill_export_sheet() -> excel.SheetSpec:
    return excel.SheetSpec(_("电费账单"), [
        excel.Column(_("系统"), "supply_point.system.name", read_only=True, width=30),
        excel.Column(_("户号"), "supply_point.account_number", width=18),
        excel.Column(_("供电点"), "supply_point.name", read_only=True, width=20),
        excel.Column(_("账期"), "month_text"),
        excel.Column(_("用电量（kWh）"), "kwh", kind="decimal"),
        excel.Column(_("金额（元）"), "amount", kind="decimal"),
        excel.Column(_("缴费日期"), "paid_on", kind="date"),
        excel.Column(_("核对状态"), "check_state", read_only=True),
        excel.Column(_("备注"), "note", width=30),
    ])


def links_workbook(links) -> bytes:
    return excel.write_workbook([(link_sheet(), links)])


def bills_workbook(bills) -> bytes:
    for bill in bills:
        bill.month_text = f"{bill.month:%Y-%m}"
        bill.check_state = bill.check.get_state_display() if bill.check else ""
    return excel.write_workbook([(bill_export_sheet(), bills)])
