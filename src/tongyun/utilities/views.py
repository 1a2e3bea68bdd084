"""Pages of 供电与通信: bills (list, checks of a system's year, record, import, export), supply points, links."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.models import System
from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped

from . import excel, selectors, services
from .choices import LinkKind
from .forms import BillForm, ImportForm, SupplyPointForm


def _params(request) -> dict:
    return {k: request.GET.get(k) for k in ("system", "unit", "kind") if request.GET.get(k)}


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2020 <= int(value) <= 2035 else dt.date.today().year


@login_required
def bills(request):
    require(request.user, "utilities.view")
    params, year = _params(request), _year(request)
    rows = selectors.with_check_state(selectors.bill_list(request.user, {**params, "year": year})[:500])
    system = scoped(System.objects.filter(pk=params["system"]), request.user).first() \
        if str(params.get("system", "")).isdigit() else None
    checks = selectors.bill_checks(request.user, system.pk, year) if system else None
    points = selectors.supply_point_list(request.user)
    form = BillForm(request.POST or None, request.FILES or None, supply_points=points)
    if request.method == "POST":
        require(request.user, "utilities.edit")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_bill(request.user, data["supply_point"], month=data["month"], kwh=data["kwh"],
                                     amount=data["amount"], paid_on=data["paid_on"], note=data["note"],
                                     scan=data["scan"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("账单已登记，已请用户单位核对"))
                return redirect(request.get_full_path())
    systems = scoped(System.objects.filter(supply_points__isnull=False).distinct(), request.user)
    return render(request, "utilities/bills.html", {
        "rows": rows, "year": year, "system": system, "checks": checks, "form": form, "systems": systems,
        "may_edit": can(request.user, "utilities.edit"), "import_form": ImportForm()})


@login_required
def bill_detail(request, pk: int):
    bill = selectors.with_check_state([selectors.bill_get(request.user, pk)])[0]
    return render(request, "utilities/bill_detail.html", {"bill": bill})


@login_required
def bills_export(request):
    require(request.user, "utilities.view")
    rows = selectors.with_check_state(selectors.bill_list(request.user, {**_params(request), "year": _year(request)}))
    return attachment(excel.bills_workbook(rows), _("电费账单.xlsx"))


@login_required
def bills_template(request):
    require(request.user, "utilities.edit")
    return attachment(services.bill_template(), _("电费账单导入模板.xlsx"))


@login_required
@require_POST
def bills_import(request):
    require(request.user, "utilities.edit")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择 Excel 文件"))
        return redirect("utilities:bills")
    try:
        count = services.import_bills(request.user, form.cleaned_data["file"].read())
    except WorkbookInvalid as error:
        return render(request, "utilities/import_problems.html", {"problems": error.problems}, status=422)
    messages.success(request, _("已导入 %(n)s 张账单，已请用户单位核对") % {"n": count})
    return redirect("utilities:bills")


@login_required
def supply_points(request):
    require(request.user, "utilities.view")
    form = SupplyPointForm(request.POST or None)
    form.fields["system"].queryset = scoped(System.objects.all(), request.user)
    if request.method == "POST":
        if not can(request.user, "utilities.edit"):
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "system"}
            try:
                services.create_supply_point(request.user, system_id=form.cleaned_data["system"].pk, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("供电点已登记"))
                return redirect("utilities:supply_points")
    rows = selectors.supply_point_list(request.user, _params(request))[:500]
    return render(request, "utilities/supply_points.html", {"rows": rows, "form": form,
                                                            "may_edit": can(request.user, "utilities.edit")})


@login_required
def links(request):
    require(request.user, "utilities.view")
    params = _params(request)
    return render(request, "utilities/links.html", {
        "rows": selectors.link_list(request.user, params)[:1000], "totals": selectors.link_totals(request.user, params),
        "kinds": LinkKind.choices, "kind_labels": dict(LinkKind.choices), "kind": params.get("kind", "")})


@login_required
def links_export(request):
    require(request.user, "utilities.view")
    return attachment(excel.links_workbook(selectors.link_list(request.user, _params(request))), _("网络链路.xlsx"))
