from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .choices import SignOffState
from .forms import DecisionForm


def _back(request, signoff):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("signoffs:detail", pk=signoff.pk)


@login_required
def awaiting_list(request):
    return render(request, "signoffs/list.html", {"signoffs": selectors.awaiting(request.user), "awaiting": True})


@login_required
def signoff_list(request):
    filters = {"state": request.GET.get("state") or None}
    rows = selectors.signoff_list(request.user, filters)[:200]
    return render(request, "signoffs/list.html", {"signoffs": rows, "awaiting": False, "states": SignOffState.choices,
                                                  "state": filters["state"] or ""})


@login_required
def signoff_detail(request, pk: int):
    signoff = selectors.signoff_get(request.user, pk)
    subject = signoff.subject
    subject_url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
    return render(request, "signoffs/detail.html", {"signoff": signoff, "subject_url": subject_url})


@login_required
@require_POST
def decide(request, pk: int):
    signoff = selectors.signoff_get(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, signoff)
    try:
        services.decide(request.user, signoff, form.cleaned_data["decision"], comment=form.cleaned_data["comment"],
                        to_position=form.cleaned_data["to_position"])
    except (ValidationError, PermissionDenied) as error:
        text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or _("没有权限执行此操作"))
    else:
        messages.success(request, _("已签署：%(title)s") % {"title": signoff.title})
    return _back(request, signoff)


@login_required
@require_POST
def withdraw(request, pk: int):
    signoff = selectors.signoff_get(request.user, pk)
    try:
        services.withdraw(request.user, signoff, comment=request.POST.get("comment", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "; ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    return _back(request, signoff)
