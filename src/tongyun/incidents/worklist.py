"""What the incident domain puts on each person's home page (tongyun.core.worklist).

Dispatcher and PM: the queues the board shows (unassigned, at risk, breached), as counts that open the
filtered list, plus the oldest unassigned tickets. Field staff: their open tickets, by deadline. A user
unit: its open tickets and those waiting for its confirmation. Every query goes through the scoped
selectors, so a unit only ever counts its own tickets.
"""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.core.worklist import WorkItem
from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.parties.choices import Role

from . import selectors
from .filters import at_risk_q, breached_q

QUEUES = (("unassigned", _("%(n)s 张工单待派单"), "warning"),
          ("at_risk", _("%(n)s 张工单即将超时"), "warning"),
          ("breached", _("%(n)s 张未完成工单已超时"), "danger"))
DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.PROJECT_MANAGER})
OVERSEE_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR})
ROWS = 10  # one-object items per group: the rest is one tap away in the list


def _list_url(**params) -> str:
    return reverse("incidents:list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _due(incident) -> dt.datetime | None:
    """The next deadline that still runs: response before acknowledgement, then repair."""
    if incident.acknowledged_at is None and incident.response_due:
        return incident.response_due
    return incident.repair_due or incident.restore_due


def _ticket(group, incident, now) -> WorkItem:
    due = _due(incident)
    level = "danger" if due and due < now else ("warning" if incident.state == lifecycle.REPORTED else "info")
    return WorkItem(group, f"{incident.number} {incident.title} · {incident.system.name} · "
                           f"{incident.get_state_display()}",
                    reverse("incidents:detail", args=[incident.pk]), due=due, level=level)


def queue_counts(user, now: dt.datetime | None = None) -> dict[str, int]:
    """Open tickets the user may see, per queue of the dispatcher board."""
    now = now or timezone.now()
    # one pass over the open tickets (an index-only scan of incident_open_counts), not one count per queue;
    # sorted: the partial index's own IN list (SQLite uses it only on an exact match)
    open_incidents = selectors.incident_list(user).filter(state__in=sorted(lifecycle.OPEN_STATES))
    return open_incidents.aggregate(unassigned=Count("pk", filter=Q(assignee__isnull=True)),
                                    at_risk=Count("pk", filter=at_risk_q(now)),
                                    breached=Count("pk", filter=breached_q(now)))


def incident_items(user) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    role = user.role
    items: list[WorkItem] = []
    if role in DISPATCH_ROLES or role in OVERSEE_ROLES:
        group = _("故障工单")
        counts = queue_counts(user, now)
        for key, title, level in QUEUES:
            if counts[key]:
                items.append(WorkItem(group, title % {"n": counts[key]}, _list_url(clock=key), level=level,
                                      count=counts[key]))
    if role in DISPATCH_ROLES:
        unassigned = (selectors.incident_list(user).filter(state__in=lifecycle.OPEN_STATES, assignee__isnull=True)
                      .order_by("response_due", "reported_at")[:ROWS])
        items += [_ticket(_("待派单"), incident, now) for incident in unassigned]
    if role in lifecycle.FIELD:
        items += [_ticket(_("我的工单"), incident, now) for incident in selectors.my_queue(user)[:50]]
    if role in lifecycle.UNIT:
        incidents = selectors.incident_list(user)
        waiting = incidents.filter(state=lifecycle.RESOLVED).order_by("resolved_at")[:ROWS]
        items += [WorkItem(_("待我确认修复"), f"{i.number} {i.title} · {i.system.name}",
                           reverse("incidents:detail", args=[i.pk]), level="warning") for i in waiting]
        mine = incidents.filter(state__in=lifecycle.OPEN_STATES).order_by("-reported_at")[:ROWS]
        items += [_ticket(_("本单位未完成工单"), incident, now) for incident in mine]
    return items
