from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """What a person did that is not a change of a record (changes are django-auditlog's entries)."""

    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    UNLOCKED = "unlocked", _("解除锁定")
    LOGOUT = "logout", _("退出")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    TOKEN_ISSUED = "token_issued", _("签发接口令牌")
    OTP_VERIFIED = "otp_verified", _("动态口令验证通过")
    OTP_FAILED = "otp_failed", _("动态口令验证失败")
    OTP_ENROLLED = "otp_enrolled", _("绑定动态口令")
    OTP_REMOVED = "otp_removed", _("解绑动态口令")
    RECOVERY_CODES = "recovery_codes", _("生成恢复码")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    ACCOUNTS_IMPORTED = "accounts_imported", _("导入账号")
    PERMISSION_DENIED = "permission_denied", _("越权访问被拒绝")
    EXPORT = "export", _("导出")


# The actions of django-auditlog's entries, in the trail's words.
CHANGE_ACTIONS = {0: _("新增"), 1: _("修改"), 2: _("删除"), 3: _("查看")}
