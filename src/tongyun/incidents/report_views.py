"""The fault report pages: the form (contact, location, device search, photos), the device search and the
attachments of a ticket. Split from views.py; the urls name them through views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongyun.catalog import selectors as catalog_selectors
from tongyun.core.forms import add_service_errors

from . import selectors, services
from .forms import ReportForm, device_label


def may_report(user) -> bool:
    return user.is_superuser or user.role in services.MAY_REPORT


@login_required
def incident_report(request):
    if not may_report(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ReportForm(request.user, request.POST, request.FILES)
        if form.is_valid():
            try:
                incident = services.report_incident(request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已报障，工单号 %(n)s") % {"n": incident.number})
                return redirect("incidents:detail", pk=incident.pk)
        status = 422
    else:
        form = ReportForm(request.user, initial={"system": request.GET.get("system")})
        status = 200
    return render(request, "incidents/report.html", {"form": form}, status=status)


@login_required
def device_search(request):
    """At most 20 devices the user may see matching the query, as radio buttons of the report form (HTMX)."""
    query = request.GET.get("device_q") or request.GET.get("q", "")
    system = request.GET.get("system", "")
    system_id = catalog_selectors.system_get(request.user, int(system)).pk if system.isdigit() else None
    devices = selectors.device_search(request.user, query, system_id)
    return render(request, "incidents/_device_results.html", {
        "devices": [(d, device_label(d)) for d in devices], "query": query.strip(),
        "limit": selectors.DEVICE_MATCHES})


@login_required
def attachment_file(request, pk):
    """A ticket's photo (shown inline) or document (downloaded), for whoever may see the ticket."""
    item = selectors.attachment_get(request.user, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=item.name, as_attachment=not item.is_image)
