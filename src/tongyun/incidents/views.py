"""Incident pages: list, report, detail with its actions, dispatcher board, my queue, notifications;
the SLA settings (working calendar, business hours, 重保期) and the compliance report.
Views parse input, call selectors (reads, scoped) and services (writes), and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.choices import Severity
from tongyun.core.downloads import attachment
from tongyun.core.excel import Problem, WorkbookInvalid, write_workbook
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can
from tongyun.staffing import selectors as staffing_selectors

from . import calendar_io, compliance, selectors, services
from .choices import ClockKind, ClockState, EventKind, IncidentAction, IncidentSource, IncidentState
from .excel import export_compliance_workbook
from .forms import (
    ActionForm,
    BusinessHoursForm,
    CalendarImportForm,
    CommentForm,
    ComplianceForm,
    CorrectionForm,
    IncidentFilterForm,
    MajorEventForm,
    ReclassifyForm,
)
from .models import MajorEventPeriod
from .report_views import attachment_file, device_search, incident_report, may_report  # noqa: F401
from .tables import IncidentTable
from .templatetags.incident_tags import countdown_parts

# Actions the queue offers as one tap; the others need a form (detail page).
ONE_TAP = ("acknowledge", "arrive", "start", "resume", "wait_user", "wait_vendor", "wait_parts")


def _may_reclassify(user, incident) -> bool:
    return ((user.is_superuser or user.role in services.MAY_RECLASSIFY)
            and incident.state not in (IncidentState.CLOSED, IncidentState.CANCELLED))


def _safe_next(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


# ---------------------------------------------------------------- list, report


@login_required
def incident_list(request):
    try:
        rows = selectors.incident_list(request.user, request.GET)
        error = None
    except ValueError as problem:
        rows, error = selectors.incident_list(request.user).none(), str(problem)
    table = IncidentTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"table": table, "filter_form": IncidentFilterForm(request.user, request.GET), "error": error,
               "may_report": may_report(request.user)}
    template = "incidents/_table.html" if request.headers.get("HX-Request") else "incidents/list.html"
    return render(request, template, context)


# ---------------------------------------------------------------- detail and its forms


def _state_label(code: str) -> str:
    return str(IncidentState(code).label) if code in IncidentState.values else code


def _local(iso: str | None) -> str:
    moment = parse_datetime(iso) if iso else None
    if moment is None:
        return "—"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _event_details(event, system_names: dict) -> list[str]:
    """Readable lines for the data of a timeline event."""
    data = event.data or {}
    lines = []
    if "source" in data:
        source = data["source"]
        lines.append(_("来源：%(s)s") % {"s": IncidentSource(source).label if source in IncidentSource.values
                                              else source})
    if "reported_at" in data and event.action == "report":
        lines.append(_("报障时间：%(t)s") % {"t": _local(data["reported_at"])})
    if "assignee" in data:
        lines.append(_("处理人：%(u)s") % {"u": data["assignee"]})
    before, after = data.get("before") or {}, data.get("after") or {}
    for key in ("severity", "tier_key", "system", "device"):
        if key in before and before.get(key) != after.get(key):
            old, new = before.get(key), after.get(key)
            if key == "severity":
                old, new = (str(Severity(v).label) if v in Severity.values else v for v in (old, new))
                lines.append(_("故障等级：%(a)s → %(b)s") % {"a": old, "b": new})
            elif key == "tier_key":
                lines.append(_("时限条款：%(a)s → %(b)s") % {"a": old or "—", "b": new or "—"})
            elif key == "system":
                lines.append(_("系统：%(a)s → %(b)s") % {"a": system_names.get(old, f"#{old}"),
                                                       "b": system_names.get(new, f"#{new}")})
            else:
                lines.append(_("设备：%(a)s → %(b)s") % {"a": f"#{old}" if old else "—",
                                                       "b": f"#{new}" if new else "—"})
    for kind, (old, new) in (data.get("deadlines") or {}).items():
        label = ClockKind(kind).label if kind in ClockKind.values else kind
        lines.append(_("%(clock)s时限：%(a)s → %(b)s") % {"clock": label, "a": _local(old), "b": _local(new)})
    return lines


def _timeline(user, incident) -> list[dict]:
    events = list(selectors.timeline(incident))
    system_ids = {v for e in events for side in ("before", "after") for k, v in (e.data or {}).get(side, {}).items()
                  if k == "system"}
    names = dict(catalog_selectors.system_list(user).filter(pk__in=system_ids).values_list("pk", "name")) \
        if system_ids else {}
    rows = []
    for event in events:
        if event.kind == EventKind.TRANSITION:
            what = _("报障") if event.action == "report" else (
                IncidentAction(event.action).label if event.action in IncidentAction.values else event.action)
        else:
            what = EventKind(event.kind).label if event.kind in EventKind.values else event.kind
        rows.append({"event": event, "what": what, "from_state": _state_label(event.from_state),
                     "to_state": _state_label(event.to_state), "details": _event_details(event, names)})
    return rows


def _detail_context(request, incident, *, bound_action=None, reclassify_form=None, comment_form=None,
                    error=None) -> dict:
    user = request.user
    action_forms = []
    actions = selectors.available_actions(user, incident)
    on_duty = staffing_selectors.on_duty_user(incident.system_id) if "dispatch" in actions else None
    for name in actions:
        form = bound_action if bound_action is not None and bound_action.action == name \
            else ActionForm(incident, name, on_duty=on_duty)
        action_forms.append({"name": name, "label": IncidentAction(name).label, "form": form,
                             "danger": name in ("cancel", "reopen")})
    policy = incident.policy or {}
    clocks = selectors.clock_summary(incident)
    for row in clocks:
        row["state_label"] = ClockState(row["state"]).label
    context = {
        "incident": incident,
        "clocks": clocks,
        "policy": policy,
        "policy_targets": [(ClockKind(k).label if k in ClockKind.values else k, v)
                           for k, v in (policy.get("targets") or {}).items()],
        "timeline": _timeline(user, incident),
        "action_forms": action_forms,
        "comment_form": comment_form or CommentForm(),
        "error": error,
        "on_duty": on_duty,
    }
    if _may_reclassify(user, incident):
        context["reclassify_form"] = reclassify_form or ReclassifyForm(incident)
    return context


@login_required
def incident_detail(request, pk):
    incident = selectors.incident_get(request.user, pk)
    return render(request, "incidents/detail.html", _detail_context(request, incident))


@login_required
@require_POST
def incident_action(request, pk):
    incident = selectors.incident_get(request.user, pk)
    action = request.POST.get("action", "")
    if action not in IncidentAction.values:
        return render(request, "incidents/detail.html",
                      _detail_context(request, incident, error=_("未知操作")), status=400)
    form = ActionForm(incident, action, request.POST)
    status, error = 422, None
    if form.is_valid():
        try:
            services.take_action(request.user, incident, action, **form.service_arguments())
        except ValidationError as problem:
            add_service_errors(form, problem)
            error = " ".join(form.non_field_errors()) or _("请修改标出的项目")
        except PermissionDenied:
            status = 403
            error = _("您无权对此工单执行“%(action)s”") % {"action": IncidentAction(action).label}
        else:
            messages.success(request, _("%(action)s：已完成") % {"action": IncidentAction(action).label})
            return _safe_next(request, reverse("incidents:detail", args=[pk]))
    else:
        error = _("请修改标出的项目")
    incident = selectors.incident_get(request.user, pk)
    return render(request, "incidents/detail.html",
                  _detail_context(request, incident, bound_action=form, error=error), status=status)


@login_required
@require_POST
def incident_reclassify(request, pk):
    incident = selectors.incident_get(request.user, pk)
    form = ReclassifyForm(incident, request.POST)
    status = 422
    if form.is_valid():
        try:
            services.reclassify(request.user, incident, note=form.cleaned_data["note"],
                                severity=form.cleaned_data["severity"], tier_key=form.cleaned_data["tier_key"])
        except ValidationError as problem:
            add_service_errors(form, problem)
        except PermissionDenied:
            status = 403
            form.add_error(None, _("您无权重新分级"))
        else:
            messages.success(request, _("已重新分级，时限已重算"))
            return redirect("incidents:detail", pk=pk)
    incident = selectors.incident_get(request.user, pk)
    error = " ".join(form.non_field_errors()) or _("请修改标出的项目")
    return render(request, "incidents/detail.html",
                  _detail_context(request, incident, reclassify_form=form, error=error), status=status)


@login_required
@require_POST
def incident_comment(request, pk):
    incident = selectors.incident_get(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment(request.user, incident, form.cleaned_data["note"])
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("备注已添加"))
            return redirect("incidents:detail", pk=pk)
    return render(request, "incidents/detail.html",
                  _detail_context(request, incident, comment_form=form, error=_("请修改标出的项目")), status=422)


# ---------------------------------------------------------------- board, queue, notifications


@login_required
def board(request):
    context = selectors.dispatcher_board(request.user)
    context["severities"] = [(label, context["by_severity"].get(value, 0)) for value, label in Severity.choices]
    template = "incidents/_board.html" if request.headers.get("HX-Request") else "incidents/board.html"
    return render(request, template, context)


@login_required
def my_queue(request):
    cards = []
    for incident in selectors.my_queue(request.user)[:200]:
        actions = selectors.available_actions(request.user, incident)
        cards.append({
            "incident": incident,
            "one_tap": [(a, IncidentAction(a).label) for a in actions if a in ONE_TAP],
            "with_form": [(a, IncidentAction(a).label) for a in actions if a not in ONE_TAP],
        })
    return render(request, "incidents/mine.html", {"cards": cards})


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(request.user), 50).get_page(request.GET.get("page"))
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
        ids = selectors.unread_notification_ids(request.user)
    else:
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    count = services.mark_read(request.user, ids)
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": count})
    return redirect("incidents:notifications")


# ---------------------------------------------------------------- SLA settings: working calendar, business hours


def _require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def _calendar_context(request, *, import_form=None, correction_form=None, hours_form=None, problems=None) -> dict:
    user = request.user
    context = selectors.calendar_overview()
    context.update({
        "may_edit": can(user, "incidents.calendar"),
        "business_hours": selectors.business_hours_list(user),
        "problems": problems,
    })
    if context["may_edit"]:
        context.update({
            "import_form": import_form or CalendarImportForm(initial={"year": context["next_year"]}),
            "correction_form": correction_form or CorrectionForm(),
            "hours_form": hours_form or BusinessHoursForm(user),
        })
    return context


@login_required
def calendar(request):
    _require(request.user, "incidents.view_settings")
    return render(request, "incidents/calendar.html", _calendar_context(request))


@login_required
@require_POST
def calendar_import(request):
    """Declare (or replace) a year from a file. Any problem in the file: the problems, nothing changed, 422."""
    _require(request.user, "incidents.calendar")
    form = CalendarImportForm(request.POST, request.FILES)
    problems = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = upload.read()
            days = calendar_io.read_ics(content) if form.is_ics() else calendar_io.read_workbook(content)
            if not days:
                raise WorkbookInvalid([Problem(upload.name, None, None, _("文件中没有任何日期"))])
            year = form.cleaned_data["year"]
            services.declare_calendar_year(request.user, year, days, form.cleaned_data["source"] or upload.name)
        except WorkbookInvalid as invalid:
            problems = invalid.problems
        except ValidationError as error:  # days outside the year, or a day listed as both 休 and 班
            problems = [Problem(upload.name, None, day, "；".join(reasons))
                        for day, reasons in error.message_dict.items()]
        else:
            messages.success(request, _("已录入 %(year)s 年的放假安排（%(n)s 天）") % {"year": year, "n": len(days)})
            return redirect("incidents:calendar")
    return render(request, "incidents/calendar.html",
                  _calendar_context(request, import_form=form, problems=problems), status=422)


@login_required
@require_POST
def calendar_correction(request):
    _require(request.user, "incidents.calendar")
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correct_calendar_day(request.user, form.cleaned_data["date"], form.is_working(),
                                          form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已更正 %(day)s") % {"day": form.cleaned_data["date"].isoformat()})
            return redirect("incidents:calendar")
    return render(request, "incidents/calendar.html", _calendar_context(request, correction_form=form), status=422)


@login_required
@require_POST
def calendar_correction_remove(request):
    _require(request.user, "incidents.calendar")
    try:
        day = parse_date(request.POST.get("date", ""))
    except ValueError:
        day = None
    if day is None:
        messages.error(request, _("日期格式应为 2026-01-31"))
        return redirect("incidents:calendar")
    services.remove_calendar_correction(request.user, day)
    messages.success(request, _("已撤销 %(day)s 的更正") % {"day": day.isoformat()})
    return redirect("incidents:calendar")


@login_required
def calendar_template(request):
    """An empty workbook with the sheet 日历 and its headers, to fill in and import."""
    _require(request.user, "incidents.view_settings")
    return attachment(write_workbook([(calendar_io.CALENDAR_SHEET, [])]), "tongyun-calendar-template.xlsx")


@login_required
@require_POST
def business_hours(request):
    _require(request.user, "incidents.calendar")
    form = BusinessHoursForm(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_business_hours(request.user, data["system"], data["start"], data["end"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if data["start"] is None:
                messages.success(request, _("%(system)s 已恢复默认工作时段") % {"system": data["system"].name})
            else:
                messages.success(request, _("%(system)s 的工作时段：%(start)s–%(end)s") % {
                    "system": data["system"].name, "start": f"{data['start']:%H:%M}", "end": f"{data['end']:%H:%M}"})
            return redirect("incidents:calendar")
    return render(request, "incidents/calendar.html", _calendar_context(request, hours_form=form), status=422)


# ---------------------------------------------------------------- SLA settings: major-event periods (重保期)


@login_required
def major_event_list(request):
    _require(request.user, "incidents.view_settings")
    return render(request, "incidents/major_events.html", {
        "periods": selectors.major_event_periods(), "may_edit": can(request.user, "incidents.major_events")})


@login_required
def major_event_edit(request, pk=None):
    _require(request.user, "incidents.major_events")
    period = get_object_or_404(selectors.major_event_periods(), pk=pk) if pk else MajorEventPeriod()
    status = 200
    if request.method == "POST":
        form = MajorEventForm(request.user, request.POST, instance=period)
        if form.is_valid():
            try:
                services.save_major_event_period(request.user, form.instance, form.chosen_systems())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("重保期“%(name)s”已保存，未完成工单的时限已重算")
                                 % {"name": form.instance.name})
                return redirect("incidents:major_events")
        status = 422
    else:
        form = MajorEventForm(request.user, instance=period)
    return render(request, "incidents/major_event_form.html", {"form": form, "period": period}, status=status)


@login_required
def major_event_delete(request, pk):
    _require(request.user, "incidents.major_events")
    period = get_object_or_404(selectors.major_event_periods(), pk=pk)
    if request.method == "POST":
        name = period.name
        services.delete_major_event_period(request.user, period)
        messages.success(request, _("重保期“%(name)s”已删除，未完成工单的时限已重算") % {"name": name})
        return redirect("incidents:major_events")
    return render(request, "incidents/major_event_delete.html", {"period": period})


# ---------------------------------------------------------------- SLA compliance (服务达标情况)


def _duration(seconds: int | None) -> str:
    return countdown_parts(seconds) if seconds else "—"


def _compliance_arguments(request) -> tuple[ComplianceForm, dict | None]:
    """The bound filter form and the compliance arguments (month, group_by, params), None if invalid."""
    form = ComplianceForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        month = compliance.parse_month(form.cleaned_data["month"]) if form.cleaned_data["month"] \
            else compliance.current_month()
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None
    return form, {"month": month, "group_by": form.cleaned_data["group_by"], "params": form.filters()}


@login_required
def compliance_report(request):
    _require(request.user, "incidents.compliance")
    form, arguments = _compliance_arguments(request)
    if arguments is None:
        return render(request, "incidents/compliance.html", {"form": form, "table": None}, status=400)
    now = timezone.now()
    table = compliance.compliance_table(request.user, now=now, **arguments)
    for row in (*table["rows"], table["total"]):
        row["breach_total_text"] = _duration(row["breach_seconds_total"])
        row["breach_max_text"] = _duration(row["breach_seconds_max"])
        row["pending"] = row["response_pending"] + row["repair_pending"]
    breaches = list(compliance.breach_list(request.user, arguments["month"], arguments["params"], now=now)[:500])
    for incident in breaches:
        incident.response_breach_text = _duration(compliance.seconds_of(incident.response_breach))
        incident.repair_breach_text = _duration(compliance.seconds_of(incident.repair_breach))
    query = request.GET.copy()
    query["month"] = f"{arguments['month']:%Y-%m}"
    query.pop("group_by", None)
    query["breaches"] = "1"
    chart = {"labels": [row["group"] for row in table["rows"]],
             "values": [row["repair_met_pct"] for row in table["rows"]]}
    form.data = form.data.copy()
    form.data["month"] = f"{arguments['month']:%Y-%m}"
    return render(request, "incidents/compliance.html", {
        "form": form, "table": table, "group_label": compliance.GROUP_LABELS[arguments["group_by"]],
        "breaches": breaches, "export_query": query.urlencode(), "chart": chart,
        "table_filtered": bool({"unit", "system"} & set(arguments["params"])),
    })


@login_required
def compliance_export(request):
    """The month's compliance workbook: a sheet per grouping and the breach list, as on the page."""
    _require(request.user, "incidents.compliance")
    form, arguments = _compliance_arguments(request)
    if arguments is None:
        return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors), status=400)
    content = export_compliance_workbook(request.user, month=arguments["month"], params=arguments["params"],
                                         breaches=True)
    return attachment(content, f"sla-compliance-{arguments['month']:%Y-%m}.xlsx")
