"""Excel in and out: the staff list (import with row-level errors) and the duty roster given to units."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tongyun.core.excel import Column, Problem, SheetSpec, WorkbookInvalid, open_workbook, write_workbook
from tongyun.core.permissions import require
from tongyun.parties.models import User

from . import services
from .choices import Post
from .models import StaffMember

STAFF_SHEET_TITLE = "服务商人员"


def staff_sheet(with_personal: bool) -> SheetSpec:
    columns = [
        Column(str(_lazy("姓名")), "name", required=True),
        Column(str(_lazy("账号")), "account", width=16),
        Column(str(_lazy("本单位社保月数")), "social_insurance_months", kind="int"),
        Column(str(_lazy("岗位")), "post", kind="choice", choices=list(Post.choices), width=18),
        Column(str(_lazy("岗位起始日期")), "post_start", kind="date"),
    ]
    if with_personal:
        columns[1:1] = [Column(str(_lazy("手机")), "phone"), Column(str(_lazy("身份证号")), "id_number", width=22)]
    return SheetSpec(STAFF_SHEET_TITLE, columns)


class _Row:
    def __init__(self, person: StaffMember, with_personal: bool):
        self.name = person.name
        self.account = person.user.username if person.user_id else ""
        self.social_insurance_months = person.social_insurance_months
        current = [h for h in person.holdings.all() if h.end is None]
        self.post = current[0].post if current else None
        self.post_start = current[0].start if current else None
        if with_personal:
            self.phone, self.id_number = person.phone, person.id_number


def export_staff(people, with_personal: bool) -> bytes:
    return write_workbook([(staff_sheet(with_personal), [_Row(p, with_personal) for p in people])])


def import_staff(user, content: bytes) -> int:
    """Create the people of the workbook (with their post). Every bad cell or refused row is a Problem;
    any problem and nothing is changed."""
    require(user, "staffing.manage")
    workbook = open_workbook(content)
    problems: list[Problem] = []
    spec = staff_sheet(True)
    rows = spec.read(workbook, problems)
    if problems:
        raise WorkbookInvalid(problems)
    created = 0
    with transaction.atomic():
        for number, record in rows:
            account = None
            if record.get("account"):
                account = User.objects.filter(username=record["account"]).first()
                if account is None:
                    problems.append(Problem(STAFF_SHEET_TITLE, number, str(_("账号")),
                                            _("账号“%(name)s”不存在") % {"name": record["account"]}))
                    continue
                if StaffMember.objects.filter(user=account).exists():
                    problems.append(Problem(STAFF_SHEET_TITLE, number, str(_("账号")),
                                            _("账号“%(name)s”已关联其他人员") % {"name": record["account"]}))
                    continue
            if record.get("post") and not record.get("post_start"):
                problems.append(Problem(STAFF_SHEET_TITLE, number, str(_("岗位起始日期")), _("填写岗位时必填")))
                continue
            person = services.create_staff(user, name=record["name"], phone=record.get("phone", ""),
                                           id_number=record.get("id_number", ""), account=account,
                                           social_insurance_months=record.get("social_insurance_months") or 0)
            created += 1
            if record.get("post"):
                try:
                    services.assign_post(user, person, record["post"], start=record["post_start"])
                except ValidationError as error:
                    messages = error.message_dict.get("post", error.messages)
                    problems.append(Problem(STAFF_SHEET_TITLE, number, str(_("岗位")), "；".join(messages)))
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise WorkbookInvalid(problems)
    return created


ROSTER_SHEET = SheetSpec("值班表", [
    Column("系统", "system", read_only=True, width=30),
    Column("值班表", "roster", read_only=True, width=16),
    Column("开始", "start", read_only=True, width=18),
    Column("结束", "end", read_only=True, width=18),
    Column("值班人员", "person", read_only=True),
    Column("联系电话", "phone", read_only=True, width=16),
])


class _Duty:
    def __init__(self, roster, slot, tz):
        self.system = roster.system.name
        self.roster = roster.name
        self.start = slot["start"].astimezone(tz).strftime("%Y-%m-%d %H:%M")
        self.end = slot["end"].astimezone(tz).strftime("%Y-%m-%d %H:%M")
        self.person = slot["person"].name if slot["person"] else "—"
        self.phone = slot["person"].phone if slot["person"] else ""


def export_rosters(entries: list[tuple], tz: dt.tzinfo) -> bytes:
    """`entries`: (roster, slots) — the duty given to the unit with the engineers' phones (DP-12)."""
    return write_workbook([(ROSTER_SHEET, [_Duty(r, s, tz) for r, slots in entries for s in slots])])
