from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tongyun.core.schemas import Id, InputSchema

from .selectors import token_list
from .services import TokenRefused, token_issue, token_revoke

router = Router(tags=["auth"])


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
