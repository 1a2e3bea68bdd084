"""Incident pages of the daily work: the dispatcher board, my queue, notifications."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.choices import Severity
from tongyun.core.permissions import can

from . import selectors, services
from .choices import IncidentAction, IncidentState
from .templatetags.incident_tags import clock_display

# Actions the queue offers as one tap; the others need a form (detail page).
ONE_TAP = ("acknowledge", "arrive", "start", "resume", "wait_user", "wait_vendor", "wait_parts")


# ---------------------------------------------------------------- board, queue, notifications


def _card_texts() -> dict[str, str]:
    """The labels every card repeats (incidents/_card.html), translated once per page."""
    return {"response": _("响应"), "repair": _("修复"), "assignee": _("处理人"), "unassigned": _("未派单")}


def _cards(incidents, texts: dict[str, str], now: dt.datetime) -> list[dict]:
    """Each ticket with what its card shows: choice labels from tables made once per page (not a
    get_FOO_display per card) and its two clock cells formatted once (incident_tags.clock_display)."""
    severities = {value: str(label) for value, label in Severity.choices}
    states = {value: str(label) for value, label in IncidentState.choices}
    return [{"incident": incident,
             "severity_label": severities.get(incident.severity, incident.severity),
             "state_label": states.get(incident.state, incident.state),
             "assignee": str(incident.assignee) if incident.assignee_id else texts["unassigned"],
             "response": clock_display(selectors.clock_cell(incident, "response", now), now),
             "repair": clock_display(selectors.clock_cell(incident, "repair", now), now)}
            for incident in incidents]


@login_required
def board(request):
    now = timezone.now()
    context = selectors.dispatcher_board(request.user, now)
    context["severities"] = [(label, context["by_severity"].get(value, 0)) for value, label in Severity.choices]
    context["card_texts"] = texts = _card_texts()
    for column in ("unassigned", "at_risk", "breached"):
        context[column] = _cards(context[column], texts, now)
    template = "incidents/_board.html" if request.headers.get("HX-Request") else "incidents/board.html"
    return render(request, template, context)


@login_required
def my_queue(request):
    now, texts = timezone.now(), _card_texts()
    cards = []
    incidents = list(selectors.my_queue(request.user)[:200])
    for card in _cards(incidents, texts, now):
        actions = selectors.available_actions(request.user, card["incident"])
        card["one_tap"] = [(a, IncidentAction(a).label) for a in actions if a in ONE_TAP]
        card["with_form"] = [(a, IncidentAction(a).label) for a in actions if a not in ONE_TAP]
        cards.append(card)
    return render(request, "incidents/mine.html", {"cards": cards, "card_texts": texts})


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
