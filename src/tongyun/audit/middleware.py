"""Permission denials and exports, on every page and API endpoint, into the audit trail.

Both are decided far from here (a 403 from tongyun.core.permissions.require, a workbook from a domain's
export view), so they are recorded where every answer passes: a refused request (403) and a file
download (Content-Disposition: attachment) become events with the person, the address and the path.
"""

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
