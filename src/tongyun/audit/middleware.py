"""Permission denials and exports, on every page and API endpoint, into the audit trail; the person and
address of every change a request makes, on the change's django-auditlog entry.

Both are decided far from here (a 403 from tongyun.core.permissions.require, a workbook from a domain's
export view), so they are recorded where every answer passes: a refused request (403) and a file
download (Content-Disposition: attachment) become events with the person, the address and the path.
"""

from functools import partial

from auditlog import context as auditlog_context
from auditlog import get_logentry_model
from auditlog.cid import set_cid
from auditlog.middleware import AuditlogMiddleware
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from .choices import EventKind
from .services import record_event


class AccessTrailMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if response.status_code == 403:
            record_event(EventKind.PERMISSION_DENIED, request=request,
                         detail=_("%(method)s 请求被拒绝") % {"method": request.method})
        elif response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""):
            record_event(EventKind.EXPORT, request=request, object_repr=_filename(response))
        return response


def _filename(response) -> str:
    disposition = response.get("Content-Disposition", "")
    if "filename*=utf-8''" in disposition:
        from urllib.parse import unquote

        return unquote(disposition.split("filename*=utf-8''", 1)[1].split(";")[0])
    if "filename=" in disposition:
        return disposition.split("filename=", 1)[1].split(";")[0].strip('"')
    return ""


# The receiver that puts a request's person and address on the log entries of its changes: connected once.
# django-auditlog's own middleware connects and disconnects one per request, which costs every request
# (changing or not) two rebuilds of pre_save's receiver cache under its lock — a list API call's biggest
# single piece of middleware time (issue #16).
REQUEST_SIGNAL_DUID = ("tongyun-request-actor", 0)


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware with the receiver connected once: the request's context (actor,
    address, port — what the library's middleware gathers) is set for the request and reset after it, so a
    thread's next request, or work outside any request, never sees it. `auditlog.context.set_actor` inside a
    request (the services use it) works as before: its own receiver answers while its context is set."""

    def __init__(self, get_response=None):
        super().__init__(get_response)
        pre_save.connect(partial(auditlog_context._set_extra_data, signal_duid=REQUEST_SIGNAL_DUID),
                         sender=get_logentry_model(), dispatch_uid=REQUEST_SIGNAL_DUID, weak=False)

    def __call__(self, request):
        set_cid(request)
        context = {**self.get_extra_data(request), "signal_duid": REQUEST_SIGNAL_DUID}
        token = auditlog_context.auditlog_value.set(context)
        try:
            return self.get_response(request)
        finally:
            auditlog_context.auditlog_value.reset(token)
