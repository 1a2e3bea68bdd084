"""Pages of the hand-over: the progress and the checklists (bureau: the district; a unit: its systems), one
checklist with its items, the contractor's hand-over form and the bureau's record of an obstruction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can, require

from . import filters, selectors, services
from .forms import DeliverForm, ObstructionForm


@login_required
def checklist_list(request):
    params = filters.params(request)
    return render(request, "handover/checklists.html", {
        "checklists": selectors.checklist_list(request.user, params), "progress": selectors.progress(request.user),
        "params": params, "may_manage": can(request.user, "handover.manage")})


@login_required
@require_POST
def checklists_open(request):
    require(request.user, "handover.manage")
    created = services.open_checklists(request.user)
    messages.success(request, _("新建 %(n)s 份移交清单") % {"n": created})
    return redirect("handover:checklist_list")


def _detail(request, checklist, deliver_forms=None, obstruction_form=None, status=200):
    items = list(checklist.items.all())
    signoffs = selectors.item_signoffs(items)
    deliver_forms = deliver_forms or {}
    rows = [{"item": i, "signoff": signoffs.get(i.pk), "form": deliver_forms.get(i.pk) or DeliverForm(
        prefix=f"i{i.pk}")} for i in items]
    return render(request, "handover/checklist.html", {
        "checklist": checklist, "rows": rows, "may_deliver": can(request.user, "handover.deliver"),
        "may_manage": can(request.user, "handover.manage"),
        "obstruction_form": obstruction_form or ObstructionForm(items=items)}, status=status)


@login_required
def checklist_detail(request, pk: int):
    return _detail(request, selectors.checklist_get(request.user, pk))


@login_required
@require_POST
def item_deliver(request, pk: int):
    item = selectors.item_get(request.user, pk)
    require(request.user, "handover.deliver")
    form = DeliverForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            services.hand_over(request.user, item, **{k: v if v is not None else None
                                                      for k, v in form.cleaned_data.items()})
            messages.success(request, _("已移交，等待确认"))
            return redirect(item.checklist.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    checklist = selectors.checklist_get(request.user, item.checklist_id)
    return _detail(request, checklist, deliver_forms={item.pk: form}, status=422)


@login_required
@require_POST
def obstruction_create(request, pk: int):
    checklist = selectors.checklist_get(request.user, pk)
    if not can(request.user, "handover.manage"):
        raise PermissionDenied
    items = list(checklist.items.all())
    form = ObstructionForm(request.POST, items=items)
    if form.is_valid():
        item = next((i for i in items if i.pk == form.cleaned_data["item"]), None)
        try:
            services.record_obstruction(request.user, checklist, occurred_on=form.cleaned_data["occurred_on"],
                                        description=form.cleaned_data["description"], item=item)
            messages.success(request, _("已登记，违约金待甲方决定"))
            return redirect(checklist.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error, rename=lambda f: "item" if f == "item_id" else f)
    return _detail(request, checklist, obstruction_form=form, status=422)
