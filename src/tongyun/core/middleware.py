"""Language: Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so an English-language browser on a
government PC would get English pages. The platform is Chinese by default; English is opt-in through the
language switch (a cookie), which this middleware honours.
"""

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_otp.middleware import OTPMiddleware


class ChineseByDefaultLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer.

    Scripts come from the platform's own static files only — no inline script, no handler attributes
    (pages put behaviour in static/tongyun/*.js and data in json_script elements), so injected markup cannot
    run. Inline style attributes stay allowed: the templates use them for layout, and style cannot run code.
    Nothing may frame the platform (clickjacking; X-Frame-Options says the same to older browsers).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.TONGYUN_CONTENT_SECURITY_POLICY
        self.permissions = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class UploadLimitMiddleware:
    """Refuse a request body larger than TONGYUN_UPLOAD_MAX_MB before reading it, with a clear message
    (413): a JSON answer for the API, a page with a way back otherwise. Django alone would read and store
    any file; its DATA_UPLOAD_MAX_MEMORY_SIZE only answers a bare 400 for large forms."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.TONGYUN_UPLOAD_MAX_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return self.too_large(request, length)
        return self.get_response(request)

    def too_large(self, request, length: int):
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        message = _("上传内容过大（%(size).1f MB），上限为 %(limit)d MB。请压缩或拆分后重试。") % {
            "size": length / 2**20, "limit": self.limit // 2**20}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "limit_bytes": self.limit}, status=413)
        return render(request, "core/error.html", {"status": 413, "title": _("上传内容过大"), "message": message},
                      status=413)


# --- API calls with a bearer token: authenticated by the token alone ----------------------------------------

TOKEN_REQUEST = "tongyun_token_request"


def is_token_request(request) -> bool:
    """An API call that carries `Authorization: Bearer …` (any case, as django-ninja's HttpBearer reads it)."""
    return request.path_info.startswith("/api/") and \
        request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "


class TokenRequestMiddleware:
    """Marks a bearer-token API call, which then skips the browser's middleware (below): no session user, no
    messages, no second-factor wrapper — ~0.2 ms of a list request (issue #16), and a stricter
    rule than before: such a request never gets a session user, even with a session cookie. Its user is an
    anonymous one until tongyun.core.api_auth.BearerToken puts the token's owner in (and names it as the
    audit actor); a bad token is a 401, never a fall-back to the cookie's session. Placed before
    SessionMiddleware; sessions and CSRF stay Django's own by name (`check --deploy` looks for them, and
    both are lazy for an API call: the session is not read, ninja's operations are CSRF-exempt)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = is_token_request(request)
        setattr(request, TOKEN_REQUEST, token)
        if token:
            request.user = AnonymousUser()
        return self.get_response(request)


def _not_for_token_requests(base: type) -> type:
    """`base` (a subclass, so Django's and the admin's checks still find it) that lets a token request
    through untouched."""

    def __call__(self, request):
        if getattr(request, TOKEN_REQUEST, False):
            return self.get_response(request)
        return base.__call__(self, request)

    namespace = {"__call__": __call__, "__module__": __name__,
                 "__doc__": f"{base.__module__}.{base.__name__}, except for bearer-token API calls."}
    if hasattr(base, "process_view"):
        def process_view(self, request, *args):
            if getattr(request, TOKEN_REQUEST, False):
                return None
            return base.process_view(self, request, *args)
        namespace["process_view"] = process_view
    return type(f"PageOnly{base.__name__}", (base,), namespace)


PageOnlyAuthenticationMiddleware = _not_for_token_requests(AuthenticationMiddleware)
PageOnlyOTPMiddleware = _not_for_token_requests(OTPMiddleware)
PageOnlyMessageMiddleware = _not_for_token_requests(MessageMiddleware)
