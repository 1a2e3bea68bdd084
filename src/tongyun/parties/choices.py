"""Parties of the contract and the roles people hold in it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("采购方（甲方）")
    UNIT = "unit", _("用户单位")
    CONTRACTOR = "contractor", _("运维服务商（乙方）")
    SUPERVISOR = "supervisor", _("监理单位")


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("甲方管理员")
    BUREAU_STAFF = "bureau_staff", _("甲方工作人员")
    UNIT_ADMIN = "unit_admin", _("用户单位管理员")
    UNIT_STAFF = "unit_staff", _("用户单位工作人员")
    PROJECT_MANAGER = "project_manager", _("项目经理")
    DISPATCHER = "dispatcher", _("总指挥调度")
    ENGINEER = "engineer", _("运维工程师")
    ONSITE_STAFF = "onsite_staff", _("驻场人员")
    ELECTRICIAN = "electrician", _("电工")
    SECURITY_OFFICER = "security_officer", _("信息安全管理员")
    DATA_QUALITY_OFFICER = "data_quality_officer", _("数据质量管理专员")
    SUPERVISOR = "supervisor", _("监理")
    # 三员分立 (GB/T 22239 level 3): three administrators of the platform itself, each a role of its own —
    # an account has one role, so no account holds two of them.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# Which kind of organisation each role belongs to; a user's role must match their organisation.
ROLE_ORGANISATION_KIND = {
    Role.BUREAU_ADMIN: OrganisationKind.BUREAU,
    Role.BUREAU_STAFF: OrganisationKind.BUREAU,
    Role.UNIT_ADMIN: OrganisationKind.UNIT,
    Role.UNIT_STAFF: OrganisationKind.UNIT,
    Role.PROJECT_MANAGER: OrganisationKind.CONTRACTOR,
    Role.DISPATCHER: OrganisationKind.CONTRACTOR,
    Role.ENGINEER: OrganisationKind.CONTRACTOR,
    Role.ONSITE_STAFF: OrganisationKind.CONTRACTOR,
    Role.ELECTRICIAN: OrganisationKind.CONTRACTOR,
    Role.SECURITY_OFFICER: OrganisationKind.CONTRACTOR,
    Role.DATA_QUALITY_OFFICER: OrganisationKind.CONTRACTOR,
    Role.SUPERVISOR: OrganisationKind.SUPERVISOR,
    Role.SYSTEM_ADMIN: OrganisationKind.BUREAU,
    Role.SECURITY_ADMIN: OrganisationKind.BUREAU,
    Role.AUDIT_ADMIN: OrganisationKind.BUREAU,
}

# The three separated administrators of the platform (三员).
PLATFORM_ADMINISTRATORS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Administrator roles: a second factor (TOTP) is required of them.
ADMINISTRATOR_ROLES = PLATFORM_ADMINISTRATORS | {Role.BUREAU_ADMIN, Role.UNIT_ADMIN, Role.PROJECT_MANAGER}

# Who manages whose accounts: the organisation kinds an account manager reaches (None: every organisation;
# UNIT: only the manager's own unit) and the roles they may give.
ACCOUNT_MANAGERS = {
    Role.BUREAU_ADMIN: None,
    Role.SYSTEM_ADMIN: None,
    Role.UNIT_ADMIN: OrganisationKind.UNIT,
    Role.PROJECT_MANAGER: OrganisationKind.CONTRACTOR,
}

