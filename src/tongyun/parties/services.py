import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from .models import ApiToken, Organisation, User


class TokenRefused(Exception):
    """The credentials are right but no token is given: (HTTP status, reason)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def token_issue(username: str, password: str, name: str = "", *, request=None,
                otp: str = "") -> tuple[ApiToken, str] | None:
    """Check the credentials and issue a token; returns (token row, secret) or None when they are wrong.

    The same rules as the login page: django-axes counts the failures (429 once locked out), an account
    that needs a second factor sends its TOTP (or recovery) code, and an account that must change its
    password does that on the web first.
    """
    from tongyun.audit.choices import EventKind
    from tongyun.audit.services import record_event

    from . import security
    from .lockout import lockout_message

    user = authenticate(request, username=username, password=password)
    if request is not None and getattr(request, "axes_locked_out", False):
        raise TokenRefused(429, lockout_message())
    if user is None or not user.is_active:
        return None
    if security.second_factor_required(user):
        if not security.has_second_factor(user):
            raise TokenRefused(403, _("该账号须先在网页上绑定动态口令"))
        if security.verify_second_factor(user, otp) is None:
            record_event(EventKind.OTP_FAILED, request=request, actor=user)
            raise TokenRefused(401, _("动态口令错误或缺失（字段 otp）"))
    if security.must_change_password(user):
        raise TokenRefused(403, _("须先在网页上修改密码"))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8], name=name,
        expires_at=timezone.now() + dt.timedelta(days=settings.TONGYUN_TOKEN_TTL_DAYS),
    )
    record_event(EventKind.TOKEN_ISSUED, request=request, actor=user, object_repr=token.prefix)
    return token, key


def token_revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_authenticate(key: str) -> User | None:
    """The user behind a bearer token, if the token exists, is not revoked and has not expired."""
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token
    return token.user


@transaction.atomic
def user_create(*, username: str, role: str, organisation: Organisation, password: str, full_name: str = "") -> User:
    expected = ROLE_ORGANISATION_KIND[Role(role)]
    if organisation.kind != expected:
        raise ValidationError({"organisation": _("角色“%(role)s”须属于%(kind)s") % {
            "role": Role(role).label, "kind": OrganisationKind(expected).label}})
    user = User(username=username, role=role, organisation=organisation, full_name=full_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def organisation_get_or_create(kind: str, name: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return organisation
