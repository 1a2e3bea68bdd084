"""Availability pages: the monthly table per system or per unit (with targets and shortfalls) and its
Excel export, the per-device drill-down, maintenance windows and accepted outages (list, request,
approve / reject), evidence download and the manual outage form. Views parse input, call selectors
(reads, scoped) and services (writes), and render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongyun.catalog.models import System
from tongyun.core.downloads import attachment
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped

from . import excel, selectors, services
from .forms import AcceptedOutageForm, DecisionForm, MonthForm, OutageForm, RequestFilterForm, WindowForm


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(" ".join(v) for v in error.message_dict.values())
    return "；".join(error.messages)


def _month(request):
    value = request.GET.get("month") or f"{selectors.current_month():%Y-%m}"
    return selectors.parse_month(value)


def _system_from(request, user) -> System | None:
    value = request.GET.get("system") or request.POST.get("system")
    if not str(value or "").isdigit():
        return None
    return scoped(System.objects.filter(pk=int(value)), user).first()


# ---------------------------------------------------------------- monthly figures


def _table_params(request) -> dict:
    return {k: request.GET.get(k) for k in ("unit", "system", "category") if request.GET.get(k)}


@login_required
def monthly(request):
    require(request.user, "availability.view")
    group_by = request.GET.get("group_by") if request.GET.get("group_by") in selectors.GROUPINGS else "system"
    form = MonthForm(request.GET or None)
    try:
        month = _month(request)
        table = selectors.availability_table(request.user, month, group_by, _table_params(request))
        error = None
    except ValidationError as problem:
        month, table, error = selectors.current_month(), None, _errors(problem)
    except ValueError as problem:
        month, table, error = selectors.current_month(), None, str(problem)
    query = request.GET.copy()
    query["month"] = f"{month:%Y-%m}"
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    chart = None
    if table and group_by == "system":
        shown = [r for r in table["rows"] if r["availability"] is not None][:60]
        chart = {"labels": [r["system"] for r in shown], "values": [r["availability"] for r in shown],
                 "targets": [r["target"] for r in shown]}
    context = {"table": table, "group_by": group_by, "month": month, "form": form, "error": error,
               "export_query": query.urlencode(), "previous": f"{previous:%Y-%m}",
               "following": f"{following:%Y-%m}", "chart": chart}
    return render(request, "availability/monthly.html", context, status=400 if error else 200)


@login_required
def export(request):
    require(request.user, "availability.view")
    try:
        month = _month(request)
        content = excel.export_workbook(request.user, month=month, params=_table_params(request))
    except ValidationError as problem:
        return HttpResponse(_errors(problem), status=400)
    except ValueError as problem:
        return HttpResponse(str(problem), status=400)
    return attachment(content, f"availability-{month:%Y-%m}.xlsx")


@login_required
@require_GET
def system_devices(request, pk):
    system = selectors.system_get(request.user, pk)
    try:
        month = _month(request)
    except ValidationError as problem:
        messages.error(request, _errors(problem))
        month = selectors.current_month()
    table = selectors.device_table(request.user, system, month)
    return render(request, "availability/devices.html", {
        "system": system, "table": table, "month": month,
        "may_record": services.may_record_outage(request.user)})


# ---------------------------------------------------------------- maintenance windows


def _request_list(request, rows_of, template, extra, may_decide):
    form = RequestFilterForm(request.user, request.GET or None)
    params = {k: v for k, v in request.GET.items() if v and k in ("state", "system", "month", "unit")}
    try:
        rows, error = list(rows_of(request.user, params)[:500]), None
    except ValidationError as problem:
        rows, error = [], _errors(problem)
    except ValueError as problem:
        rows, error = [], str(problem)
    for row in rows:
        row.may_decide = row.state == "requested" and may_decide(request.user, row)
    return render(request, template, {"rows": rows, "filter_form": form, "error": error,
                                      "decision_form": DecisionForm(), **extra})


@login_required
def windows(request):
    return _request_list(request, selectors.window_list, "availability/windows.html",
                         {"may_request": services.may_request_window(request.user)}, services.may_decide_window)


def _new_request(request, form_class, template, create, title):
    system = _system_from(request, request.user)
    form = form_class(request.user, request.POST or None, request.FILES or None, system=system)
    if request.method == "POST" and system is not None and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("system")
        try:
            obj = create(request.user, system, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return obj
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"form": form, "system": system, "title": title}, status=status)


@login_required
def window_create(request):
    if not services.may_request_window(request.user):
        raise PermissionDenied
    outcome = _new_request(request, WindowForm, "availability/request_form.html", services.request_window,
                           _("申请维护窗口"))
    if hasattr(outcome, "pk"):
        messages.success(request, _("维护窗口已提交，待用户单位或甲方审批"))
        return redirect("availability:windows")
    return outcome


def _decision(request, obj, decide, success, back):
    """Approve or reject (the object was found through scoping: another unit's is already a 404)."""
    note = request.POST.get("note", "")
    try:
        decide(request.user, obj, note)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        raise PermissionDenied(_("无权审批此申请")) from None
    return redirect(back)


@login_required
@require_POST
def window_approve(request, pk):
    window = selectors.window_get(request.user, pk)
    return _decision(request, window, services.approve_window, _("维护窗口已批准"), "availability:windows")


@login_required
@require_POST
def window_reject(request, pk):
    window = selectors.window_get(request.user, pk)
    return _decision(request, window, services.reject_window, _("维护窗口已驳回"), "availability:windows")


# ---------------------------------------------------------------- accepted outages


@login_required
def accepted(request):
    return _request_list(request, selectors.accepted_list, "availability/accepted.html",
                         {"may_request": services.may_request_acceptance(request.user)},
                         services.may_decide_acceptance)


@login_required
def accepted_create(request):
    if not services.may_request_acceptance(request.user):
        raise PermissionDenied
    outcome = _new_request(request, AcceptedOutageForm, "availability/request_form.html",
                           services.request_acceptance, _("申请认可停机（不可抗力、施工）"))
    if hasattr(outcome, "pk"):
        messages.success(request, _("已提交，待甲方认可"))
        return redirect("availability:accepted")
    return outcome


@login_required
@require_POST
def accepted_approve(request, pk):
    obj = selectors.accepted_get(request.user, pk)
    return _decision(request, obj, services.approve_acceptance, _("已认可该停机"), "availability:accepted")


@login_required
@require_POST
def accepted_reject(request, pk):
    obj = selectors.accepted_get(request.user, pk)
    return _decision(request, obj, services.reject_acceptance, _("已驳回"), "availability:accepted")


@login_required
@require_GET
def evidence(request, pk):
    obj = selectors.accepted_get(request.user, pk)
    if not obj.evidence:
        raise Http404
    try:
        handle = obj.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = obj.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# ---------------------------------------------------------------- outages recorded by hand


@login_required
def outage_create(request):
    if not services.may_record_outage(request.user):
        raise PermissionDenied
    system = _system_from(request, request.user)
    if system is None:
        systems = scoped(System.objects.filter(devices__isnull=False).distinct().order_by("row_no"), request.user)
        return render(request, "availability/outage_form.html", {"system": None, "systems": systems})
    form = OutageForm(request.user, system, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outage = services.record_outage(request.user, data["device"], start=data["start"], end=data["end"],
                                            fault=data["fault"], cause=data["cause"], note=data["note"],
                                            incident=data["incident"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("停机已登记"))
            url = reverse("availability:system_devices", args=[system.pk])
            return redirect(f"{url}?month={selectors.current_month(outage.start):%Y-%m}")
    status = 422 if request.method == "POST" else 200
    return render(request, "availability/outage_form.html", {"system": system, "form": form}, status=status)
