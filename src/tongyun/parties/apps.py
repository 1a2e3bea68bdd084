from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "tongyun.parties"
    verbose_name = _("账号与单位")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tongyun.core import menu
        from tongyun.core.permissions import can, register_capabilities

        from . import models
        from .choices import ACCOUNT_MANAGERS, Role

        auditlog.register(models.Organisation)
        auditlog.register(models.User, exclude_fields=["password", "last_login", "password_changed_at"])
        auditlog.register(models.SecurityPolicy)
        register_capabilities({
            # Manage accounts (each manager within their reach, see tongyun.parties.accounts).
            "accounts.manage": frozenset(ACCOUNT_MANAGERS),
            # The security policy (second factor, password expiry, idle timeout) and the lockouts:
            # the security administrator (三员之安全员).
            "accounts.security": frozenset({Role.SECURITY_ADMIN}),
        })
        menu.register(menu.MenuItem(_("账号管理"), "accounts:account_list", group=menu.ADMINISTRATION,
                                    visible=lambda user: can(user, "accounts.manage")))
        menu.register(menu.MenuItem(_("单位联系人"), "accounts:unit_contacts", group=menu.ADMINISTRATION,
                                    visible=lambda user: user.role in (Role.BUREAU_ADMIN, Role.SYSTEM_ADMIN,
                                                                       Role.UNIT_ADMIN)))
        menu.register(menu.MenuItem(_("安全策略"), "accounts:policy", group=menu.ADMINISTRATION,
                                    visible=lambda user: can(user, "accounts.security")))
        menu.register(menu.MenuItem(_("登录锁定"), "accounts:lockouts", group=menu.ADMINISTRATION,
                                    visible=lambda user: can(user, "accounts.security")))
        menu.register(menu.MenuItem(_("我的账号"), "accounts:profile", group=menu.ADMINISTRATION))
