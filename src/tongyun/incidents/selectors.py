"""Reads of the incident domain, all through tongyun.core.scoping.scoped()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from tongyun.catalog.models import Assignment, Device, SlaTerm, System
from tongyun.core.filtering import filtered
from tongyun.core.scoping import scoped
from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.domain.calendar_facts import CC_FIRST_YEAR, CC_LAST_YEAR
from tongyun.domain.working_calendar import CalendarUnknown
from tongyun.parties.selectors import staff_list

from . import clocks
from .choices import ClockKind
from .filters import IncidentFilterSet, at_risk_q, breached_q
from .models import (
    BusinessHours,
    CalendarDay,
    CalendarYear,
    Incident,
    IncidentAttachment,
    IncidentEvent,
    MajorEventPeriod,
    Notification,
)
from .services import FIELD_ROLES


def incident_list(user, params=None) -> QuerySet[Incident]:
    incidents = scoped(Incident.objects.select_related("system", "system__unit", "assignee", "device"), user)
    return filtered(IncidentFilterSet, incidents, params)


def incident_get(user, pk: int) -> Incident:
    return get_object_or_404(
        scoped(Incident.objects.select_related("system", "system__unit", "assignee", "device", "reported_by"), user),
        pk=pk)


def timeline(incident: Incident) -> QuerySet[IncidentEvent]:
    return incident.events.select_related("actor")


def clock_summary(incident: Incident, now: dt.datetime | None = None) -> list[dict]:
    """Each clock of the ticket: its target (as written), due moment, state and seconds left."""
    now = now or timezone.now()
    targets = (incident.policy or {}).get("targets", {})
    rows = []
    for kind in clocks.CLOCKS:
        due = getattr(incident, f"{kind}_due")
        if kind not in targets and due is None:
            continue
        state = clocks.clock_state(incident, kind, now)
        rows.append({
            "kind": str(kind), "label": str(ClockKind(kind).label), "target": targets.get(kind, ""), "due": due,
            "state": state, "seconds_left": int((due - now).total_seconds()) if due else None,
            "risk_at": getattr(incident, f"{kind}_risk_at", None), "done_at": _done_at(incident, kind),
        })
    return rows


def available_actions(user, incident: Incident) -> list[str]:
    """The actions the user may take now. 到达现场 is left out once the arrival is recorded: in progress
    after arriving, "arrive" would change nothing (the service keeps the first arrival)."""
    actions = lifecycle.available(incident.state, user.role, is_assignee=incident.assignee_id == user.pk)
    return [a for a in actions if not (a == "arrive" and incident.arrived_at is not None)]


# The action a person most likely takes next, first: it gets the primary card, the others are folded.
NEXT_ACTION_ORDER = ("acknowledge", "arrive", "start", "resolve", "resume", "confirm", "close", "dispatch",
                     "triage", "wait_parts", "wait_vendor", "wait_user", "reopen", "cancel")


def next_action_first(actions: list[str], incident: Incident) -> list[str]:
    """The actions in the order a person takes them; an unassigned ticket's next step is its dispatch."""
    order = NEXT_ACTION_ORDER
    if incident.assignee_id is None and "dispatch" in actions:
        order = ("dispatch", *order)
    rank = {name: index for index, name in enumerate(dict.fromkeys(order))}
    return sorted(actions, key=lambda name: rank.get(name, len(rank)))


# What a board card shows (incidents/_card.html, the clock cells): the rest of a ticket's ~40 columns, its
# device and its system's ~30 tender columns are left in the database — 150 cards, three columns of 50.
CARD_FIELDS = ("reported_at", "title", "severity", "state", "policy", "calendar_unknown_year", "paused_since",
               "acknowledged_at", "arrived_at", "resolved_at", "response_due", "response_risk_at", "repair_due",
               "repair_risk_at", "system__name", "system__unit__name", "assignee__full_name", "assignee__username")


