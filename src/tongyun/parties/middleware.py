"""The gate every logged-in page passes (after authentication and django-otp's middleware):

1. idle timeout: a session unused for the policy's minutes ends (GB/T 22239: 登录连接超时自动退出);
2. the second factor: an account that needs TOTP reaches nothing before verifying it (or setting it up);
3. the forced password change: after an administrator set the password, or when it expired.
The API is not gated here: a token is issued only after the same checks (tongyun.parties.services).
"""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tongyun.audit.choices import EventKind
from tongyun.audit.services import record_event

from . import security

LAST_SEEN = "tongyun_last_seen"
# touch the session at most this often (seconds), so that a page does not write the session every time
TOUCH_EVERY = 30
OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/media/")


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PREFIXES) \
                or not hasattr(request, "session"):
            return self.get_response(request)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN)
        idle_seconds = security.policy().session_idle_minutes * 60
        if last_seen is not None and now - last_seen > idle_seconds:
            record_event(EventKind.SESSION_EXPIRED, request=request, actor=user)
            logout(request)
            messages.info(request, _("您已较长时间未操作，请重新登录。"))
            return redirect(f"{reverse('login')}?next={request.path}")
        if last_seen is None or now - last_seen > TOUCH_EVERY:
            request.session[LAST_SEEN] = now
        allowed = {reverse("logout"), reverse("login")}
        if security.second_factor_required(user) and not user.is_verified():
            target = "accounts:otp_verify" if security.has_second_factor(user) else "accounts:otp_setup"
            if request.path not in allowed | {reverse(target)}:
                return redirect(reverse(target))
            return self.get_response(request)
        if security.must_change_password(user) and request.path not in allowed | {
                reverse("accounts:password_change"), reverse("accounts:recovery_codes")}:
            messages.warning(request, _("请先修改密码（管理员设置的初始密码或已过期的密码须修改后才能继续使用）。"))
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
