"""What the inspection domain puts on each person's home page (tongyun.core.worklist).

Field staff: their inspections of today and the overdue ones (each a link to the task). Dispatcher and
PM: overdue inspections as a count. Bureau and supervisor: the district's overdue count. The monthly
inspection reports are the report engine's: its work list (drafts due) and the sign-off work list (reports
awaiting the unit's signature) put them on the home page.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.core.worklist import WorkItem
from tongyun.parties.choices import Role

from . import selectors
from .choices import TaskState
from .filters import overdue_q

FIELD_ROLES = frozenset({Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN})
MANAGEMENT = frozenset({Role.DISPATCHER, Role.PROJECT_MANAGER})
OVERSEE = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR})
UNIT_ROLES = frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF})
ROWS = 10


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59), timezone.get_default_timezone())


def _task(group, task, today) -> WorkItem:
    return WorkItem(group, f"{task.system.name} · {task.plan.name}",
                    reverse("inspections:task_detail", args=[task.pk]), due=_end_of(task.due_date),
                    level="danger" if task.due_date < today else "info")


def inspection_items(user) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    role = user.role
    items: list[WorkItem] = []
    if role in FIELD_ROLES:
        mine = selectors.my_tasks(user).exclude(state=TaskState.DONE)
        overdue = mine.filter(overdue_q(today)).order_by("due_date")[:ROWS]
        items += [_task(_("我的逾期巡检"), task, today) for task in overdue]
        due_today = mine.filter(scheduled_for__lte=today, due_date__gte=today).order_by("due_date")[:ROWS]
        items += [_task(_("我今天的巡检"), task, today) for task in due_today]
    if role in MANAGEMENT or role in OVERSEE:
        overdue = selectors.task_list(user).filter(overdue_q(today)).count()
        if overdue:
            items.append(WorkItem(_("巡检"), _("%(n)s 项巡检已逾期") % {"n": overdue},
                                  reverse("inspections:overdue"), level="danger", count=overdue))
    return items
