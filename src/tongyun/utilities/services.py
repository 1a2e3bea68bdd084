"""Writes of 供电与通信: supply points, monthly electricity bills (recorded by the contractor, checked by the
unit through the sign-off flow), Excel import of bills, and the links of the tender."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.catalog.models import System
from tongyun.core import excel
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.parties.choices import Role
from tongyun.signoffs import flows
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.choices import Party

from .models import ElectricityBill, NetworkLink, SupplyPoint
from .tender_links import TENDER_LINKS

BILL_CHECK = "utilities.bill_check"
BILL_CHECK_FLOW = flows.FlowType(
    key=BILL_CHECK, label=gettext_lazy("电费账单核对"), allows_reject=True,
    steps=[flows.Step(Party.UNIT, roles=frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF}),
                      label=gettext_lazy("用户单位核对"))],
)
MAX_AMOUNT = Decimal("10000000")


def seed_tender_links() -> int:
    """The links of the service demand table (OT-04); idempotent, keeps what was edited since."""
    systems = {s.row_no: s for s in System.objects.filter(row_no__in={row for row, *_ in TENDER_LINKS})}
    created = 0
    for row, kind, count, name, bandwidth, paid, line, text in TENDER_LINKS:
        system = systems.get(row)
        if system is None:
            continue
        _link, new = NetworkLink.objects.get_or_create(
            system=system, kind=kind, source_line=line, name=name,
            defaults={"count": count, "bandwidth": bandwidth, "paid_by_contractor": paid, "source_text": text})
        created += new
    return created


def _system(user, system_id) -> System:
    system = scoped(System.objects.filter(pk=system_id), user).first()
    if system is None:
        raise Http404
    return system


def create_supply_point(user, *, system_id: int, name: str, account_number: str, **fields) -> SupplyPoint:
    system = _system(user, system_id)  # another unit's system is a 404 before any role check
    require(user, "utilities.edit")
    if SupplyPoint.objects.filter(account_number=account_number).exists():
        raise ValidationError({"account_number": _("户号“%(n)s”已登记") % {"n": account_number}})
    with set_actor(user):
        return SupplyPoint.objects.create(system=system, name=name, account_number=account_number, **fields)


def _check_bill(kwh: Decimal, amount: Decimal, month: dt.date) -> dict:
    problems = {}
    if kwh is None or kwh < 0:
        problems["kwh"] = _("用电量不能为负数")
    if amount is None or amount < 0 or amount > MAX_AMOUNT:
        problems["amount"] = _("金额应在 0 到 10,000,000 元之间")
    if not 2020 <= month.year <= 2035:
        problems["month"] = _("账期应在 2020 年至 2035 年之间")
    return problems


def record_bill(user, supply_point: SupplyPoint, *, month: dt.date, kwh: Decimal, amount: Decimal,
                paid_on: dt.date | None = None, note: str = "", scan=None) -> ElectricityBill:
    """Enter a month's bill; the unit is asked to check it (sign-off)."""
    if not scoped(SupplyPoint.objects.filter(pk=supply_point.pk), user).exists():
        raise Http404
    require(user, "utilities.edit")
    month = month.replace(day=1)
    if problems := _check_bill(kwh, amount, month):
        raise ValidationError(problems)
    if ElectricityBill.objects.filter(supply_point=supply_point, month=month).exists():
        raise ValidationError({"month": _("%(month)s 的账单已登记") % {"month": f"{month:%Y-%m}"}})
    with transaction.atomic(), set_actor(user):
        bill = ElectricityBill.objects.create(supply_point=supply_point, month=month, kwh=kwh, amount=amount,
                                              paid_on=paid_on, note=note, recorded_by=user, scan=scan or "")
        _ask_unit_to_check(user, bill)
    return bill


