"""Inspection pages: month calendar, task list and overdue list, task detail with the checklist (phone
first, HTMX per item), plans (list, detail, PM edit, unit approval), completion figures, iCalendar feeds.
The monthly inspection reports are reports of tongyun.reports; their old addresses redirect there.
Views parse input, call selectors (reads, scoped) and services (writes), and render."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tongyun.catalog.choices import Severity
from tongyun.catalog.models import Device, System
from tongyun.core.forms import add_service_errors
from tongyun.core.scoping import scoped

from . import ical, selectors, services
from .choices import MISSED, MISSED_LABEL, ItemKind, Section
from .facts import MONTHLY_REPORT
from .filters import parse_month
from .forms import (
    BulkAssignForm,
    FeedForm,
    PlanFilterForm,
    PlanForm,
    TaskFilterForm,
)
from .models import ChecklistItem, MovedReport
from .tables import PlanTable, TaskTable


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(" ".join(v) for v in error.message_dict.values())
    return "；".join(error.messages)


def _params(request, **extra) -> dict:
    params = {k: v for k, v in request.GET.items() if v not in ("", None)}
    params.update(extra)
    return params


# ---------------------------------------------------------------- calendar and lists


@login_required
def month_calendar(request):
    month = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    try:
        first, _last = parse_month(month)
        weeks = selectors.month_grid(request.user, first, _params(request, month=""))
        error = None
    except ValueError as problem:
        first, weeks, error = timezone.localdate().replace(day=1), [], str(problem)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    # the day's list keeps the calendar's filters
    kept = {k: v for k, v in _params(request).items() if k in ("unit", "system", "assignee", "state", "category")}
    context = {"weeks": weeks, "first": first, "previous": f"{previous:%Y-%m}", "following": f"{following:%Y-%m}",
               "filter_form": TaskFilterForm(request.user, request.GET), "error": error, "missed": MISSED,
               "day_query": urlencode(kept) + "&" if kept else ""}
    return render(request, "inspections/calendar.html", context)


def _task_table(request, params):
    try:
        rows, error = selectors.task_list(request.user, params), None
    except ValueError as problem:
        rows, error = selectors.task_list(request.user).none(), str(problem)
    table = TaskTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return table, error


def _may_assign(user) -> bool:
    return user.is_superuser or user.role in services.ASSIGNERS


@login_required
def task_list(request):
    table, error = _task_table(request, _params(request))
    may_assign = _may_assign(request.user)
    if not may_assign:
        table.exclude = ("pick",)
    context = {"table": table, "error": error, "filter_form": TaskFilterForm(request.user, request.GET),
               "title": _("巡检任务"), "assign_form": BulkAssignForm() if may_assign else None}
    template = "inspections/_table.html" if request.headers.get("HX-Request") else "inspections/task_list.html"
    return render(request, template, context)


@login_required
@require_POST
def task_assign(request):
    """Many tasks (the list's check boxes) → one inspector; back to the list with its filters."""
    form = BulkAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            count = services.assign_tasks(request.user, form.cleaned_data["tasks"], form.cleaned_data["inspector"])
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        except PermissionDenied:
            messages.error(request, _("没有权限分配巡检任务"))
        else:
            messages.success(request, _("已将 %(n)s 个任务分配给 %(who)s") % {"n": count,
                                                                       "who": form.cleaned_data["inspector"]})
    back = request.POST.get("back", "")
    return redirect(reverse("inspections:task_list") + (f"?{back}" if back and "//" not in back else ""))


@login_required
def overdue_list(request):
    table, error = _task_table(request, _params(request, overdue="true"))
    context = {"table": table, "error": error, "filter_form": TaskFilterForm(request.user, request.GET),
               "title": _("逾期巡检")}
    template = "inspections/_table.html" if request.headers.get("HX-Request") else "inspections/task_list.html"
    return render(request, template, context)


# ---------------------------------------------------------------- task detail and checklist


def _item_context(request, task, item, result, error=None) -> dict:
    return {"task": task, "item": item, "result": result, "error": error,
            "may_record": services.may_record(request.user, task),
            "devices": Device.objects.filter(system_id=task.system_id).order_by("kind", "id")[:300],
            "severities": Severity.choices, "kinds": ItemKind}


@login_required
def task_detail(request, pk):
    task = selectors.task_get(request.user, pk)
    results = selectors.results_of(task)
    items = services.checklist_items(task)
    sections = []
    for item in items:
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, Section(item.section).label, []))
        sections[-1][2].append(_item_context(request, task, item, results.get(item.pk)))
    state = selectors.task_state(task)
    context = {"task": task, "sections": sections, "state": state,
               "state_label": MISSED_LABEL if state == MISSED else task.get_state_display(),
               "may_record": services.may_record(request.user, task),
               "missing": services.missing_required(task) if task.state != "done" else [],
               "answered": len(results), "item_count": len(items)}
    return render(request, "inspections/task_detail.html", context)


