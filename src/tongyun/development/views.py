"""Pages of 开发工作: the requests, one request with its reply, approval, delivery and acceptance, the caps."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.models import System
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped
from tongyun.signoffs.selectors import signoff_for

from . import selectors, services
from .choices import RequestState
from .forms import DeliverForm, ReplyForm, RequestForm


@login_required
def request_list(request):
    require(request.user, "development.view")
    params = {k: request.GET.get(k) for k in ("system", "unit", "state") if request.GET.get(k)}
    return render(request, "development/list.html", {
        "rows": selectors.request_list(request.user, params)[:500], "states": RequestState.choices,
        "state": params.get("state", ""), "may_request": can(request.user, "development.request")})


@login_required
def request_create(request):
    require(request.user, "development.request")
    form = RequestForm(request.POST or None, initial={"system": request.GET.get("system")})
    form.fields["system"].queryset = scoped(System.objects.all(), request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.submit_request(request.user, system_id=data["system"].pk, kind=data["kind"],
                                          title=data["title"], description=data["description"])
        messages.success(request, _("需求已提交，答复期限 %(due)s") %
                         {"due": localtime(created.reply_due).strftime("%Y-%m-%d %H:%M")})
        return redirect("development:detail", pk=created.pk)
    return render(request, "development/create.html", {"form": form})


@login_required
def request_detail(request, pk: int, reply_form=None, deliver_form=None):
    item = selectors.request_get(request.user, pk)
    may_reply = can(request.user, "development.reply")
    return render(request, "development/detail.html", {
        "item": item, "signoff": signoff_for(item),
        "reply_form": reply_form or ReplyForm(), "deliver_form": deliver_form or DeliverForm(),
        "may_reply": may_reply and item.state == RequestState.REQUESTED,
        "may_deliver": may_reply and item.state == RequestState.APPROVED,
        "may_accept": request.user.role == "unit_admin" and item.state == RequestState.DELIVERED,
        "cap": selectors.cap_check_for(item, item.estimate_person_months or 0) if item.estimate_person_months
        else None})


@login_required
@require_POST
def request_reply(request, pk: int):
    item = selectors.request_get(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reply(request.user, item, estimate=data["estimate"], text=data["text"],
                           separate_agreement=data["separate_agreement"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已答复，等待用户单位审批"))
            return redirect("development:detail", pk=pk)
    return request_detail(request, pk, reply_form=form)


@login_required
@require_POST
def request_deliver(request, pk: int):
    item = selectors.request_get(request.user, pk)
    form = DeliverForm(request.POST)
    if form.is_valid():
        try:
            services.deliver(request.user, item, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("development:detail", pk=pk)
    return request_detail(request, pk, deliver_form=form)


@login_required
@require_POST
def request_accept(request, pk: int):
    item = selectors.request_get(request.user, pk)
    try:
        services.accept(request.user, item)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return redirect("development:detail", pk=pk)


@login_required
def caps(request):
    require(request.user, "development.view")
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else dt.date.today().year
    return render(request, "development/caps.html", {"rows": selectors.cap_usage(request.user, year), "year": year})
