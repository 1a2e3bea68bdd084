import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationKind, Role


class Organisation(models.Model):
    """A party of the contract: the bureau, a user unit, the contractor or the supervisor."""

    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    # Scoping (see tongyun.core.scoping): an organisation row is "its own unit".
    scope_unit_field = "pk"
    scope_system_field = None

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="members",
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, blank=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=30, blank=True)
    # Set when an administrator creates the account or resets its password: the next login must change it.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    # Scoping (see tongyun.core.scoping): an account belongs to its organisation.
    scope_unit_field = "organisation"
    scope_system_field = None

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("前 8 位，便于识别"))
    name = models.CharField(_("用途"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords: a new password may not repeat the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class SecurityPolicy(models.Model):
    """The security administrator's settings (one row); defaults come from the settings (environment)."""

    otp_for_everyone = models.BooleanField(_("所有账号均须动态口令"), default=False)
    password_max_age_days = models.PositiveIntegerField(
        _("密码有效期（天，0 为不过期）"), default=90)
    session_idle_minutes = models.PositiveIntegerField(_("空闲超时（分钟）"), default=30)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))
