"""Pages of 数据对接: the resources with their progress, one resource with its steps and push figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.models import System
from tongyun.core import excel
from tongyun.core.downloads import attachment
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped

from . import selectors, services
from .choices import NEXT_STATE, InterfaceKind, ResourceState
from .forms import PushForm, ResourceForm


def _params(request) -> dict:
    return {k: request.GET.get(k) for k in ("system", "unit", "state") if request.GET.get(k)}


@login_required
def resource_list(request):
    require(request.user, "dataexchange.view")
    form = ResourceForm(request.POST or None)
    form.fields["system"].queryset = scoped(System.objects.all(), request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        system = data.pop("system")
        try:
            services.create_resource(request.user, system_id=system.pk, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("dataexchange:list")
    counts = selectors.progress(request.user)
    return render(request, "dataexchange/list.html", {
        "rows": selectors.resource_list(request.user, _params(request))[:1000],
        "progress": [(label, counts.get(value, 0)) for value, label in ResourceState.choices],
        "states": ResourceState.choices, "state": request.GET.get("state", ""), "form": form,
        "may_edit": can(request.user, "dataexchange.edit")})


def _sheet() -> excel.SheetSpec:
    return excel.SheetSpec(_("数据资源"), [
        excel.Column(_("序号"), "system.row_no", kind="int", width=6),
        excel.Column(_("系统"), "system.name", width=30),
        excel.Column(_("数据资源"), "name", width=24),
        excel.Column(_("数据权属单位"), "owner_unit.name", width=20),
        excel.Column(_("对接方式"), "interface", kind="choice", choices=InterfaceKind.choices),
        excel.Column(_("更新频率"), "frequency"),
        excel.Column(_("状态"), "state", kind="choice", choices=ResourceState.choices),
        excel.Column(_("招标文件行号"), "source_line", kind="int"),
        excel.Column(_("招标原文"), "duty_text", width=40),
    ])


@login_required
def resource_export(request):
    require(request.user, "dataexchange.view")
    rows = selectors.resource_list(request.user, _params(request))
    return attachment(excel.write_workbook([(_sheet(), rows)]), _("数据资源.xlsx"))


@login_required
def resource_detail(request, pk: int, push_form=None):
    resource = selectors.resource_get(request.user, pk)
    next_state = NEXT_STATE.get(resource.state)
    return render(request, "dataexchange/detail.html", {
        "resource": resource, "records": resource.push_records.all()[:62], "push_form": push_form or PushForm(),
        "next_state": next_state, "next_label": dict(ResourceState.choices).get(next_state),
        "may_edit": can(request.user, "dataexchange.edit")})


@login_required
@require_POST
def resource_advance(request, pk: int):
    resource = selectors.resource_get(request.user, pk)
    try:
        services.advance(request.user, resource, request.POST.get("state", ""), note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [])) or str(error))
    return redirect("dataexchange:detail", pk=pk)


@login_required
@require_POST
def resource_pushes(request, pk: int):
    resource = selectors.resource_get(request.user, pk)
    form = PushForm(request.POST)
    if form.is_valid():
        try:
            services.record_pushes(request.user, resource, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("dataexchange:detail", pk=pk)
    return resource_detail(request, pk, push_form=form)
