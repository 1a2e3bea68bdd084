from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from tongyun.core import imports
from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.permissions import can, require

from . import device_import, selectors, services
from .choices import DeviceClass
from .excel import export_catalog_workbook
from .filters import DeviceFilterSet, SystemFilterSet, UnitFilterSet
from .forms import AssignmentForm, CatalogImportForm, DeviceImportForm, SystemChangeForm
from .tables import DeviceTable, SystemTable, UnitTable


def _list_page(request, *, select, filterset_class, table_class, title, paginator_class=None, extra=None):
    """A filterable list; with HTMX only the table is sent back."""
    try:
        rows = select(request.user, request.GET)
        error = None
    except ValueError as problem:
        rows, error = select(request.user).none(), str(problem)
    table = table_class(rows)
    paginate = {"per_page": 50}
    if paginator_class:
        paginate["paginator_class"] = paginator_class
    RequestConfig(request, paginate=paginate).configure(table)
    context = {"table": table, "filter_form": filterset_class(request.GET).form, "title": title, "error": error,
               **(extra or {})}
    template = "catalog/_table.html" if request.headers.get("HX-Request") else "catalog/list.html"
    return render(request, template, context)


@login_required
def system_list(request):
    return _list_page(request, select=selectors.system_list, filterset_class=SystemFilterSet,
                      table_class=SystemTable, title=_("系统目录"))


@login_required
def device_list(request):
    return _list_page(request, select=selectors.device_list, filterset_class=DeviceFilterSet,
                      table_class=DeviceTable, title=_("设备"), paginator_class=LazyPaginator,
                      extra={"can_import_devices": can(request.user, "catalog.import_devices")})


@login_required
def unit_list(request):
    return _list_page(request, select=selectors.unit_list, filterset_class=UnitFilterSet,
                      table_class=UnitTable, title=_("用户单位"))


@login_required
def system_detail(request, pk):
    system = selectors.system_get(request.user, pk)
    context = {"system": system, **selectors.system_detail_related(system), "device_classes": DeviceClass.choices}
    context["can_record_change"] = can(request.user, "catalog.record_change")
    context["can_view_audit"] = can(request.user, "audit.view")
    context["change_form"] = SystemChangeForm()
    context["can_assign"] = can(request.user, "catalog.assign_staff")
    if context["can_assign"]:
        context["assignment_form"] = AssignmentForm()
    return render(request, "catalog/system_detail.html", context)


@login_required
@require_POST
def system_change_create(request, pk):
    system = selectors.system_get(request.user, pk)
    require(request.user, "catalog.record_change")
    form = SystemChangeForm(request.POST)
    if form.is_valid():
        try:
            services.record_system_change(
                request.user, system, kind=form.cleaned_data["kind"],
                effective_date=form.cleaned_data["effective_date"],
                description=form.cleaned_data["description"], changes=form.changes(),
            )
            messages.success(request, _("变更已记录"))
            return redirect("catalog:system_detail", pk=system.pk)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                messages.error(request, f"{field}: {' '.join(problems)}")
    else:
        for field, problems in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else field}: "
                                    f"{' '.join(problems)}")
    return redirect("catalog:system_detail", pk=system.pk)


@login_required
@require_POST
def system_assign(request, pk):
    system = selectors.system_get(request.user, pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            services.assign_staff(request.user, system, form.cleaned_data["staff"], form.cleaned_data["since"])
            messages.success(request, _("已分派"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect("catalog:system_detail", pk=system.pk)


@login_required
@require_POST
def system_unassign(request, pk, assignment_id):
    system = selectors.system_get(request.user, pk)
    assignment = get_object_or_404(selectors.assignment_list(request.user, system.pk), pk=assignment_id)
    services.unassign_staff(request.user, assignment)
    messages.success(request, _("已取消分派"))
    return redirect("catalog:system_detail", pk=system.pk)


@login_required
def unit_detail(request, pk):
    unit = selectors.unit_get(request.user, pk)
    systems = selectors.system_list(request.user, {"unit": unit.pk})
    table = SystemTable(systems)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(request, "catalog/unit_detail.html", {"unit": unit, "table": table,
                                                        "can_view_audit": can(request.user, "audit.view")})


@login_required
def device_detail(request, pk):
    device = selectors.device_get(request.user, pk)
    return render(request, "catalog/device_detail.html", selectors.device_topology(request.user, device))


@login_required
def catalog_export(request):
    require(request.user, "catalog.export")
    try:
        systems = selectors.system_list(request.user, request.GET)
    except ValueError as problem:
        return HttpResponse(str(problem), status=400)
    return attachment(export_catalog_workbook(request.user, systems), "tongyun-catalog.xlsx")


@login_required
def catalog_import(request):
    if not can(request.user, "catalog.edit"):
        raise PermissionDenied
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "problems": None, "summary": None}
    if request.method == "POST" and form.is_valid():
        try:
            context["summary"] = services.import_catalog_workbook(request.user, form.cleaned_data["file"].read())
        except WorkbookInvalid as invalid:
            context["problems"] = invalid.problems
    status = 422 if context["problems"] else 200
    return render(request, "catalog/import.html", context, status=status)


@login_required
def device_export(request):
    require(request.user, "catalog.export")
    try:
        devices = selectors.device_list(request.user, request.GET)
    except ValueError as problem:
        return HttpResponse(str(problem), status=400)
    return attachment(device_import.export_device_workbook(request.user, devices), "tongyun-devices.xlsx")


@login_required
def device_import_page(request):
    """Upload the 设备台账 workbook; every problem is listed with its row and column, nothing changes."""
    if not can(request.user, "catalog.import_devices"):
        raise PermissionDenied
    form = DeviceImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "problems": None, "summary": None,
               "jobs": imports.recent_jobs(request.user, "catalog.devices")}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not imports.runs_inline(upload):  # a large workbook: stored, imported by the worker, page polls
            job = imports.submit(request.user, "catalog.devices", upload)
            return redirect("import_job", pk=job.pk)
        try:
            context["summary"] = device_import.import_device_workbook(request.user, upload.read()).as_dict()
        except WorkbookInvalid as invalid:
            context["problems"] = invalid.problems[:1000]
            context["problem_count"] = len(invalid.problems)
    status = 422 if context["problems"] else 200
    return render(request, "catalog/device_import.html", context, status=status)
