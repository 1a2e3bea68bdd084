"""Accounts in Excel: the register out, and new accounts in — all or nothing, every bad cell reported with
its row and column (tongyun.core.excel)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.audit.choices import EventKind
from tongyun.audit.services import record_event
from tongyun.core.excel import Column, Problem, SheetSpec, WorkbookInvalid, open_workbook, write_workbook
from tongyun.core.permissions import require

from .accounts import assignable_organisations, assignable_roles
from .choices import ROLE_ORGANISATION_KIND, Role
from .models import User

SHEET = "账号"


def _columns(roles) -> list[Column]:
    return [
        Column(_("用户名"), "username", required=True, width=18),
        Column(_("姓名"), "full_name", width=14),
        Column(_("角色"), "role", kind="choice", required=True, choices=[(r.value, r.label) for r in roles], width=18),
        Column(_("所属单位"), "organisation.name", required=True, width=30),
        Column(_("手机"), "phone", width=16),
        Column(_("邮箱"), "email", width=24),
        Column(_("初始密码"), "password", width=18),
        Column(_("状态"), "is_active", kind="bool", read_only=True, width=8),
        Column(_("最近登录"), "last_login", read_only=True, width=20),
    ]


class _Row:
    """An account as the sheet shows it (no password, local time)."""

    def __init__(self, user: User):
        self.username, self.full_name, self.role = user.username, user.full_name, user.role
        self.organisation, self.phone, self.email = user.organisation, user.phone, user.email
        self.is_active, self.password = user.is_active, None
        self.last_login = timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M") if user.last_login else None


def accounts_workbook(manager, accounts) -> bytes:
    spec = SheetSpec(SHEET, _columns(list(Role)))
    return write_workbook([(spec, [_Row(user) for user in accounts])])


def accounts_template(manager) -> bytes:
    return write_workbook([(SheetSpec(SHEET, _columns(assignable_roles(manager))), [])])


@transaction.atomic
def accounts_import(request, manager, content: bytes) -> int:
    """Create the accounts of the sheet (each must change its password at the first login)."""
    require(manager, "accounts.manage")
    roles = assignable_roles(manager)
    spec = SheetSpec(SHEET, _columns(list(Role)))
    problems: list[Problem] = []
    rows = spec.read(open_workbook(content), problems)
    organisations = {o.name: o for o in assignable_organisations(manager)}
    existing = {u.lower() for u in User.objects.values_list("username", flat=True)}
    seen: set[str] = set()
    users = []
    for number, record in rows:
        def problem(column, reason, number=number):
            problems.append(Problem(SHEET, number, str(column), str(reason)))

        username = record.get("username") or ""
        if username and (username.lower() in existing or username.lower() in seen):
            problem(_("用户名"), _("用户名“%(u)s”已存在") % {"u": username})
        seen.add(username.lower())
        role = record.get("role")
        if role and role not in roles:
            problem(_("角色"), _("您不能设置“%(role)s”角色") % {"role": Role(role).label})
        organisation = organisations.get(record.get("organisation.name") or "")
        if record.get("organisation.name") and organisation is None:
            problem(_("所属单位"), _("“%(name)s”不是您可管理的单位") % {"name": record["organisation.name"]})
        elif organisation is not None and role and organisation.kind != ROLE_ORGANISATION_KIND[Role(role)]:
            problem(_("所属单位"), _("角色“%(role)s”不属于该单位") % {"role": Role(role).label})
        if record.get("email"):
            try:
                validate_email(record["email"])
            except ValidationError:
                problem(_("邮箱"), _("“%(v)s”不是有效的邮箱") % {"v": record["email"]})
        user = User(username=username, full_name=record.get("full_name") or "", role=role or "",
                    organisation=organisation, phone=str(record.get("phone") or ""), email=record.get("email") or "")
        try:
            user.clean_fields(exclude=["password", "organisation", "role", "email"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problem(str(User._meta.get_field(field).verbose_name), "；".join(messages))
        password = str(record.get("password") or "")
        if not password:
            problem(_("初始密码"), _("必填"))
        else:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                problem(_("初始密码"), "；".join(error.messages))
        user.set_password(password)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        users.append(user)
    if problems:
        raise WorkbookInvalid(problems)
    for user in users:
        user.save()  # one by one, so that each new account is in the audit trail
    record_event(EventKind.ACCOUNTS_IMPORTED, request=request, actor=manager,
                 detail=_("导入 %(n)s 个账号：%(names)s") % {"n": len(users),
                                                          "names": "、".join(u.username for u in users)})
    return len(users)
