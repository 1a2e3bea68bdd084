import datetime as dt
import secrets
from functools import cache

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.db_values import column_readers

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
    """The user behind a bearer token, if the token exists, is not revoked and has not expired.

    Every API request runs this, so it is one SQL statement written once (`_token_query`) instead of an
    ORM query compiled per request (~2 ms of SQL compilation for the token + user + organisation join, the
    largest single cost of a list request, issue #16); the user's organisation is read if used (scoping
    needs only organisation_id). Nothing is cached across requests: a revoked or expired token, a
    deactivated account or a changed role counts on the very next request.
    """
    now = timezone.now()
    ops = connection.ops
    params = [ops.adapt_datetimefield_value(now - TOKEN_TOUCH_EVERY), ApiToken.hash_key(key),
              ops.adapt_datetimefield_value(now)]
    sql, names, readers = _token_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    *values, token_id, stale = row
    for index, read in readers:
        values[index] = read(values[index])
    user = User.from_db(connection.alias, names, values)
    if not user.is_active:
        return None
    if stale:  # touch at most once a minute: a busy client should not write on every request
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    # the token row, its other columns read only if used (revoking the current token reads revoked_at)
    user.api_token = ApiToken.from_db(connection.alias, ["id", "user_id"], [token_id, user.pk])
    return user


TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)


@cache
def _token_query(vendor: str) -> tuple[str, list[str], list]:
    """The SQL reading a live token's user, the token's id and whether last_used_at is due a touch; the
    user's columns and their readers (what the ORM would apply, `core.db_values`) come from the model, so a new
    User field is read as well. One per database kind (`vendor`): quoting and converters are the backend's."""
    quote = connection.ops.quote_name
    user_table, token_table = quote(User._meta.db_table), quote(ApiToken._meta.db_table)
    names = [field.attname for field in User._meta.concrete_fields]
    readers = [(index, read) for index, read in enumerate(column_readers(User, names)) if read is not None]
    token = ApiToken._meta
    last_used = f"{token_table}.{quote(token.get_field('last_used_at').column)}"
    sql = (f"SELECT {', '.join(f'{user_table}.{quote(field.column)}' for field in User._meta.concrete_fields)}, "
           f"{token_table}.{quote(token.pk.column)}, "
           f"CASE WHEN {last_used} IS NULL OR {last_used} < %s THEN 1 ELSE 0 END "
           f"FROM {token_table} INNER JOIN {user_table} ON {user_table}.{quote(User._meta.pk.column)} = "
           f"{token_table}.{quote(token.get_field('user').column)} "
           f"WHERE {token_table}.{quote(token.get_field('key_hash').column)} = %s "
           f"AND {token_table}.{quote(token.get_field('revoked_at').column)} IS NULL "
           f"AND {token_table}.{quote(token.get_field('expires_at').column)} > %s")
    return sql, names, readers


@transaction.atomic
def user_create(*, username: str, role: str, organisation: Organisation, password: str = "", full_name: str = "",
                password_hash: str = "") -> User:
    """`password_hash`: a password already hashed (make_password), for accounts that share one: the demo
    accounts, where hashing the same password 71 times cost half a minute at PBKDF2's 1,000,000 rounds;
    or an unusable one (`make_password(None)`) for a service account nobody signs in as."""
    if bool(password) == bool(password_hash):
        raise ValueError("user_create takes a password or a password_hash, not both or neither")
    expected = ROLE_ORGANISATION_KIND[Role(role)]
    if organisation.kind != expected:
        raise ValidationError({"organisation": _("角色“%(role)s”须属于%(kind)s") % {
            "role": Role(role).label, "kind": OrganisationKind(expected).label}})
    user = User(username=username, role=role, organisation=organisation, full_name=full_name)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def organisation_get_or_create(kind: str, name: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return organisation