def _task_item(request, pk, item_id):
    task = selectors.task_get(request.user, pk)
    item = get_object_or_404(ChecklistItem, pk=item_id)
    if item.pk not in {i.pk for i in services.checklist_items(task)}:
        raise Http404
    return task, item


def _result_arguments(request, task) -> dict:
    passed = {"1": True, "0": False}.get(request.POST.get("passed", ""))
    device = None
    if request.POST.get("device", "").isdigit():
        device = Device.objects.filter(pk=int(request.POST["device"]), system_id=task.system_id).first()
    return {"passed": passed, "number": request.POST.get("number") or None, "text": request.POST.get("text", ""),
            "note": request.POST.get("note", ""), "photo": request.FILES.get("photo"), "device": device}


def _render_item(request, task, item, error=None, status=200):
    task.refresh_from_db()
    result = selectors.results_of(task).get(item.pk)
    if request.headers.get("HX-Request"):
        return render(request, "inspections/_item.html", _item_context(request, task, item, result, error),
                      status=status)
    if error:
        messages.error(request, error)
    return redirect("inspections:task_detail", pk=task.pk)


@login_required
@require_POST
def task_item(request, pk, item_id):
    """Record one checklist item (HTMX swaps the item's card)."""
    task, item = _task_item(request, pk, item_id)
    try:
        services.record_result(request.user, task, item, **_result_arguments(request, task))
    except ValidationError as error:
        return _render_item(request, task, item, _errors(error), 422)
    except PermissionDenied:
        return _render_item(request, task, item, _("无权记录此巡检"), 403)
    return _render_item(request, task, item)


@login_required
@require_POST
def task_item_incident(request, pk, item_id):
    """Record the item as failed and open an incident in one action."""
    task, item = _task_item(request, pk, item_id)
    arguments = _result_arguments(request, task)
    arguments.pop("passed")
    severity = request.POST.get("severity") or "general"
    if severity not in Severity.values:
        severity = "general"
    try:
        result = services.fail_item(request.user, task, item, severity=severity, **arguments)
    except ValidationError as error:
        return _render_item(request, task, item, _errors(error), 422)
    except PermissionDenied:
        return _render_item(request, task, item, _("无权记录此巡检"), 403)
    if not request.headers.get("HX-Request"):
        messages.success(request, _("已报障，工单号 %(n)s") % {"n": result.incident.number})
    return _render_item(request, task, item)


@login_required
@require_POST
def task_complete(request, pk):
    task = selectors.task_get(request.user, pk)
    try:
        services.complete_task(request.user, task, note=request.POST.get("note", ""))
        messages.success(request, _("巡检已完成"))
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("无权记录此巡检"))
    return redirect("inspections:task_detail", pk=task.pk)


# ---------------------------------------------------------------- plans


@login_required
def plan_list(request):
    try:
        rows, error = selectors.plan_list(request.user, _params(request)), None
    except ValueError as problem:
        rows, error = selectors.plan_list(request.user).none(), str(problem)
    table = PlanTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"table": table, "error": error, "filter_form": PlanFilterForm(request.GET)}
    template = "inspections/_table.html" if request.headers.get("HX-Request") else "inspections/plan_list.html"
    return render(request, template, context)


def _plan_page(request, plan, form=None, status=200):
    tasks = selectors.task_list(request.user, {"plan": plan.pk}).order_by("scheduled_for")
    upcoming = tasks.filter(scheduled_for__gte=timezone.localdate())[:12]
    may_edit = services.may_edit_plan(request.user, plan)
    context = {"plan": plan, "checklist": services.checklist_for(plan), "upcoming": upcoming,
               "task_total": tasks.count(), "window": services.service_window(plan.system), "may_edit": may_edit,
               "form": form or (PlanForm(instance=plan) if may_edit else None),
               "may_approve": services.may_approve_plan(request.user, plan) and plan.status != "approved"}
    return render(request, "inspections/plan_detail.html", context, status=status)


