"""Demo accounts: one per role, and one unit admin for every user unit, so every party can be tried.

They share one published password, so they exist only in demo mode (`tongyun bootstrap`, what
scripts/start.sh runs); `tongyun bootstrap --production` creates none and sets up one system administrator
with a password of the operator's choosing (tongyun.core.management.commands.bootstrap).

Unit admins are named unit01, unit02 … in the order the units first appear in the tender table
(unit01 = the unit of row 1); `tongyun bootstrap` prints the list.
"""

import functools
import os

from auditlog.context import disable_auditlog
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Min

from tongyun.catalog.models import Assignment, System
from tongyun.parties.choices import OrganisationKind, Role
from tongyun.parties.models import Organisation, User
from tongyun.parties.services import organisation_get_or_create, user_create

DEFAULT_DEMO_PASSWORD = "tongyun-demo-2026"

BUREAU_NAME = "北京市顺义区经济和信息化局"
CONTRACTOR_NAME = "运维服务商（中标单位）"
SUPERVISOR_NAME = "监理单位"

# (username, role, organisation kind, full name): people's names, so that pages showing a name and a
# role do not read "运维工程师 · 运维工程师"; the 三员 accounts are named after their office
PARTY_ACCOUNTS = [
    ("bureau_admin", Role.BUREAU_ADMIN, OrganisationKind.BUREAU, "李建华"),
    ("bureau_staff", Role.BUREAU_STAFF, OrganisationKind.BUREAU, "赵晓敏"),
    ("pm", Role.PROJECT_MANAGER, OrganisationKind.CONTRACTOR, "陈志强"),
    ("dispatcher", Role.DISPATCHER, OrganisationKind.CONTRACTOR, "刘洋"),
    ("engineer", Role.ENGINEER, OrganisationKind.CONTRACTOR, "王磊"),
    ("onsite", Role.ONSITE_STAFF, OrganisationKind.CONTRACTOR, "张伟"),
    ("electrician", Role.ELECTRICIAN, OrganisationKind.CONTRACTOR, "孙涛"),
    ("security", Role.SECURITY_OFFICER, OrganisationKind.CONTRACTOR, "周静"),
    ("dataquality", Role.DATA_QUALITY_OFFICER, OrganisationKind.CONTRACTOR, "吴芳"),
    ("supervisor", Role.SUPERVISOR, OrganisationKind.SUPERVISOR, "郑刚"),
    # 三员: the platform's system, security and audit administrators
    ("sysadmin", Role.SYSTEM_ADMIN, OrganisationKind.BUREAU, "系统管理员"),
    ("secadmin", Role.SECURITY_ADMIN, OrganisationKind.BUREAU, "安全管理员"),
    ("auditadmin", Role.AUDIT_ADMIN, OrganisationKind.BUREAU, "审计管理员"),
]
# (username, role, user unit name, full name)
UNIT_ACCOUNTS = [
    ("unit_admin", Role.UNIT_ADMIN, "区经信局", "钱丽"),
    ("unit_staff", Role.UNIT_STAFF, "区经信局", "冯雪"),
    ("unit_admin_police", Role.UNIT_ADMIN, "公安局顺义分局", "韩冰"),
    ("unit_admin_education", Role.UNIT_ADMIN, "区教委", "杨帆"),
]
ORGANISATION_NAMES = {
    OrganisationKind.BUREAU: BUREAU_NAME,
    OrganisationKind.CONTRACTOR: CONTRACTOR_NAME,
    OrganisationKind.SUPERVISOR: SUPERVISOR_NAME,
}
# Field staff see only what they are assigned to: give each a few real systems.
FIELD_ASSIGNMENTS = {"engineer": "区经信局", "onsite": "公安局顺义分局", "electrician": "区教委"}


def demo_password() -> str:
    return os.environ.get("TONGYUN_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def units_in_tender_order() -> list[tuple[str, Organisation]]:
    """(username, unit) of the per-unit demo admins: unit01 … in order of first appearance."""
    units = (
        Organisation.objects.filter(kind=OrganisationKind.UNIT)
        .annotate(first_row=Min("systems__row_no"))
        .order_by(F("first_row").asc(nulls_last=True), "name")
    )
    return [(f"unit{number:02d}", unit) for number, unit in enumerate(units, start=1)]


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role label, organisation) for every demo account that exists."""
    names = [a[0] for a in PARTY_ACCOUNTS] + [a[0] for a in UNIT_ACCOUNTS]
    names += [username for username, _unit in units_in_tender_order()]
    users = {u.username: u for u in User.objects.filter(username__in=names).select_related("organisation")}
    return [(n, users[n].get_role_display(), users[n].organisation.name) for n in names if n in users]


@transaction.atomic
def ensure_demo_accounts() -> int:
    """Create the demo accounts that are missing; return how many were created. Idempotent."""
    # hashed once, and only when an account is missing: every demo account has the same password
    password_hash = functools.cache(lambda: make_password(demo_password()))

    created = 0
    with disable_auditlog():
        for username, role, kind, full_name in PARTY_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            organisation = organisation_get_or_create(kind, ORGANISATION_NAMES[kind])
            user_create(username=username, role=role, organisation=organisation, password_hash=password_hash(),
                        full_name=full_name)
            created += 1
        for username, role, unit_name, full_name in UNIT_ACCOUNTS:
            unit = Organisation.objects.filter(kind=OrganisationKind.UNIT, name=unit_name).first()
            if unit is None or User.objects.filter(username=username).exists():
                continue
            user_create(username=username, role=role, organisation=unit, password_hash=password_hash(),
                        full_name=full_name)
            created += 1
        for username, unit in units_in_tender_order():
            if not User.objects.filter(username=username).exists():
                user_create(username=username, role=Role.UNIT_ADMIN, organisation=unit, password_hash=password_hash(),
                            full_name=f"{unit.name}管理员")
                created += 1
        for username, unit_name in FIELD_ASSIGNMENTS.items():
            user = User.objects.filter(username=username).first()
            if user is None or user.assignments.exists():
                continue
            for system in System.objects.filter(unit__name=unit_name)[:5]:
                Assignment.objects.get_or_create(system=system, user=user)
    return created


@transaction.atomic
def ensure_production_admin(username: str, password: str) -> bool:
    """The first system administrator of a production install (password checked against the rules);
    returns False when the account already exists (its password is then left alone)."""
    from django.contrib.auth import password_validation

    if User.objects.filter(username=username).exists():
        return False
    bureau = organisation_get_or_create(OrganisationKind.BUREAU, BUREAU_NAME)
    candidate = User(username=username, role=Role.SYSTEM_ADMIN, organisation=bureau)
    password_validation.validate_password(password, candidate)
    user_create(username=username, role=Role.SYSTEM_ADMIN, organisation=bureau, password=password,
                full_name="系统管理员")
    return True
