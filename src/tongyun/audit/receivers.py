"""What the audit trail hears from Django, django-axes and django-auditlog (connected in AuditConfig.ready):
logins, logouts, failed logins and lockouts become events; every change entry is sealed into the chain."""

from django.utils.translation import gettext as _

from .chain import seal
from .choices import EventKind
from .models import ChainLink
from .services import record_event


def logged_in(sender, request, user, **kwargs):
    record_event(EventKind.LOGIN, request=request, actor=user)


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(EventKind.LOGOUT, request=request, actor=user)


def login_failed(sender, credentials, request=None, **kwargs):
    if request is None:  # inside the process (a command, the test client): no one to record
        return
    record_event(EventKind.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")),
                 detail=_("用户名或密码错误，或账号已停用/锁定"))


def locked_out(sender, request, username, ip_address, **kwargs):
    record_event(EventKind.LOCKED_OUT, request=request, username=username or "",
                 detail=_("连续登录失败次数过多，账号/地址 %(ip)s 已被锁定") % {"ip": ip_address})


def change_logged(sender, instance, created, **kwargs):
    if created:
        seal(ChainLink.Source.CHANGE, instance)
