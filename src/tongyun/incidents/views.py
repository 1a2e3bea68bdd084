"""Incident pages: the list (and its export), the report form, the detail page with its actions.
The board, queue and notifications are in queue_views, the SLA settings in settings_views, the
compliance report in compliance_views. Views parse input, call selectors (reads, scoped) and services
(writes), and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.choices import Severity
from tongyun.core import panels
from tongyun.core.downloads import attachment
from tongyun.core.forms import add_service_errors
from tongyun.parties import selectors as party_selectors
from tongyun.staffing import selectors as staffing_selectors

from . import selectors, services
from .choices import ClockKind, ClockState, EventKind, IncidentAction, IncidentSource, IncidentState
from .excel import export_incident_list
from .forms import (
    ActionForm,
    CommentForm,
    IncidentFilterForm,
    ReclassifyForm,
)
from .report_views import attachment_file, device_search, incident_report, may_report  # noqa: F401
from .tables import IncidentTable


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


@login_required
def incident_export(request):
    """The list as filtered on the page (same filters, same scope), as a workbook."""
    try:
        rows = selectors.incident_list(request.user, request.GET)
    except ValueError as problem:
        return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")
    return attachment(export_incident_list(rows), f"incidents-{timezone.localdate():%Y%m%d}.xlsx")


# ---------------------------------------------------------------- detail and its forms


def _state_label(code: str) -> str:
    return str(IncidentState(code).label) if code in IncidentState.values else code


def _local(iso: str | None) -> str:
    moment = parse_datetime(iso) if iso else None
    if moment is None:
        return "—"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _event_details(event, system_names: dict, people: dict) -> list[str]:
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
        lines.append(_("处理人：%(u)s") % {"u": people.get(data["assignee"], data["assignee"])})
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
    # the timeline stores the dispatched person's login: show their name
    people = party_selectors.display_names(e.data["assignee"] for e in events if "assignee" in (e.data or {}))
    rows = []
    for event in events:
        if event.kind == EventKind.TRANSITION:
            what = _("报障") if event.action == "report" else (
                IncidentAction(event.action).label if event.action in IncidentAction.values else event.action)
        else:
            what = EventKind(event.kind).label if event.kind in EventKind.values else event.kind
        rows.append({"event": event, "what": what, "from_state": _state_label(event.from_state),
                     "to_state": _state_label(event.to_state), "details": _event_details(event, names, people)})
    return rows


def _detail_context(request, incident, *, bound_action=None, reclassify_form=None, comment_form=None,
                    error=None) -> dict:
    user = request.user
    action_forms = []
    actions = selectors.next_action_first(selectors.available_actions(user, incident), incident)
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
        # the deadlines still running, at the top of the page (on a phone the clock table is far below)
        "running_clocks": [row for row in clocks if row["state"] in (ClockState.RUNNING, ClockState.AT_RISK,
                                                                        ClockState.BREACHED) and not row["done_at"]],
        "bound_other": bound_action is not None and bool(action_forms) and action_forms[0]["form"] is not bound_action,
        "policy": policy,
        "policy_targets": [(ClockKind(k).label if k in ClockKind.values else k, v)
                           for k, v in (policy.get("targets") or {}).items()],
        "timeline": _timeline(user, incident),
        "action_forms": action_forms,
        "comment_form": comment_form or CommentForm(),
        "error": error,
        "on_duty": on_duty,
        "page_links": panels.links_for("incidents.detail", user, incident),  # other domains' links (core.panels)
    }
    if _may_reclassify(user, incident):
        context["reclassify_form"] = reclassify_form or ReclassifyForm(incident)
    return context


@login_required
def incident_detail(request, pk):
    incident = selectors.incident_get(request.user, pk)
    services.mark_read_for_incident(request.user, incident)
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
