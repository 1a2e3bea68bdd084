"""Duty-roster pages (值班表): the rosters with who is on duty now and the coverage gaps, the roster of a
system with its layers and overrides, Excel, and the secret iCalendar links given to the units (DP-12)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.models import System
from tongyun.core.downloads import attachment
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped

from . import excel, ical, selectors, services
from .forms import LayerForm, OverrideForm, RosterForm
from .views import _errors, _form_errors

TZ = selectors.TZ
FEED_DAYS_BACK, FEED_DAYS_AHEAD = 7, 60  # what a calendar app shows: the last week and two months ahead


def _range(request, default_days: int = 7) -> tuple[dt.datetime, dt.datetime]:
    try:
        first = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        first = timezone.localdate()
    try:
        days = max(1, min(int(request.GET.get("days", default_days)), 366))
    except ValueError:
        days = default_days
    start = dt.datetime.combine(first, dt.time(0), TZ)
    return start, start + dt.timedelta(days=days)


def _roster_systems(user):
    return scoped(System.objects.all(), user)


@login_required
def roster_list(request):
    start, end = _range(request)
    rosters = list(selectors.roster_list(request.user))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        rosters = [r for r in rosters if r.system.unit_id == int(unit)]
    now = timezone.now()
    rows = []
    for roster in rosters:
        schedule = selectors.roster_schedule(roster, start, end)
        current = next((s for s in schedule if s["start"] <= now < s["end"]), None)
        rows.append({"roster": roster, "schedule": schedule, "now": current,
                     "gaps": selectors.roster_gaps(roster, start, end)})
    form = RosterForm(_roster_systems(request.user)) if can(request.user, "staffing.rosters") else None
    return render(request, "staffing/roster_list.html", {"rows": rows, "start": start, "end": end, "form": form})


@login_required
def roster_export(request):
    start, end = _range(request)
    entries = [(r, selectors.roster_schedule(r, start, end)) for r in selectors.roster_list(request.user)]
    return attachment(excel.export_rosters(entries, TZ), "值班表.xlsx")


@login_required
@require_POST
def roster_create(request):
    require(request.user, "staffing.rosters")
    form = RosterForm(_roster_systems(request.user), request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("staffing:rosters")
    roster = services.create_roster(request.user, form.cleaned_data["system"], name=form.cleaned_data["name"],
                                    round_the_clock=form.cleaned_data["round_the_clock"])
    return redirect("staffing:roster_detail", pk=roster.pk)


@login_required
def roster_detail(request, pk: int):
    roster = selectors.roster_get(request.user, pk)
    start, end = _range(request)
    builds = can(request.user, "staffing.rosters")
    people = {p.pk: p for p in selectors.StaffMember.objects.filter(
        pk__in={m for layer in roster.layers.all() for m in layer.members})}
    layers = [{"layer": layer, "members": [people.get(m) for m in layer.members]} for layer in roster.layers.all()]
    return render(request, "staffing/roster_detail.html", {
        "roster": roster, "layers": layers, "start": start, "end": end,
        "schedule": selectors.roster_schedule(roster, start, end),
        "gaps": selectors.roster_gaps(roster, start, end), "phones": True,
        "layer_form": LayerForm() if builds else None, "override_form": OverrideForm() if builds else None,
        "feeds": selectors.roster_feeds_of(request.user, roster)[:10]})


@login_required
@require_POST
def roster_layer_add(request, pk: int):
    roster = selectors.roster_get(request.user, pk)
    form = LayerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        members = sorted(data.pop("members"), key=lambda p: request.POST.getlist("members").index(str(p.pk)))
        try:
            services.add_layer(request.user, roster, members=members, **data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("staffing:roster_detail", pk=roster.pk)


@login_required
@require_POST
def roster_override_add(request, pk: int):
    roster = selectors.roster_get(request.user, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.add_override(request.user, roster, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("staffing:roster_detail", pk=roster.pk)


@login_required
@require_POST
def roster_feed_create(request, pk: int):
    """A new secret iCalendar link of the roster; the old one of this person stops. The link is shown on this
    answer only: the platform keeps its digest, not the link."""
    roster = selectors.roster_get(request.user, pk)
    try:
        feed = services.create_roster_feed(request.user, roster)
    except PermissionDenied:
        raise Http404 from None
    created_url = request.build_absolute_uri(reverse("staffing:roster_feed", kwargs={"token": feed.token}))
    return render(request, "staffing/roster_feed.html", {"roster": roster, "created_url": created_url,
                                                         "feeds": selectors.roster_feeds_of(request.user, roster)[:10]})


@login_required
@require_POST
def roster_feed_revoke(request, pk: int, feed_pk: int):
    roster = selectors.roster_get(request.user, pk)
    services.revoke_roster_feed(request.user, get_object_or_404(selectors.roster_feeds_of(request.user, roster),
                                                                pk=feed_pk))
    messages.success(request, _("订阅链接已撤销。"))
    return redirect("staffing:roster_detail", pk=roster.pk)


def roster_feed(request, token: str):
    """The roster as iCalendar for the unit's calendar app: no login (calendar apps cannot log in), the secret
    link is the key; a wrong or revoked one is a 404."""
    feed = selectors.roster_feed_by_token(token)
    if feed is None:
        raise Http404
    today = dt.datetime.combine(timezone.localdate(), dt.time(0), TZ)
    schedule = selectors.roster_schedule(feed.roster, today - dt.timedelta(days=FEED_DAYS_BACK),
                                         today + dt.timedelta(days=FEED_DAYS_AHEAD))
    response = HttpResponse(ical.roster_calendar(feed.roster, schedule), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="roster.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
