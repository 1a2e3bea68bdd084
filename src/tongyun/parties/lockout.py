"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): 429 in the user's language,
JSON on the API, the login page with the reason on the form; and the security administrator's lockout list."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongyun.audit.choices import EventKind
from tongyun.audit.services import record_event
from tongyun.core.permissions import require


def lockout_message() -> str:
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return _("登录失败次数过多，已暂时锁定，请 %(m)s 分钟后再试，或联系安全管理员解锁。") % {"m": minutes}


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    from .forms import LoginForm

    form = LoginForm(request)
    return render(request, "parties/login.html", {"form": form, "locked_out": lockout_message()}, status=429)


def locked_attempts(user):
    """Current lockouts: accounts and addresses over the failure limit (security administrator)."""
    require(user, "accounts.security")
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT) \
        .order_by("-attempt_time")


def unlock(request, user, attempt_id: int) -> None:
    require(user, "accounts.security")
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return
    reset(username=attempt.username) if attempt.username else None
    reset(ip=attempt.ip_address) if attempt.ip_address else None
    record_event(EventKind.UNLOCKED, request=request, actor=user,
                 object_repr=f"{attempt.username or ''} {attempt.ip_address or ''}".strip())
