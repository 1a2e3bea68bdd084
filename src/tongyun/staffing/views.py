"""Staffing pages: staff register and post rules, on-site posts and changes, duty rosters, major-event
readiness, safety education and trainings. Reads through selectors (scoped), writes through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.permissions import can, require
from tongyun.core.scoping import scoped
from tongyun.incidents import selectors as incident_selectors
from tongyun.signoffs import selectors as signoff_selectors

from . import excel, selectors, services
from .forms import (
    AssignForm,
    CertificateForm,
    ChangeForm,
    GroupForm,
    ImportForm,
    PostForm,
    SafetyForm,
    StaffForm,
    TaskDoneForm,
    TaskForm,
    TrainingForm,
    VehicleForm,
)
from .models import PreEventTask

TZ = selectors.TZ


def _errors(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, "；".join(error.messages))
    else:
        messages.error(request, _("没有权限执行此操作"))


def _form_errors(request, form) -> None:
    messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''} {e}"
                                     for k, errors in form.errors.items() for e in errors))


def _day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


# ---------------------------------------------------------------- staff register


@login_required
def staff_list(request):
    user = request.user
    day = _day(request)
    context = {"people": selectors.staff_list(user), "day": day, "phones": selectors.sees_phones(user),
               "personal": selectors.sees_personal_data(user), "manage": can(user, "staffing.manage"),
               "import_form": ImportForm(), "staff_form": StaffForm()}
    if can(user, "staffing.view"):
        context["rules"] = selectors.compliance(day)
        context["expiring"] = selectors.expiring_certificates(timezone.localdate())
    return render(request, "staffing/staff_list.html", context)


@login_required
def staff_export(request):
    people = selectors.staff_list(request.user).select_related("user")
    return attachment(excel.export_staff(people, selectors.sees_personal_data(request.user)), "服务商人员.xlsx")


@login_required
@require_POST
def staff_create(request):
    require(request.user, "staffing.manage")
    form = StaffForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("staffing:staff_list")
    person = services.create_staff(request.user, **form.cleaned_data)
    return redirect("staffing:staff_detail", pk=person.pk)


@login_required
def staff_import(request):
    require(request.user, "staffing.manage")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            n = excel.import_staff(request.user, form.cleaned_data["workbook"].read())
        except WorkbookInvalid as invalid:
            problems = invalid.problems
        else:
            messages.success(request, _("已导入 %(n)s 名人员") % {"n": n})
            return redirect("staffing:staff_list")
    return render(request, "staffing/staff_import.html", {"form": form, "problems": problems},
                  status=400 if problems else 200)


@login_required
def staff_detail(request, pk: int):
    person = selectors.staff_get(request.user, pk)
    return render(request, "staffing/staff_detail.html", {
        "person": person, "phones": selectors.sees_phones(request.user),
        "personal": selectors.sees_personal_data(request.user), "manage": can(request.user, "staffing.manage"),
        "post_form": PostForm(), "certificate_form": CertificateForm(), "today": timezone.localdate(),
        "assignments": scoped(person.onsite_assignments.select_related("post", "post__system"), request.user)})


@login_required
@require_POST
def staff_post_add(request, pk: int):
    person = selectors.staff_get(request.user, pk)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            services.assign_post(request.user, person, form.cleaned_data["post"], start=form.cleaned_data["start"])
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("staffing:staff_detail", pk=person.pk)


@login_required
@require_POST
def staff_certificate_add(request, pk: int):
    person = selectors.staff_get(request.user, pk)
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_certificate(request.user, person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("staffing:staff_detail", pk=person.pk)


# ---------------------------------------------------------------- on-site posts and changes


@login_required
def post_list(request):
    posts = selectors.onsite_posts(request.user, _day(request))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        posts = [p for p in posts if p.system.unit_id == int(unit)]
    return render(request, "staffing/post_list.html", {
        "posts": posts, "day": _day(request), "required": sum(p.head_count for p in posts),
        "filled": sum(len(p.current) for p in posts), "vacant": sum(p.vacant for p in posts),
        "changes": selectors.change_list(request.user)[:50]})


def _post_with_current(user, pk: int):
    post = selectors.onsite_post_get(user, pk)
    today = timezone.localdate()
    post.current = [a for a in post.assignments.select_related("person") if a.start <= today and
                    (a.end is None or a.end >= today)]
    post.vacant = max(post.head_count - len(post.current), 0)
    return post


@login_required
def post_detail(request, pk: int):
    post = _post_with_current(request.user, pk)
    manage = can(request.user, "staffing.manage")
    return render(request, "staffing/post_detail.html", {
        "post": post, "history": post.assignments.select_related("person"), "manage": manage,
        "changes": post.changes.select_related("leaving", "replacement"),
        "assign_form": AssignForm() if manage else None, "change_form": ChangeForm(post) if manage else None})


@login_required
@require_POST
def post_assign(request, pk: int):
    post = _post_with_current(request.user, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assign_onsite(request.user, post, form.cleaned_data["person"], start=form.cleaned_data["start"])
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("staffing:post_detail", pk=post.pk)


@login_required
@require_POST
def change_create(request, pk: int):
    post = _post_with_current(request.user, pk)
    form = ChangeForm(post, request.POST)
    if form.is_valid():
        try:
            change = services.request_change(request.user, post, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("已书面通知用户单位，待用户单位同意"))
            return redirect("staffing:change_detail", pk=change.pk)
    else:
        _form_errors(request, form)
    return redirect("staffing:post_detail", pk=post.pk)


@login_required
def change_detail(request, pk: int):
    change = selectors.change_get(request.user, pk)
    return render(request, "staffing/change_detail.html", {
        "change": change, "signoff": signoff_selectors.signoff_for(change, services.CHANGE_FLOW)})


# ---------------------------------------------------------------- major events


@login_required
def event_list(request):
    require(request.user, "staffing.view")
    rows = []
    for period in incident_selectors.major_event_periods():
        readiness = services.readiness_for(period)
        rows.append({"period": period, "check": selectors.readiness_check(readiness)})
    return render(request, "staffing/event_list.html", {"rows": rows})


def _readiness(request, pk: int):
    require(request.user, "staffing.view")
    period = get_object_or_404(incident_selectors.major_event_periods(), pk=pk)
    return services.readiness_for(period)


@login_required
def event_detail(request, pk: int):
    readiness = _readiness(request, pk)
    edit = can(request.user, "staffing.readiness")
    return render(request, "staffing/event_detail.html", {
        "readiness": readiness, "period": readiness.period, "check": selectors.readiness_check(readiness),
        "groups": readiness.groups.prefetch_related("members"), "tasks": readiness.tasks.all(), "edit": edit,
        "group_form": GroupForm() if edit else None, "vehicle_form": VehicleForm() if edit else None,
        "task_form": TaskForm() if edit else None, "done_form": TaskDoneForm() if edit else None})


@login_required
@require_POST
def event_action(request, pk: int, action: str):
    readiness = _readiness(request, pk)
    forms = {"group": GroupForm, "vehicle": VehicleForm, "task": TaskForm, "done": TaskDoneForm}
    if action not in forms:
        return redirect("staffing:event_detail", pk=pk)
    form = forms[action](request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("staffing:event_detail", pk=pk)
    data = form.cleaned_data
    try:
        if action == "group":
            services.add_group(request.user, readiness, name=data["name"], members=list(data["members"]))
        elif action == "vehicle":
            services.set_vehicle(request.user, readiness, plate=data["plate"], driver=data["driver"])
        elif action == "task":
            services.add_task(request.user, readiness, description=data["description"])
        else:
            task = get_object_or_404(PreEventTask, pk=request.POST.get("task"), readiness=readiness)
            services.complete_task(request.user, task, **data)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return redirect("staffing:event_detail", pk=pk)


# ---------------------------------------------------------------- safety education and trainings


@login_required
def safety(request):
    require(request.user, "staffing.view")
    year = timezone.localdate().year
    return render(request, "staffing/safety.html", {
        "sessions": selectors.safety_sessions()[:100], "missing": selectors.months_without_safety_education(year),
        "form": SafetyForm() if can(request.user, "staffing.safety") else None})


@login_required
@require_POST
def safety_add(request):
    require(request.user, "staffing.safety")
    form = SafetyForm(request.POST, request.FILES)
    if form.is_valid():
        services.record_safety_session(request.user, **form.cleaned_data)
        messages.success(request, _("已记录安全教育"))
    else:
        _form_errors(request, form)
    return redirect("staffing:safety")


@login_required
def training_list(request):
    return render(request, "staffing/trainings.html", {
        "trainings": selectors.training_list(request.user), "today": timezone.localdate(),
        "form": TrainingForm() if can(request.user, "staffing.safety") else None})


@login_required
@require_POST
def training_record(request, pk: int):
    training = get_object_or_404(selectors.training_list(request.user), pk=pk)
    form = TrainingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.record_training(request.user, training, **form.cleaned_data)
        except PermissionDenied as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("staffing:trainings")
