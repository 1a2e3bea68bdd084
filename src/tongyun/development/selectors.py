"""Reads of 开发工作: requests, the caps with their use, and what waits for whom."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.scoping import scoped
from tongyun.core.worklist import WorkItem
from tongyun.domain import effort_caps
from tongyun.parties.choices import Role

from .choices import RequestState
from .models import ChangeRequest, EffortCap
from .services import consumed


def request_list(user, params: dict | None = None) -> QuerySet:
    params = params or {}
    queryset = scoped(ChangeRequest.objects.select_related("system", "system__unit", "requested_by", "replied_by"),
                      user)
    if str(params.get("system") or "").isdigit():
        queryset = queryset.filter(system_id=int(params["system"]))
    if str(params.get("unit") or "").isdigit():
        queryset = queryset.filter(system__unit_id=int(params["unit"]))
    if params.get("state"):
        queryset = queryset.filter(state=params["state"])
    return queryset


def request_get(user, pk: int) -> ChangeRequest:
    return get_object_or_404(request_list(user), pk=pk)


def cap_usage(user, year: int) -> list[dict]:
    """Each visible cap with what the year's approved work used."""
    rows = []
    for cap in scoped(EffortCap.objects.select_related("system", "system__unit"), user):
        used = consumed(cap.system, year)
        rows.append({"cap": cap, "used": used, "remaining": max(cap.person_months - used, 0)})
    return rows


def cap_check_for(request: ChangeRequest, estimate) -> effort_caps.CapCheck | None:
    cap = EffortCap.objects.filter(system=request.system).first()
    if cap is None or not estimate:
        return None
    return effort_caps.check(cap.person_months, consumed(request.system, request.requested_at.year), estimate)


def work_items(user) -> list[WorkItem]:
    if user.role == Role.PROJECT_MANAGER:
        rows = request_list(user, {"state": RequestState.REQUESTED}).order_by("reply_due")[:20]
        now = timezone.now()
        return [WorkItem(group=_("开发需求待答复"), title=f"{r.system.name}：{r.title}",
                         url=reverse("development:detail", args=[r.pk]), due=r.reply_due,
                         level="danger" if r.reply_due < now else "warning") for r in rows]
    if user.role == Role.UNIT_ADMIN:
        rows = request_list(user, {"state": RequestState.DELIVERED})[:20]
        return [WorkItem(group=_("开发需求待验收"), title=f"{r.system.name}：{r.title}",
                         url=reverse("development:detail", args=[r.pk]), due=r.delivered_at) for r in rows]
    return []
