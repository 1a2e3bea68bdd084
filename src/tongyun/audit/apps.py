from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tongyun.audit"
    verbose_name = _("审计")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import post_save

        from tongyun.core import menu
        from tongyun.core.permissions import can, register_capabilities
        from tongyun.parties.choices import Role

        from . import receivers

        auth_signals.user_logged_in.connect(receivers.logged_in, dispatch_uid="audit_login")
        auth_signals.user_logged_out.connect(receivers.logged_out, dispatch_uid="audit_logout")
        auth_signals.user_login_failed.connect(receivers.login_failed, dispatch_uid="audit_login_failed")
        user_locked_out.connect(receivers.locked_out, dispatch_uid="audit_locked_out")
        post_save.connect(receivers.change_logged, sender=LogEntry, dispatch_uid="audit_seal_changes")
        register_capabilities({
            # The whole trail of people — logins, failures, lockouts, denials, exports — with its Excel
            # export and the chain's verification: the audit administrator (三员之审计员) and the supervisor.
            "audit.people": frozenset({Role.AUDIT_ADMIN, Role.SUPERVISOR}),
        })
        menu.register(menu.MenuItem(_("安全审计"), "audit:event_list", group=menu.ADMINISTRATION,
                                    visible=lambda user: can(user, "audit.people")))
