"""Language: Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so an English-language browser on a
government PC would get English pages. The platform is Chinese by default; English is opt-in through the
language switch (a cookie), which this middleware honours.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string


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

def is_token_request(request) -> bool:
    """An API call that carries `Authorization: Bearer …` (any case, as django-ninja's HttpBearer reads it)."""
    return request.path_info.startswith("/api/") and \
        request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "


class TokenRequestMiddleware:
    """First in MIDDLEWARE: a bearer-token API call goes through a shorter chain of its own,
    settings.TONGYUN_TOKEN_REQUEST_MIDDLEWARE (built once, the way Django builds MIDDLEWARE), instead of the rest
    of MIDDLEWARE (issue #16: ~0.3 ms of a list request). It leaves out what only a browser needs — whitenoise
    (static files), the session, CSRF, authentication, django-otp, messages, the account gate — and keeps every
    middleware that writes a header, refuses a request or records it, in MIDDLEWARE's order, so the answer's
    status and headers are the ones MIDDLEWARE gives (core/tests/test_token_requests.py compares them).

    Such a request never gets a session user, even with a session cookie: its user is an anonymous one until
    tongyun.core.api_auth.BearerToken puts the token's owner in (and names it as the audit actor); a bad token
    is a 401, never a fall-back to the cookie's session. Any other request (pages, the API with a cookie)
    passes on to the rest of MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.token_request_chain = _MiddlewareChain(settings.TONGYUN_TOKEN_REQUEST_MIDDLEWARE).chain

    def __call__(self, request):
        if is_token_request(request):
            request.user = AnonymousUser()
            return self.token_request_chain(request)
        return self.get_response(request)


class _MiddlewareChain(BaseHandler):
    """Django's own view handling (URL resolving, view middleware, exceptions turned into answers) behind the
    given middleware — BaseHandler.load_middleware for another list than settings.MIDDLEWARE (sync only)."""

    def __init__(self, paths: list[str]):
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(paths):
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self.chain = handler