def _ask_unit_to_check(user, bill: ElectricityBill) -> None:
    system = bill.supply_point.system
    signoffs.start(user, bill, BILL_CHECK, system=system,
                   title=_("电费账单 %(point)s %(month)s：%(amount)s 元") %
                   {"point": bill.supply_point.name, "month": f"{bill.month:%Y-%m}", "amount": bill.amount})


def correct_bill(user, bill: ElectricityBill, *, kwh: Decimal, amount: Decimal, note: str = "") -> ElectricityBill:
    """A bill the unit rejected is corrected and checked again (a new sign-off version)."""
    require(user, "utilities.edit")
    from tongyun.signoffs.selectors import signoff_for

    current = signoff_for(bill, BILL_CHECK)
    if current is not None and current.state != "rejected":
        raise ValidationError({"amount": _("只有被用户单位退回的账单可以更正")})
    if problems := _check_bill(kwh, amount, bill.month):
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(user):
        bill.kwh, bill.amount, bill.note = kwh, amount, note or bill.note
        bill.save(update_fields=["kwh", "amount", "note"])
        _ask_unit_to_check(user, bill)
    return bill


def bill_sheet() -> excel.SheetSpec:
    return excel.SheetSpec(_("电费账单"), [
        excel.Column(_("户号"), "account_number", required=True, width=18),
        excel.Column(_("账期"), "month_text", required=True, width=10),
        excel.Column(_("用电量（kWh）"), "kwh", kind="decimal", required=True),
        excel.Column(_("金额（元）"), "amount", kind="decimal", required=True),
        excel.Column(_("缴费日期"), "paid_on", kind="date"),
        excel.Column(_("备注"), "note", width=30),
    ])


def _month_of(text) -> dt.date:
    value = str(text).strip().replace("/", "-").replace("年", "-").replace("月", "")
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValueError(_("“%(value)s”不是账期（应为 2026-03）") % {"value": text}) from None


def import_bills(user, content: bytes) -> int:
    """All bills of the workbook, or none: every bad cell is reported with its row and column."""
    require(user, "utilities.edit")
    workbook = excel.open_workbook(content)
    problems: list[excel.Problem] = []
    spec = bill_sheet()
    rows = spec.read(workbook, problems)
    sheet = str(spec.title)
    points = {p.account_number: p for p in scoped(SupplyPoint.objects.select_related("system"), user)}
    seen: set[tuple[str, dt.date]] = set()
    ready = []
    for number, record in rows:
        point = points.get(record.get("account_number", ""))
        if record.get("account_number") and point is None:
            problems.append(excel.Problem(sheet, number, str(_("户号")), _("未登记的户号“%(n)s”") %
                                          {"n": record["account_number"]}))
        try:
            month = _month_of(record["month_text"]) if record.get("month_text") else None
        except ValueError as error:
            problems.append(excel.Problem(sheet, number, str(_("账期")), str(error)))
            month = None
        if point is None or month is None or "kwh" not in record or "amount" not in record:
            continue
        for field, reason in _check_bill(record["kwh"], record["amount"], month).items():
            column = {"kwh": _("用电量（kWh）"), "amount": _("金额（元）"), "month": _("账期")}[field]
            problems.append(excel.Problem(sheet, number, str(column), reason))
        key = (point.account_number, month)
        if key in seen or ElectricityBill.objects.filter(supply_point=point, month=month).exists():
            problems.append(excel.Problem(sheet, number, str(_("账期")), _("%(month)s 的账单重复") %
                                          {"month": f"{month:%Y-%m}"}))
        seen.add(key)
        ready.append((point, month, record))
    if problems:
        raise excel.WorkbookInvalid(problems)
    with transaction.atomic():
        for point, month, record in ready:
            record_bill(user, point, month=month, kwh=record["kwh"], amount=record["amount"],
                        paid_on=record.get("paid_on"), note=record.get("note", ""))
    return len(ready)


def bill_template() -> bytes:
    return excel.write_workbook([(bill_sheet(), [])])