def dispatcher_board(user, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    incidents = incident_list(user)
    # sorted: the same IN list as the partial indexes' condition (SQLite uses one only on an exact match)
    open_incidents = incidents.filter(state__in=sorted(lifecycle.OPEN_STATES))
    cards = open_incidents.select_related(None).select_related("system__unit", "assignee").only(*CARD_FIELDS)
    # one index-only scan (incident_open_counts) gives both the severity cards and the open count
    by_severity = dict(open_incidents.values_list("severity").annotate(n=Count("*")).order_by())
    return {
        "unassigned": list(cards.filter(assignee__isnull=True).order_by("response_due")[:50]),
        "at_risk": list(cards.filter(at_risk_q(now)).order_by("repair_due")[:50]),
        "breached": list(cards.filter(breached_q(now)).order_by("repair_due")[:50]),
        "by_severity": by_severity,
        "open_count": sum(by_severity.values()),
    }


def my_queue(user) -> QuerySet[Incident]:
    """The open tickets assigned to the user, most urgent first."""
    return incident_list(user).filter(assignee=user, state__in=lifecycle.OPEN_STATES).order_by("repair_due",
                                                                                               "response_due")


def notification_list(user, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first; `closed_by_name` names who closed the ticket (for
    the "closed" kind, the unit is told who closed what it confirmed)."""
    closer = (IncidentEvent.objects.filter(incident=OuterRef("incident_id"), action="close")
              .order_by("-at", "-id"))
    notifications = (Notification.objects.filter(recipient=user, channel="in_app").select_related("incident")
                     .annotate(closed_by_name=Subquery(closer.values("actor__full_name")[:1]),
                               closed_by_login=Subquery(closer.values("actor__username")[:1])))
    if unread is not None:
        notifications = notifications.filter(read_at__isnull=unread)
    return notifications


def undeliverable_notifications(user) -> QuerySet[Notification]:
    """Notifications whose delivery was given up (permanent error, or the last attempt failed), newest
    first: what the administrator fixes (an e-mail address, a channel's configuration)."""
    return (scoped(Notification.objects.filter(given_up_at__isnull=False, sent_at__isnull=True), user)
            .select_related("incident__system", "recipient").order_by("-given_up_at", "-id"))


def major_event_periods() -> QuerySet[MajorEventPeriod]:
    return MajorEventPeriod.objects.prefetch_related("systems")


def working_days(start: dt.date, end: dt.date) -> list[dict]:
    """Each date from start to end: working or not (with the holiday's name), or unknown."""
    calendar = clocks.working_calendar()
    days = []
    day = start
    while day <= end:
        try:
            info = calendar.day_info(day)
            days.append({"date": day, "is_working": info.is_working, "name": info.name or "", "known": True})
        except CalendarUnknown:
            days.append({"date": day, "is_working": None, "name": "", "known": False})
        day += dt.timedelta(days=1)
    return days


def calendar_declarations() -> dict:
    return {"years": list(CalendarYear.objects.all()), "days": list(CalendarDay.objects.all())}




# ---------------------------------------------------------------- for the pages


def open_incident_count(user) -> int:
    """How many of the tickets the user may see are still open (home page card)."""
    return incident_list(user).filter(state__in=sorted(lifecycle.OPEN_STATES)).count()


def unread_notification_count(user) -> int:
    return notification_list(user).filter(read_at__isnull=True).count()


def unread_notification_ids(user) -> list[int]:
    return list(notification_list(user).filter(read_at__isnull=True).values_list("pk", flat=True))


# ---------------------------------------------------------------- the inbox: every notification of a person

INBOX_PREFIX = "【统运】"


@dataclass
class InboxItem:
    key: str  # the incidents' notification: its id (as before); another kind: "<app_label.model>:<id>"
    created_at: dt.datetime
    read_at: dt.datetime | None
    title: str
    url: str
    incident_notification: Notification | None = None  # drawn with the ticket's details


def inbox_key(model, pk: int) -> str:
    return str(pk) if model is Notification else f"{model._meta.label_lower}:{pk}"


def _in_app(model, user):
    return model.objects.filter(recipient=user, channel="in_app")


def inbox_rows(user) -> QuerySet:
    """Every in-app notification of the user — the incidents' and every registered Deliverable's — as one
    query (a UNION of (kind, id, created_at)), newest first: what the inbox pages through."""
    from .services import deliverables

    parts = [_in_app(model, user).annotate(source=Value(model._meta.label_lower, output_field=CharField()))
             .values_list("source", "pk", "created_at").order_by() for model, _related, _render in deliverables()]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("-created_at", "-pk")


def inbox_items(user, rows) -> list[InboxItem]:
    """The items of a page of inbox_rows, each drawn by its domain (render's subject, get_absolute_url)."""
    from .services import deliverables

    wanted: dict[str, list[int]] = {}
    for source, pk, _created in rows:
        wanted.setdefault(source, []).append(pk)
    found: dict[tuple[str, int], InboxItem] = {}
    for model, related, render in deliverables():
        source = model._meta.label_lower
        if source not in wanted:
            continue
        if model is Notification:
            for n in notification_list(user).filter(pk__in=wanted[source]):
                found[source, n.pk] = InboxItem(inbox_key(model, n.pk), n.created_at, n.read_at,
                                                f"{n.incident.number} {n.incident.title}",
                                                reverse("incidents:detail", args=[n.incident_id]), n)
            continue
        for row in _in_app(model, user).select_related(*related).filter(pk__in=wanted[source]):
            subject, _body = render(row)
            url = row.get_absolute_url() if hasattr(row, "get_absolute_url") else ""
            found[source, row.pk] = InboxItem(inbox_key(model, row.pk), row.created_at, row.read_at,
                                              subject.removeprefix(INBOX_PREFIX), url)
    return [found[source, pk] for source, pk, _created in rows if (source, pk) in found]


def unread_inbox_count(user) -> int:
    """The badge: the user's unread in-app notifications of every kind (what the inbox lists)."""
    from .services import deliverables

    return sum(_in_app(model, user).filter(read_at__isnull=True).count() for model, _r, _m in deliverables())


def _done_at(incident: Incident, kind: str) -> dt.datetime | None:
    """When the clock was stopped by its action (acknowledge, arrive, resolve)."""
    return {ClockKind.RESPONSE: incident.acknowledged_at, ClockKind.ARRIVAL: incident.arrived_at,
            ClockKind.REPAIR: incident.resolved_at, ClockKind.RESTORE: incident.resolved_at}[kind]


def clock_cell(incident: Incident, kind: str, now: dt.datetime | None = None) -> dict:
    """One clock of one ticket for a list cell: due and risk moments, state, when met (no query)."""
    now = now or timezone.now()
    return {"kind": kind, "label": str(ClockKind(kind).label), "due": getattr(incident, f"{kind}_due"),
            "risk_at": getattr(incident, f"{kind}_risk_at", None), "done_at": _done_at(incident, kind),
            "state": clocks.clock_state(incident, kind, now)}


def dispatch_candidates(incident: Incident) -> QuerySet:
    """Field staff a ticket may be dispatched to; those assigned to its system first (only they see it)."""
    assigned = Assignment.objects.filter(system_id=incident.system_id, user=OuterRef("pk"))
    open_tickets = Count("assigned_incidents", filter=Q(assigned_incidents__state__in=lifecycle.OPEN_STATES),
                         distinct=True)
    return (staff_list().filter(role__in=FIELD_ROLES).annotate(assigned_here=Exists(assigned),
                                                              open_tickets=open_tickets)
            .order_by("-assigned_here", "role", "username"))


def sla_tiers(incident: Incident) -> list[tuple[str, str]]:
    """The SLA terms of the ticket's system as (tier_key, label), for reclassification."""
    return [(t.tier_key, t.tier_label or t.get_severity_display())
            for t in SlaTerm.objects.filter(system_id=incident.system_id).order_by("position")]


def report_devices(user, system: System) -> QuerySet[Device]:
    """The devices of a system the user may see, to name the faulty one in a report."""
    return scoped(Device.objects.filter(system=system), user).order_by("kind", "model", "pk")


def attachment_get(user, pk: int) -> IncidentAttachment:
    return get_object_or_404(scoped(IncidentAttachment.objects.all(), user), pk=pk)


DEVICE_MATCHES = 20


def device_search(user, query: str, system_id: int | None = None, limit: int = DEVICE_MATCHES) -> list[Device]:
    """At most `limit` devices the user may see whose code starts with the query, or whose name or location
    holds it (a report names the faulty device among thousands).

    Codes first, by a range on the unique code index (`code >= q and code < q + U+10FFFF`, which any btree
    serves whatever the collation, unlike LIKE); then names and locations, bounded by the user's systems
    (the system index) and the limit."""
    query = query.strip()[:64]
    if not query:
        return []
    devices = scoped(Device.objects.select_related("system"), user)
    if system_id is not None:
        devices = devices.filter(system_id=system_id)
    by_code = list(devices.filter(code__gte=query, code__lt=query + "\U0010ffff").order_by("code")[:limit])
    if len(by_code) < limit:
        seen = [d.pk for d in by_code]
        by_words = (devices.filter(Q(name__icontains=query) | Q(location__icontains=query) | Q(code__iexact=query))
                    .exclude(pk__in=seen).order_by("system_id", "id")[:limit - len(by_code)])
        by_code += list(by_words)
    return by_code


# ---------------------------------------------------------------- SLA settings pages


def chinese_calendar_years() -> tuple[int, int]:
    """The first and last year whose official arrangement chinesecalendar ships with."""
    return CC_FIRST_YEAR, CC_LAST_YEAR


def calendar_overview(today: dt.date | None = None) -> dict:
    """The declared years with their days, the single-day corrections, and which years the calendar knows:
    chinesecalendar's range, the declared ones, and whether this year and the next are known."""
    today = today or timezone.localdate()
    declarations = calendar_declarations()
    declared = {year.year for year in declarations["years"]}
    first, last = chinese_calendar_years()

    def known(year: int) -> bool:
        return year in declared or first <= year <= last

    return {
        "years": [{"year": year, "days": [d for d in declarations["days"]
                                          if d.date.year == year.year and not d.is_correction]}
                  for year in reversed(declarations["years"])],
        "corrections": [d for d in declarations["days"] if d.is_correction],
        "chinese_calendar_first": first, "chinese_calendar_last": last,
        "this_year": today.year, "this_year_known": known(today.year),
        "next_year": today.year + 1, "next_year_known": known(today.year + 1),
    }


def business_hours_list(user) -> QuerySet[BusinessHours]:
    """The systems with business hours other than the default, in tender order."""
    return scoped(BusinessHours.objects.select_related("system", "system__unit"), user).order_by("system__row_no")


def major_event_systems(period: MajorEventPeriod) -> QuerySet[System]:
    """The systems a major-event period applies to (all of them, or those it names)."""
    return System.objects.all() if period.all_systems else period.systems.all()