@login_required
def plan_detail(request, pk):
    return _plan_page(request, selectors.plan_get(request.user, pk))


@login_required
@require_POST
def plan_edit(request, pk):
    """The PM's edit (the form is on the plan's page)."""
    plan = selectors.plan_get(request.user, pk)
    if not services.may_edit_plan(request.user, plan):
        raise PermissionDenied
    form = PlanForm(request.POST, instance=selectors.plan_get(request.user, pk))
    if form.is_valid():
        try:
            outcome = services.update_plan(request.user, plan, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("计划已保存：新增 %(c)s、删除 %(d)s、调整 %(u)s 个未来任务") % {
                "c": outcome.created, "d": outcome.deleted, "u": outcome.updated})
            return redirect("inspections:plan_detail", pk=plan.pk)
    return _plan_page(request, selectors.plan_get(request.user, pk), form=form, status=422)


@login_required
@require_POST
def plan_approve(request, pk):
    plan = selectors.plan_get(request.user, pk)
    try:
        services.approve_plan(request.user, plan)
        messages.success(request, _("计划已审批"))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("inspections:plan_detail", pk=plan.pk)


# ---------------------------------------------------------------- completion


@login_required
def stats(request):
    group_by = request.GET.get("group_by") if request.GET.get("group_by") in ("system", "unit") else "unit"
    params = _params(request)
    params.pop("group_by", None)
    try:
        rows, error = selectors.completion_stats(request.user, params, group_by=group_by), None
    except ValueError as problem:
        rows, error = [], str(problem)
    context = {"rows": rows, "group_by": group_by, "error": error,
               "filter_form": TaskFilterForm(request.user, request.GET)}
    return render(request, "inspections/stats.html", context)


# ---------------------------------------------------------------- iCalendar feeds


@login_required
def feed_list(request):
    """The user's feeds. A new feed's URL is shown on the answer to its creation only: the platform keeps
    its hash, not the URL (a lost URL is revoked and made anew)."""
    form = FeedForm(request.user, request.POST or None)
    created_url = None
    if request.method == "POST" and form.is_valid():
        feed = services.create_feed(request.user, form.cleaned_data.get("system"))
        created_url = request.build_absolute_uri(reverse("inspections:feed", kwargs={"token": feed.token}))
        messages.success(request, _("已创建订阅链接"))
        form = FeedForm(request.user)
    feeds = [(f, request.build_absolute_uri("/inspections/feeds/") + f"{f.token_prefix}…")
             for f in selectors.feeds_of(request.user)]
    return render(request, "inspections/feeds.html", {"form": form, "feeds": feeds, "created_url": created_url})


@login_required
@require_POST
def feed_revoke(request, pk):
    feed = selectors.feed_get(request.user, pk)
    services.revoke_feed(request.user, feed)
    messages.success(request, _("订阅链接已撤销"))
    return redirect("inspections:feeds")


def feed_ics(request, token):
    """The .ics of a feed: no login (calendar apps cannot log in); the secret token is the key."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    if feed.system_id and not scoped(System.objects.filter(pk=feed.system_id), feed.owner).exists():
        raise Http404
    tasks = selectors.feed_tasks(feed)[:2000]
    body = ical.build_calendar(feed, tasks, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="inspections.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# ---------------------------------------------------------------- monthly inspection reports (moved)

# The monthly inspection report is a report of the engine (tongyun.reports, type `inspections.monthly`).
# Old addresses answer with a redirect to the report's page: the id is looked up in MovedReport (filled by
# the data migration); another unit's report is a 404 here as there.
MOVED_TARGETS = {"detail": "reports:detail", "print": "reports:print", "docx": "reports:docx",
                 "xlsx": "reports:xlsx"}


@login_required
def report_list(request):
    return redirect(f"{reverse('reports:list')}?{urlencode({'type': MONTHLY_REPORT})}", permanent=True)


@login_required
def report_moved(request, pk, target="detail", action=None):
    from tongyun.reports import selectors as reports  # the engine's scoped read, never its models

    moved = get_object_or_404(MovedReport, pk=pk)
    report = reports.report_get(request.user, moved.report_id)  # 404 for another unit
    return redirect(reverse(MOVED_TARGETS[target], args=[report.pk]), permanent=True)
