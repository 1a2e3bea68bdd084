"""What waits for the PM in the staffing domain (home page, tongyun.core.worklist)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.permissions import can
from tongyun.core.worklist import WorkItem
from tongyun.parties.choices import Role

from . import selectors


def staffing_items(user) -> list[WorkItem]:
    if not can(user, "staffing.manage"):
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    expiring = list(selectors.expiring_certificates(today)[:50])
    if expiring:
        items.append(WorkItem(_("人员与值班"), _("%(n)s 本证书 30 天内到期或已过期") % {"n": len(expiring)},
                              reverse("staffing:staff_list"), level="warning", count=len(expiring)))
    short = [r for r in selectors.compliance(today) if not r.met]
    if short:
        names = "、".join(r.label for r in short)
        items.append(WorkItem(_("人员与值班"), _("岗位配置不达标：%(rules)s") % {"rules": names},
                              reverse("staffing:staff_list"), level="danger", count=len(short)))
    if not selectors.safety_held(today):
        items.append(WorkItem(_("人员与值班"), _("本月尚未开展安全教育"), reverse("staffing:safety"), level="warning",
                              due=dt.datetime.combine(selectors.month_days(today)[-1], dt.time(23, 59),
                                                      timezone.get_default_timezone())))
    return items


def on_duty_items(user) -> list[WorkItem]:
    """The dispatcher's "on duty now": who to call for which system (each a link to the roster)."""
    if user.role != Role.DISPATCHER:
        return []
    return [WorkItem(_("当前值班"), f"{roster.system.name} · {roster.name}：{person}",
                     reverse("staffing:roster_detail", args=[roster.pk]))
            for roster, person in selectors.on_duty_now(user)]
