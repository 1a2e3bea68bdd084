"""Incident pages of the daily work: the dispatcher board, my queue, notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.choices import Severity
from tongyun.core.permissions import can

from . import selectors, services
from .choices import IncidentAction

# Actions the queue offers as one tap; the others need a form (detail page).
ONE_TAP = ("acknowledge", "arrive", "start", "resume", "wait_user", "wait_vendor", "wait_parts")


# ---------------------------------------------------------------- board, queue, notifications


@login_required
def board(request):
    context = selectors.dispatcher_board(request.user)
    context["severities"] = [(label, context["by_severity"].get(value, 0)) for value, label in Severity.choices]
    template = "incidents/_board.html" if request.headers.get("HX-Request") else "incidents/board.html"
    return render(request, template, context)


@login_required
def my_queue(request):
    cards = []
    for incident in selectors.my_queue(request.user)[:200]:
        actions = selectors.available_actions(request.user, incident)
        cards.append({
            "incident": incident,
            "one_tap": [(a, IncidentAction(a).label) for a in actions if a in ONE_TAP],
            "with_form": [(a, IncidentAction(a).label) for a in actions if a not in ONE_TAP],
        })
    return render(request, "incidents/mine.html", {"cards": cards})


@login_required
def notification_list(request):
    """The inbox: every in-app notification of the user, whichever domain sent it (one list)."""
    page = Paginator(selectors.inbox_rows(request.user), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.inbox_items(request.user, list(page.object_list))
    return render(request, "incidents/notifications.html", {"page": page})


@login_required
def notification_failures(request):
    """Deliveries given up, for the administrator: who was not reached, on which channel, and why."""
    if not can(request.user, "incidents.delivery_failures"):
        raise PermissionDenied
    page = Paginator(selectors.undeliverable_notifications(request.user), 100).get_page(request.GET.get("page"))
    return render(request, "incidents/notification_failures.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    if request.POST.get("all"):
        count = services.mark_inbox_read(request.user)
    else:
        count = services.mark_inbox_read(request.user, request.POST.getlist("ids")[:500])
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": count})
    return redirect("incidents:notifications")
