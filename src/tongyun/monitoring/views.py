"""Monitoring pages of alert intake: alert sources (bureau admin), received events, correlation groups.
(The live status pages and checks are in status_views.py.) Views parse input, call selectors (reads,
scoped) and services (writes), and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tongyun.catalog.choices import Severity

from . import receivers, selectors, services
from .forms import EventFilterForm, SourceForm
from .tables import EventTable, GroupTable


def _require_manager(user) -> None:
    if not services.may_manage_sources(user):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        target = "default_system" if field == "default_system_id" else field.split(".")[0]
        form.add_error(target if target in form.fields else None, problems)


def _token_page(request, source, token: str):
    path = selectors.RECEIVER_PATHS.get(source.kind, "")
    return render(request, "monitoring/source_token.html", {
        "source": source, "token": token, "url": request.build_absolute_uri(path)})


@login_required
def source_list(request):
    sources = list(selectors.source_list(request.user))
    for source in sources:
        source.receiver_path = selectors.RECEIVER_PATHS.get(source.kind, "")
        source.unmapped = source.events.filter(unmapped=True).count()
    return render(request, "monitoring/sources.html", {"sources": sources})


@login_required
def source_create(request):
    _require_manager(request.user)
    form = SourceForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source, token = services.source_create(
                request.user, name=data["name"], kind=data["kind"], mapping=data["mapping"], enabled=data["enabled"],
                default_system_id=data["default_system"].pk if data["default_system"] else None)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _token_page(request, source, token)
    return render(request, "monitoring/source_form.html", {"form": form, "source": None},
                  status=422 if request.method == "POST" else 200)


@login_required
def source_edit(request, pk: int):
    source = selectors.source_get(request.user, pk)
    form = SourceForm(request.user, request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_update(request.user, source, name=data["name"], enabled=data["enabled"],
                                   mapping=data["mapping"],
                                   default_system_id=data["default_system"].pk if data["default_system"] else None)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("monitoring:sources")
    effective = receivers.effective_mapping(source.kind, source.mapping)
    return render(request, "monitoring/source_form.html", {"form": form, "source": source, "effective": effective},
                  status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def source_token(request, pk: int):
    source, token = services.source_regenerate_token(request.user, selectors.source_get(request.user, pk))
    return _token_page(request, source, token)


@login_required
def event_list(request):
    try:
        rows = selectors.event_list(request.user, request.GET)
        error = None
    except ValueError as problem:
        rows, error = selectors.event_list(request.user).none(), str(problem)
    table = EventTable(rows, order_by="-received_at")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"table": table, "filter_form": EventFilterForm(request.user, request.GET), "error": error,
               "unmapped": selectors.unmapped_count(request.user),
               "may_manage": services.may_manage_sources(request.user)}
    template = "monitoring/_events_table.html" if request.headers.get("HX-Request") else "monitoring/events.html"
    return render(request, template, context)


@login_required
def group_list(request):
    try:
        rows = selectors.group_list(request.user, request.GET)
    except ValueError:
        rows = selectors.group_list(request.user).none()
    table = GroupTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "monitoring/groups.html", {
        "table": table, "may_manage": services.may_manage_sources(request.user)})


@login_required
def group_detail(request, pk: int):
    group = selectors.group_get(request.user, pk)
    devices = list(selectors.group_devices(group)[:501])
    return render(request, "monitoring/group_detail.html", {
        "group": group, "devices": devices[:500], "more_devices": len(devices) > 500,
        "device_count": selectors.group_devices(group).count(),
        "severity": Severity(severity).label if (severity := selectors.group_severity(group)) else None,
        "events": selectors.group_events(group)[:500]})
