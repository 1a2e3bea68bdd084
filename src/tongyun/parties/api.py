from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongyun.core.pagination import KeysetPagination
from tongyun.core.schemas import Id, InputSchema

from . import accounts as account_services
from .models import Organisation, User
from .schemas import (
    AccountCreateIn,
    AccountFilters,
    AccountOut,
    AccountUpdateIn,
    PasswordResetIn,
    UnitContactIn,
    UnitContactOut,
)
from .selectors import account_list, token_list
from .services import TokenRefused, token_issue, token_revoke

router = Router(tags=["auth"])
# Account administration, with the reach of the /accounts/ pages (tongyun.parties.accounts): the bureau
# admin and the system administrator every account, a unit admin its unit's, the PM the contractor's. An
# account out of reach is a 404, as on the pages.
accounts_router = Router(tags=["accounts"])


class TokenIn(InputSchema):
    username: str
    password: str
    name: str = ""
    otp: str = Field("", description="动态口令（TOTP）或恢复码：须绑定动态口令的账号必填")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class TokenInfo(Schema):
    id: int
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    organisation: str | None


class Message(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 401: Message, 403: Message, 429: Message})
def create_token(request, body: TokenIn):
    try:
        issued = token_issue(body.username, body.password, body.name, request=request, otp=body.otp)
    except TokenRefused as refused:
        return Status(refused.status, {"detail": refused.reason})
    if issued is None:
        return Status(401, {"detail": _("用户名或密码错误")})
    token, key = issued
    return {"token": key, "expires_at": token.expires_at}


@router.delete("/token", response={204: None, 400: Message})
def revoke_current_token(request):
    token = getattr(request.user, "api_token", None)
    if token is None:
        return Status(400, {"detail": _("当前请求未使用令牌")})
    token_revoke(token)
    return Status(204, None)


@router.get("/tokens", response=list[TokenInfo])
def list_tokens(request):
    return token_list(request.user)


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: Id):
    token_revoke(get_object_or_404(token_list(request.user), pk=token_id))
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {
        "id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role,
        "role_label": user.get_role_display(), "organisation": user.organisation.name if user.organisation else None,
    }


def _named_for_api(error: ValidationError) -> ValidationError:
    """The services name the model field `organisation`; the API body calls it `organisation_id`."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({("organisation_id" if field == "organisation" else field): messages
                            for field, messages in error.message_dict.items()})


def _organisation(organisation_id: int | None) -> Organisation | None:
    # an unknown id is the same refusal as an organisation out of reach (the service names the field)
    return Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None


def _reachable(request, account_id: int) -> User:
    return get_object_or_404(account_list(request.user), pk=account_id)


@accounts_router.get("", response=list[AccountOut])
@paginate(KeysetPagination, ordering=("id",), page_size=50, max_page_size=500)
def list_accounts(request, filters: Query[AccountFilters]):
    data = filters.dict(exclude_none=True)
    if "active" in data:
        data["active"] = "1" if data["active"] else "0"
    return account_list(request.user, data)


@accounts_router.post("", response={201: AccountOut})
def create_account(request, body: AccountCreateIn):
    """A new account; it must change its initial password at the first login."""
    try:
        account = account_services.account_create(
            request.user, username=body.username, role=body.role, organisation=_organisation(body.organisation_id),
            password=body.password, full_name=body.full_name, phone=body.phone, email=body.email)
    except ValidationError as error:
        raise _named_for_api(error) from None
    return Status(201, account)


@accounts_router.get("/units", response=list[UnitContactOut])
def list_unit_contacts(request):
    """The organisations whose contact person, phone and e-mail this account keeps."""
    units = account_services.contact_editable_units(request.user).order_by("kind", "name")
    if not units.exists():
        raise Http404
    return list(units)


@accounts_router.patch("/units/{unit_id}/contact", response=UnitContactOut)
def set_unit_contact(request, unit_id: Id, body: UnitContactIn):
    organisation = get_object_or_404(account_services.contact_editable_units(request.user), pk=unit_id)
    changes = body.dict(exclude_none=True)
    return account_services.organisation_contact_update(
        request.user, organisation, contact_name=changes.get("contact_name", organisation.contact_name),
        contact_phone=changes.get("contact_phone", organisation.contact_phone),
        contact_email=changes.get("contact_email", organisation.contact_email))


@accounts_router.get("/{account_id}", response=AccountOut)
def get_account(request, account_id: Id):
    return _reachable(request, account_id)


@accounts_router.patch("/{account_id}", response=AccountOut)
def update_account(request, account_id: Id, body: AccountUpdateIn):
    account = _reachable(request, account_id)
    changes = body.dict(exclude_none=True)
    if "organisation_id" in changes:
        changes["organisation"] = _organisation(changes.pop("organisation_id"))
    try:
        account_services.account_update(request.user, account, **changes)
    except ValidationError as error:
        raise _named_for_api(error) from None
    return account


@accounts_router.post("/{account_id}/disable", response=AccountOut)
def disable_account(request, account_id: Id):
    """The account can no longer log in, and its API tokens stop at once."""
    return account_services.account_set_active(request.user, _reachable(request, account_id), False)


@accounts_router.post("/{account_id}/enable", response=AccountOut)
def enable_account(request, account_id: Id):
    return account_services.account_set_active(request.user, _reachable(request, account_id), True)


@accounts_router.post("/{account_id}/password", response={204: None})
def reset_password(request, account_id: Id, body: PasswordResetIn):
    """A new password set by the manager; the account must change it at its next login."""
    account_services.password_reset(request, request.user, _reachable(request, account_id), body.password)
    return Status(204, None)
