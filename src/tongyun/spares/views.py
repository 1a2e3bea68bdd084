"""Spare-part pages: items with stock and caps, an item's ledger and movements, a system's settlement and
substitutions, replacement requests (phone-friendly form from an incident), issue, the removed-device
ledger, repair records, Excel export and import. Views parse input, call selectors (reads, scoped) and
services (writes), and render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.models import Device, System
from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid, write_workbook
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped
from tongyun.incidents.models import Incident
from tongyun.signoffs import selectors as signoff_selectors

from . import excel, replacements, selectors, services, substitutions
from .choices import ReplacementState
from .forms import ImportForm, IssueForm, MovementForm, RepairForm, ReplacementForm, SubstitutionForm
from .models import ReplacementPhoto


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(" ".join(v) for v in error.message_dict.values())
    return "；".join(error.messages)


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _filters(request) -> dict:
    return {"system": _int(request.GET.get("system")), "unit": _int(request.GET.get("unit")),
            "q": (request.GET.get("q") or "").strip()[:100]}


@login_required
def item_list(request):
    filters = _filters(request)
    rows = selectors.settlement(selectors.item_list(request.user, filters)[:500])
    if request.GET.get("low"):
        rows = [r for r in rows if r.low]
    return render(request, "spares/item_list.html", {
        "rows": rows, "filters": filters, "low": bool(request.GET.get("low")),
        "may_import": can(request.user, "spares.edit_items")})


@login_required
def item_detail(request, pk):
    item = selectors.item_get(request.user, pk)
    row = selectors.settlement([item])[0]
    keeper = can(request.user, "spares.stock")
    return render(request, "spares/item_detail.html", {
        "item": item, "row": row, "by_warehouse": selectors.stock_by_warehouse(item),
        "entries": selectors.entry_list(request.user, {"item": item.pk})[:50],
        "position": selectors.cap_position(item), "keeper": keeper,
        "movement_form": MovementForm(warehouses=selectors.warehouses()) if keeper else None,
        "warehouses": selectors.warehouses(), "may_price": can(request.user, "spares.set_price")})


@login_required
@require_POST
def item_entry(request, pk):
    item = selectors.item_get(request.user, pk)
    action = request.POST.get("action", "movement")
    warehouses = selectors.warehouses()
    try:
        if action == "price":
            value = request.POST.get("unit_price", "").strip()
            from decimal import Decimal, InvalidOperation

            try:
                price = Decimal(value) if value else None
            except InvalidOperation:
                raise ValidationError({"unit_price": _("“%(value)s”不是数字") % {"value": value}}) from None
            services.set_price(request.user, item, price)
        elif action == "transfer":
            source = get_object_or_404(warehouses, pk=_int(request.POST.get("source")))
            target = get_object_or_404(warehouses, pk=_int(request.POST.get("target")))
            services.transfer(request.user, item, source, target, _int(request.POST.get("quantity")) or 0,
                              note=request.POST.get("note", ""))
        elif action == "stocktake":
            warehouse = get_object_or_404(warehouses, pk=_int(request.POST.get("warehouse")))
            counted = _int(request.POST.get("counted"))
            if counted is None:
                raise ValidationError({"counted": _("请填写盘点数量")})
            services.stocktake(request.user, item, warehouse, counted, note=request.POST.get("note", ""))
        else:
            form = MovementForm(request.POST, warehouses=warehouses)
            if not form.is_valid():
                raise ValidationError({f: list(e) for f, e in form.errors.items()})
            data = form.cleaned_data
            services.record_movement(request.user, item, data["warehouse"], data["kind"], data["quantity"],
                                     note=data["note"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("没有权限执行此操作"))
    else:
        messages.success(request, _("已登记"))
    return redirect("spares:item_detail", pk=item.pk)


@login_required
def system_detail(request, pk):
    system = selectors.system_get(request.user, pk)
    items = selectors.item_list(request.user, {"system": system.pk})
    return render(request, "spares/system_detail.html", {
        "system": system, "rows": selectors.settlement(items),
        "substitutions": selectors.substitution_list(request.user).filter(system=system),
        "stock_lists": system.spare_stock_lists.all()[:10],
        "substitution_form": SubstitutionForm(items=items) if can(request.user, "spares.substitute") else None,
        "may_stock_list": can(request.user, "spares.stock_list"), "year": timezone.localdate().year})


@login_required
@require_POST
def substitution_create(request, pk):
    system = selectors.system_get(request.user, pk)
    form = SubstitutionForm(request.POST, items=selectors.item_list(request.user, {"system": system.pk}))
    try:
        if not form.is_valid():
            raise ValidationError({f: list(e) for f, e in form.errors.items()})
        data = form.cleaned_data
        substitutions.propose_substitution(request.user, data["from_item"], data["from_quantity"], data["to_item"],
                                           data["to_quantity"], reason=data["reason"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("没有权限执行此操作"))
    else:
        messages.success(request, _("已提交，等待采购方同意"))
    return redirect("spares:system_detail", pk=system.pk)


@login_required
@require_POST
def stock_list_create(request, pk):
    system = selectors.system_get(request.user, pk)
    try:
        substitutions.make_stock_list(request.user, system, _int(request.POST.get("year")) or timezone.localdate().year)
    except PermissionDenied:
        messages.error(request, _("没有权限执行此操作"))
    else:
        messages.success(request, _("库存清单已生成，等待监理确认"))
    return redirect("spares:system_detail", pk=system.pk)


@login_required
def replacement_list(request):
    state = request.GET.get("state") or None
    rows = selectors.replacement_list(request.user, {"state": state, "system": _int(request.GET.get("system"))})
    return render(request, "spares/replacement_list.html", {"rows": rows[:200], "state": state or "",
                                                            "states": ReplacementState.choices})


@login_required
def replacement_create(request, pk):
    incident = get_object_or_404(scoped(Incident.objects.select_related("system", "device"), request.user), pk=pk)
    may_request = can(request.user, "spares.request_replacement")
    if request.method == "POST":
        require(request.user, "spares.request_replacement")
    items = selectors.item_list(request.user, {"system": incident.system_id})
    devices = scoped(Device.objects.filter(system_id=incident.system_id), request.user)
    form = ReplacementForm(request.POST or None, request.FILES or None, incident=incident, items=items,
                           devices=devices)
    route = replacements.warranty_route(incident.device)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                replacement = replacements.request_replacement(
                    request.user, incident, data["item"], reason=data["reason"], quantity=data["quantity"],
                    device=data["device"], proposed_model=data["proposed_model"],
                    over_cap_reason=data["over_cap_reason"], photos=data["photos"])
            except ValidationError as error:
                add_service_errors(form, error, rename=lambda field: field.removesuffix("_id"))
            else:
                messages.success(request, _("已提交更换申请，等待采购方和监理确认"))
                return redirect(replacement)
        status = 400
    return render(request, "spares/replacement_form.html", {"incident": incident, "form": form, "route": route,
                                                            "may_request": may_request}, status=status)


@login_required
@require_POST
def send_to_vendor(request, pk):
    incident = get_object_or_404(scoped(Incident.objects.all(), request.user), pk=pk)
    try:
        replacements.send_to_vendor(request.user, incident, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("没有权限执行此操作"))
    else:
        messages.success(request, _("工单已转为等待原厂"))
    return redirect("incidents:detail", pk=incident.pk)


@login_required
def replacement_detail(request, pk):
    replacement = selectors.replacement_get(request.user, pk)
    return render(request, "spares/replacement_detail.html", {
        "replacement": replacement,
        "signoff": signoff_selectors.signoff_for(replacement, replacements.REPLACEMENT_FLOW),
        "over_cap_signoff": signoff_selectors.signoff_for(replacement, replacements.OVER_CAP_FLOW)
        if replacement.over_cap else None,
        "position": selectors.cap_position(replacement.item),
        "issue_form": IssueForm(warehouses=selectors.warehouses(), initial={
            "new_model": replacement.proposed_model, "location": replacement.device.location
            if replacement.device else ""}) if replacements.may_issue(request.user, replacement) else None,
        "removed": getattr(replacement, "removed_device", None) if replacement.state == ReplacementState.ISSUED
        else None})


@login_required
@require_POST
def replacement_issue(request, pk):
    replacement = selectors.replacement_get(request.user, pk)
    form = IssueForm(request.POST, warehouses=selectors.warehouses())
    try:
        if not form.is_valid():
            raise ValidationError({f: list(e) for f, e in form.errors.items()})
        data = form.cleaned_data
        replacements.issue(request.user, replacement, data["warehouse"], removal_reason=data["removal_reason"],
                           location=data["location"], kept_at=data["kept_at"], new_model=data["new_model"],
                           new_serial=data["new_serial"], installed_on=data["installed_on"],
                           years_in_use=data["years_in_use"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("没有权限执行此操作"))
    else:
        messages.success(request, _("已领用备件并更换，设备记录已更新"))
    return redirect(replacement)


@login_required
def photo(request, pk):
    picture = get_object_or_404(scoped(ReplacementPhoto.objects.all(), request.user), pk=pk)
    try:
        return FileResponse(picture.image.open("rb"), filename=picture.image.name.rsplit("/", 1)[-1])
    except FileNotFoundError:
        raise Http404 from None


@login_required
def removed_list(request):
    rows = selectors.removed_list(request.user, {"system": _int(request.GET.get("system"))})[:500]
    return render(request, "spares/removed_list.html", {"rows": rows, "may_dispose": can(request.user,
                                                                                         "spares.dispose")})


@login_required
@require_POST
def removed_dispose(request, pk):
    removed = selectors.removed_get(request.user, pk)
    try:
        replacements.request_disposal(request.user, removed, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("没有权限执行此操作"))
    else:
        messages.success(request, _("已申请处置，等待甲方同意"))
    return redirect("spares:removed_list")


@login_required
def repair_list(request):
    systems = scoped(System.objects.filter(spare_items__isnull=False).distinct(), request.user)
    may_record = can(request.user, "spares.repair")
    form = RepairForm(request.POST or None, systems=systems) if may_record else None
    status = 200
    if request.method == "POST":
        require(request.user, "spares.repair")
        if _int(request.POST.get("system")) and not systems.filter(pk=_int(request.POST.get("system"))).exists():
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                replacements.record_repair(request.user, data["system"], part=data["part"], fault=data["fault"],
                                           action=data["action"], repaired_on=data["repaired_on"])
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("已登记维修记录"))
                return redirect("spares:repair_list")
        status = 400
    rows = selectors.repair_list(request.user, {"system": _int(request.GET.get("system"))})[:500]
    return render(request, "spares/repair_list.html", {"rows": rows, "form": form}, status=status)


@login_required
def export(request):
    """Every register the user may see, one sheet each (items, stock and settlement, ledger, removed, repairs)."""
    filters = _filters(request)
    items = selectors.item_list(request.user, filters)
    content = write_workbook([
        (excel.ITEM_SHEET, items),
        (excel.STOCK_SHEET, selectors.settlement(items)),
        (excel.LEDGER_SHEET, selectors.entry_list(request.user, {"system": filters["system"]})[:100_000]),
        (excel.REMOVED_SHEET, selectors.removed_list(request.user, {"system": filters["system"]})),
        (excel.REPAIR_SHEET, selectors.repair_list(request.user, {"system": filters["system"]})),
    ])
    return attachment(content, f"备品备件-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def import_items(request):
    require(request.user, "spares.edit_items")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, result, status = [], None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_items_workbook(request.user, form.cleaned_data["file"].read())
        except WorkbookInvalid as invalid:
            problems, status = invalid.problems, 400
    return render(request, "spares/import.html", {"form": form, "problems": problems, "result": result},
                  status=status)


