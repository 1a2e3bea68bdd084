"""Live status pages (per system, overview, 大屏) and the check management page. Views parse input, call
selectors (tongyun.monitoring.status, scoped) and services (tongyun.monitoring.checks), and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.choices import Category
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can

from . import checks, status
from .check_forms import BulkCheckForm, CheckForm

POLL_SECONDS = 15


def _poll_seconds(request) -> int:
    """The refresh period; ?refresh=N (at least 2 s) for a wall that should move faster."""
    try:
        return max(2, min(600, int(request.GET.get("refresh", POLL_SECONDS))))
    except ValueError:
        return POLL_SECONDS


# ---------------------------------------------------------------- status


@login_required
def status_index(request):
    q = request.GET.get("q", "")[:100]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    offline = request.GET.get("offline") == "1"
    rows = status.status_overview(request.user, q=q, category=category, offline_only=offline)
    return render(request, "monitoring/status_index.html",
                  {"rows": rows, "q": q, "category": category, "offline": offline, "categories": Category.choices})


@login_required
def system_status(request, pk):
    system = status.system_get(request.user, pk)
    context = status.system_status(request.user, system)
    context.update({"poll_seconds": _poll_seconds(request), "may_manage": can(request.user, "monitoring.checks")})
    template = "monitoring/_status.html" if request.headers.get("HX-Request") else "monitoring/status.html"
    return render(request, template, context)


@login_required
def wall(request):
    labels = {"noData": _("无数据"), "noOffline": _("无离线设备"), "rate": _("在线率"), "count": _("工单数"),
              "up": _("在线"), "down": _("离线"), "unknown": _("未知")}
    return render(request, "monitoring/wall.html", {"data": status.wall_data(request.user), "labels": labels,
                                                    "poll_seconds": _poll_seconds(request)})


@login_required
def wall_data(request):
    return JsonResponse(status.wall_data(request.user), json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------- checks


def _system_filter(request) -> int | None:
    value = request.GET.get("system", "")
    return int(value) if value.isdigit() else None


@login_required
def check_list(request):
    """The checks the user may see (?system=); the bureau and the PM add checks here (POST)."""
    may_manage = can(request.user, "monitoring.checks")
    system_id = _system_filter(request)
    form = None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = CheckForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                check = checks.create_check(request.user, system=form.cleaned_data["system"],
                                            **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已添加检测：%(check)s") % {"check": check})
                return redirect(f"{reverse('monitoring:checks')}?system={check.system_id}")
    elif may_manage:
        form = CheckForm(user=request.user, initial={"system": system_id, "interval_seconds": 300,
                                                     "timeout_seconds": 5, "enabled": True})
    checks_page = Paginator(status.check_list(request.user, system_id), 100).get_page(request.GET.get("page"))
    system = None
    if system_id:
        system = status.check_systems(request.user).filter(pk=system_id).first()
    return render(request, "monitoring/checks.html", {
        "page": checks_page, "form": form, "may_manage": may_manage, "system": system,
        "systems": status.check_systems(request.user) if not system_id else None,
        "bulk_form": BulkCheckForm() if may_manage and system else None,
    })


@login_required
def check_detail(request, pk):
    """A check and its last result; the bureau and the PM edit it here (POST)."""
    check = status.check_get(request.user, pk)
    may_manage = can(request.user, "monitoring.checks")
    form = CheckForm(user=request.user, instance=check) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = CheckForm(request.POST, user=request.user, instance=check)
        if form.is_valid():
            try:
                checks.update_check(request.user, check, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("检测已保存"))
                return redirect("monitoring:check_detail", pk=check.pk)
    return render(request, "monitoring/check_detail.html", {"check": check, "form": form, "may_manage": may_manage})


@login_required
@require_POST
def check_toggle(request, pk):
    check = status.check_get(request.user, pk)
    checks.set_enabled(request.user, check, not check.enabled)
    messages.success(request, _("检测已启用") if check.enabled else _("检测已停用"))
    return redirect(f"{reverse('monitoring:checks')}?system={check.system_id}")


@login_required
@require_POST
def check_bulk(request, pk):
    """One check per device of the system with an IP address (and no check of that kind yet)."""
    system = status.system_get(request.user, pk)
    if not can(request.user, "monitoring.checks"):
        raise PermissionDenied
    form = BulkCheckForm(request.POST)
    if form.is_valid():
        try:
            created = checks.bulk_create_checks(request.user, system, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已为 %(n)s 台设备添加检测") % {"n": created})
    else:
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                                         for f, e in form.errors.items()))
    return redirect(f"{reverse('monitoring:checks')}?system={system.pk}")
