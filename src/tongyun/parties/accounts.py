"""Account administration (writes): who manages whose accounts, and the changes they make.

- the bureau admin and the system administrator (三员之系统管理员): every account;
- a unit admin: the accounts of their own unit (unit admin and unit staff);
- the contractor's project manager: the contractor's accounts.
A new account, and an account whose password an administrator reset, must change the password at the
next login. The person's own password change checks the old one. Every change is in the audit trail
(django-auditlog for the account's fields, tongyun.audit events for passwords and imports).
"""

from django.contrib.auth import password_validation, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.audit.choices import EventKind
from tongyun.audit.services import record_event
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped

from .choices import ACCOUNT_MANAGERS, PLATFORM_ADMINISTRATORS, ROLE_ORGANISATION_KIND, OrganisationKind, Role
from .models import Organisation, User
from .security import password_set

EDITABLE_FIELDS = ("full_name", "role", "organisation", "phone", "email")


def manageable_accounts(manager) -> QuerySet[User]:
    """The accounts this person manages; none for others (an account out of reach is a 404, not a 403)."""
    if not can(manager, "accounts.manage"):
        raise Http404
    accounts = User.objects.select_related("organisation")
    if manager.role == Role.SYSTEM_ADMIN:
        # the accounts are the system administrator's own domain; the catalog is not (scoped() gives them
        # no system), so their reach is decided here
        return accounts
    accounts = scoped(accounts, manager)
    kind = ACCOUNT_MANAGERS.get(manager.role)
    if kind == OrganisationKind.UNIT:
        return accounts.filter(organisation_id=manager.organisation_id)
    if kind is not None:
        return accounts.filter(organisation__kind=kind)
    return accounts


def assignable_roles(manager) -> list[Role]:
    kind = ACCOUNT_MANAGERS.get(manager.role, OrganisationKind.UNIT)
    if manager.role not in ACCOUNT_MANAGERS:
        return []
    if kind is None:
        return list(Role)
    return [role for role in Role if ROLE_ORGANISATION_KIND[role] == kind]


def assignable_organisations(manager) -> QuerySet[Organisation]:
    if manager.role not in ACCOUNT_MANAGERS:
        return Organisation.objects.none()
    kind = ACCOUNT_MANAGERS[manager.role]
    if kind is None:
        return Organisation.objects.all()
    if kind == OrganisationKind.UNIT:
        return Organisation.objects.filter(pk=manager.organisation_id)
    return Organisation.objects.filter(kind=kind)


def _check_role_and_organisation(manager, role: str, organisation: Organisation | None) -> None:
    errors = {}
    if role not in assignable_roles(manager):
        errors["role"] = _("您不能设置“%(role)s”角色") % {"role": Role(role).label if role in Role.values else role}
    if organisation is None or not assignable_organisations(manager).filter(pk=organisation.pk).exists():
        errors["organisation"] = _("您不能管理该单位的账号")
    elif role in Role.values and organisation.kind != ROLE_ORGANISATION_KIND[Role(role)]:
        errors["organisation"] = _("角色“%(role)s”须属于%(kind)s") % {
            "role": Role(role).label, "kind": OrganisationKind(ROLE_ORGANISATION_KIND[Role(role)]).label}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def account_create(manager, *, username: str, role: str, organisation: Organisation | None, password: str,
                   full_name: str = "", phone: str = "", email: str = "") -> User:
    require(manager, "accounts.manage")
    _check_role_and_organisation(manager, role, organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已存在") % {"u": username}})
    user = User(username=username, role=role, organisation=organisation, full_name=full_name, phone=phone,
                email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    try:  # the rules read the username, so they run on the unsaved account
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save()
    return user


@transaction.atomic
def account_update(manager, account: User, **changes) -> User:
    if not manageable_accounts(manager).filter(pk=account.pk).exists():
        raise Http404
    role = changes.get("role", account.role)
    organisation = changes.get("organisation", account.organisation)
    if account.pk == manager.pk and (role != account.role or organisation != account.organisation):
        raise ValidationError({"role": _("不能修改自己的角色或所属单位")})
    if role != account.role or organisation != account.organisation:
        _check_role_and_organisation(manager, role, organisation)
    for field in EDITABLE_FIELDS:
        if field in changes:
            setattr(account, field, changes[field])
    if account.role in PLATFORM_ADMINISTRATORS and account.is_superuser:
        raise ValidationError({"role": _("三员账号不能同时是超级用户")})
    account.full_clean(exclude=["password"])
    account.save()
    return account


@transaction.atomic
def account_set_active(manager, account: User, active: bool) -> User:
    if not manageable_accounts(manager).filter(pk=account.pk).exists():
        raise Http404
    if account.pk == manager.pk and not active:
        raise ValidationError({"is_active": _("不能停用自己的账号")})
    account.is_active = active
    account.save(update_fields=["is_active"])
    if not active:  # a disabled account's tokens stop at once, not only at their expiry
        account.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return account


@transaction.atomic
def password_reset(request, manager, account: User, password: str) -> None:
    if not manageable_accounts(manager).filter(pk=account.pk).exists():
        raise Http404
    try:
        password_set(account, password, forced_change=account.pk != manager.pk)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    record_event(EventKind.PASSWORD_RESET, request=request, actor=manager, object_repr=account.username)


@transaction.atomic
def password_change(request, user: User, old_password: str, new_password: str) -> None:
    """One's own password; the session stays logged in."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确")})
    try:
        password_set(user, new_password, forced_change=False)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    if request is not None and hasattr(request, "session"):
        update_session_auth_hash(request, user)
    record_event(EventKind.PASSWORD_CHANGED, request=request, actor=user, object_repr=user.username)


def contact_editable_units(manager) -> QuerySet[Organisation]:
    """The organisations whose contact (联系人、电话、邮箱) this person keeps."""
    if manager.role in (Role.BUREAU_ADMIN, Role.SYSTEM_ADMIN):
        return Organisation.objects.all()
    if manager.role == Role.UNIT_ADMIN and manager.organisation_id:
        return Organisation.objects.filter(pk=manager.organisation_id)
    return Organisation.objects.none()


@transaction.atomic
def organisation_contact_update(manager, organisation: Organisation, *, contact_name: str, contact_phone: str,
                                contact_email: str) -> Organisation:
    if not contact_editable_units(manager).filter(pk=organisation.pk).exists():
        raise PermissionDenied("accounts.contact")
    organisation.contact_name, organisation.contact_phone = contact_name, contact_phone
    organisation.contact_email = contact_email
    organisation.full_clean()
    organisation.save(update_fields=["contact_name", "contact_phone", "contact_email"])
    return organisation
