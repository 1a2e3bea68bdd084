"""Identification rules of GB/T 22239 level 3 for the platform's own accounts: the security policy, the
second factor (TOTP with recovery codes, django-otp), password expiry and the forced change."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongyun.audit.choices import EventKind
from tongyun.audit.services import record_event

from .choices import ADMINISTRATOR_ROLES
from .models import PasswordHistory, SecurityPolicy, User

RECOVERY_CODES = 10
RECOVERY_DEVICE = "recovery"


def policy() -> SecurityPolicy:
    """The policy in force; created on first use with the defaults from the settings."""
    found = SecurityPolicy.objects.first()
    if found is None:
        found = SecurityPolicy.objects.create(
            otp_for_everyone=settings.TONGYUN_OTP_FOR_EVERYONE,
            password_max_age_days=settings.TONGYUN_PASSWORD_MAX_AGE_DAYS,
            session_idle_minutes=settings.TONGYUN_SESSION_IDLE_MINUTES)
    return found


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user) -> bool:
    """TOTP is required of administrators, of everyone when the policy says so, and of whoever set it up."""
    if not settings.TONGYUN_OTP_ENFORCED:
        return has_second_factor(user)
    return user.role in ADMINISTRATOR_ROLES or user.is_superuser or policy().otp_for_everyone \
        or has_second_factor(user)


def verify_second_factor(user, code: str):
    """The device that accepts this code (a TOTP code or an unused recovery code), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code.lower()):  # a recovery code works once (django-otp deletes it)
            return device
    return None


def totp_start(user) -> TOTPDevice:
    """An unconfirmed TOTP device to scan; confirmed by totp_confirm with a first code from the app."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def totp_confirm(request, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code it generates; returns fresh recovery codes, or None if the code is wrong."""
    if not device.verify_token((code or "").strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(EventKind.OTP_ENROLLED, request=request, actor=user, object_repr=user.username)
    return recovery_codes_issue(request, user)


@transaction.atomic
def recovery_codes_issue(request, user) -> list[str]:
    """New recovery codes (the old ones stop working); shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE,
                                                          defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(8) for _i in range(RECOVERY_CODES)]  # 16 characters: django-otp's column
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record_event(EventKind.RECOVERY_CODES, request=request, actor=user, object_repr=user.username)
    return codes


@transaction.atomic
def second_factor_remove(request, manager, user) -> None:
    """An administrator removes a lost phone's device: the person sets up a new one at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(EventKind.OTP_REMOVED, request=request, actor=manager, object_repr=user.username)


def password_expired(user) -> bool:
    days = policy().password_max_age_days
    if not days:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed + dt.timedelta(days=days) < timezone.now()


def must_change_password(user) -> bool:
    return user.must_change_password or password_expired(user)


@transaction.atomic
def password_set(user: User, password: str, *, forced_change: bool) -> None:
    """Set a password checked against the rules; the old one goes into the history."""
    password_validation.validate_password(password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    keep = list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:10])
    PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
    user.set_password(password)
    user.must_change_password = forced_change
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
