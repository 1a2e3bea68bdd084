"""Security pages. Views parse input, call selectors (reads, scoped) and services (writes), and render.
Another unit's object is a 404 (the scoped lookup comes before any permission check)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can, require
from tongyun.signoffs import services as signoff_services

from . import duties, excel, inventory, obligations, selectors, services
from .choices import FindingStatus, MlpsStatus, OccurrenceStatus, Stage
from .forms import (
    AdvanceForm,
    CompleteForm,
    DutyForm,
    FindingForm,
    FixForm,
    ImportForm,
    ItemForm,
    PatchForm,
    RenewForm,
    SelectForm,
    VerifyForm,
    VulnerabilityForm,
)

PER_PAGE = 50


def _params(request) -> dict:
    return {k: v for k, v in request.GET.items() if v and k != "page"}


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


@login_required
def index(request):
    require(request.user, "security.view")
    now = timezone.now()
    findings = selectors.findings(request.user)
    context = {
        "progress": selectors.programme_progress(request.user),
        "open_findings": findings.exclude(status=FindingStatus.CLOSED).count(),
        "overdue_findings": findings.filter(status=FindingStatus.OPEN, due_at__lte=now).count(),
        "awaiting": findings.filter(status=FindingStatus.FIXED).count(),
        "reminded_items": selectors.expiring_items(request.user, {"reminded": "1"}).count(),
        "pending_duties": selectors.occurrences(request.user, {"pending": "1"}).filter(
            scheduled_for__lte=timezone.localdate()).count(),
    }
    return render(request, "security/index.html", context)


@login_required
def mlps_list(request):
    params = _params(request)
    return render(request, "security/mlps_list.html", {
        "page": _page(request, selectors.mlps_records(request.user, params)), "params": params,
        "statuses": MlpsStatus.choices})


# ---------------------------------------------------------------- programme


@login_required
def programme(request):
    params = _params(request)
    may_select = can(request.user, "security.select_assessments")
    return render(request, "security/programme.html", {
        "progress": selectors.programme_progress(request.user),
        "rows": selectors.assessments(request.user, params), "params": params, "stages": Stage.choices,
        "may_select": may_select,
        "form": SelectForm(systems=_selectable_systems(request.user)) if may_select else None})


def _selectable_systems(user):
    from tongyun.catalog.models import System

    return System.objects.filter(pk__in=selectors.selectable_records(user).values("system_id")).select_related(
        "unit").order_by("row_no")


@login_required
@require_POST
def programme_select(request):
    require(request.user, "security.select_assessments")
    form = SelectForm(request.POST, systems=_selectable_systems(request.user))
    if form.is_valid():
        try:
            services.select_for_assessment(request.user, form.cleaned_data["system"])
            messages.success(request, _("已列入测评计划"))
        except ValidationError as error:
            messages.error(request, "；".join(sum(error.message_dict.values(), [])))
    else:
        messages.error(request, _("请选择可列入计划的系统"))
    return redirect("security:programme")


@login_required
def assessment_detail(request, pk):
    assessment = selectors.assessment(request.user, pk)
    may_manage = can(request.user, "security.manage_assessments") and assessment.stage != Stage.DONE
    form = AdvanceForm(initial={"completed_on": timezone.localdate(), "assessor": assessment.assessor})
    if request.method == "POST":
        require(request.user, "security.manage_assessments")
        form = AdvanceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.advance_assessment(request.user, assessment, completed_on=data["completed_on"],
                                            note=data["note"], assessor=data["assessor"], report=data["report"],
                                            score=data["score"], conclusion=data["conclusion"])
                messages.success(request, _("已完成阶段"))
                return redirect("security:assessment_detail", pk=pk)
            except ValidationError as error:
                add_service_errors(form, error)
    return render(request, "security/assessment_detail.html", {
        "assessment": assessment, "steps": assessment.steps.select_related("recorded_by"), "form": form,
        "may_manage": may_manage, "findings": assessment.findings.all()})


@login_required
def assessment_report(request, pk):
    assessment = selectors.assessment(request.user, pk)
    if not assessment.report:
        raise Http404
    return FileResponse(assessment.report.open("rb"), as_attachment=True,
                        filename=assessment.report.name.rsplit("/", 1)[-1])


# ---------------------------------------------------------------- findings


@login_required
def finding_list(request):
    params = _params(request)
    return render(request, "security/finding_list.html", {
        "page": _page(request, selectors.findings(request.user, params)), "params": params, "now": timezone.now(),
        "statuses": FindingStatus.choices, "may_record": can(request.user, "security.record_findings")})


@login_required
def finding_create(request):
    require(request.user, "security.record_findings")
    form = FindingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.record_finding(
                request.user, data["system"], title=data["title"], severity=data["severity"], source=data["source"],
                description=data["description"], found_at=data["found_at"], owner=data["owner"],
                limit_value=data["limit_value"], limit_unit=data["limit_unit"])
            messages.success(request, _("已登记安全问题"))
            return redirect("security:finding_detail", pk=finding.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "security/form.html", {"form": form, "title": _("登记安全问题"), "multipart": False})


@login_required
def finding_detail(request, pk):
    finding = selectors.finding(request.user, pk)
    may_fix = finding.status == FindingStatus.OPEN and (
        finding.owner_id == request.user.pk or can(request.user, "security.fix_findings"))
    signoff = services.finding_signoff(finding)  # the fix's verification (officer → unit), see docs/security.md
    may_verify = finding.status == FindingStatus.FIXED and signoff is not None and signoff.is_open and \
        signoff_services.may_decide(request.user, signoff)
    return render(request, "security/finding_detail.html", {
        "finding": finding, "events": finding.events.select_related("by"), "signoff": signoff,
        "overdue": finding.is_overdue(timezone.now()),
        "fix_form": FixForm() if may_fix else None, "verify_form": VerifyForm() if may_verify else None})


@login_required
@require_POST
def finding_fix(request, pk):
    finding = selectors.finding(request.user, pk)
    form = FixForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.fix_finding(request.user, finding, description=form.cleaned_data["description"],
                                 evidence=form.cleaned_data["evidence"])
            messages.success(request, _("已记录整改，待安全管理员验证"))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    else:
        messages.error(request, _("请填写整改情况并上传整改证明"))
    return redirect("security:finding_detail", pk=pk)


@login_required
@require_POST
def finding_verify(request, pk):
    finding = selectors.finding(request.user, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.verify_finding(request.user, finding, accepted=form.cleaned_data["accepted"],
                                    note=form.cleaned_data["note"])
            messages.success(request, _("已记录验证结果"))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    return redirect("security:finding_detail", pk=pk)


@login_required
def finding_evidence(request, pk):
    finding = selectors.finding(request.user, pk)
    if not finding.fix_evidence:
        raise Http404
    return FileResponse(finding.fix_evidence.open("rb"), as_attachment=True,
                        filename=finding.fix_evidence.name.rsplit("/", 1)[-1])


@login_required
def finding_export(request):
    return attachment(excel.export_findings(request.user, _params(request)), "安全问题.xlsx")


def _import(request, importer, capability: str, title: str, back: str):
    require(request.user, capability)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            count = importer(request.user, form.cleaned_data["file"].read())
            messages.success(request, _("已导入 %(n)s 行") % {"n": count})
            return redirect(back)
        except WorkbookInvalid as error:
            problems = error.problems
    return render(request, "security/import.html", {"form": form, "title": title, "problems": problems})


@login_required
def finding_import(request):
    return _import(request, excel.import_findings, "security.record_findings", _("导入安全问题"),
                   "security:finding_list")


# ---------------------------------------------------------------- software, vulnerabilities, patches


@login_required
def software_list(request):
    params = _params(request)
    return render(request, "security/software_list.html", {
        "page": _page(request, selectors.software(request.user, params)), "params": params,
        "vulnerabilities": selectors.vulnerabilities(request.user, params)[:50],
        "patches": selectors.patches(request.user, params)[:50],
        "may_import": can(request.user, "security.inventory")})


@login_required
def software_export(request):
    return attachment(excel.export_inventory(request.user, _params(request)), "软件清单.xlsx")


@login_required
def software_import(request):
    return _import(request, excel.import_inventory, "security.inventory", _("导入软件清单"), "security:software_list")


def _inventory_form(request, form_class, record, title: str, done: str):
    """A vulnerability or patch recorded on a page; the service decides (same rules as the API)."""
    require(request.user, "security.inventory")
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        system = data.pop("system")
        try:
            record(request.user, system, **data)
            messages.success(request, done)
            return redirect("security:software_list")
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "security/form.html", {"form": form, "title": title, "multipart": False})


@login_required
def vulnerability_create(request):
    return _inventory_form(request, VulnerabilityForm, inventory.record_vulnerability, _("登记漏洞"),
                           _("已登记漏洞"))


@login_required
def patch_create(request):
    return _inventory_form(request, PatchForm, inventory.record_patch, _("登记补丁"), _("已登记补丁"))


# ---------------------------------------------------------------- expiring items


@login_required
def item_list(request):
    params = _params(request)
    return render(request, "security/item_list.html", {
        "page": _page(request, selectors.expiring_items(request.user, params)), "params": params,
        "today": timezone.localdate(), "may_edit": can(request.user, "security.obligations")})


@login_required
def item_export(request):
    return attachment(excel.export_items(request.user, _params(request)), "到期事项.xlsx")


@login_required
def item_import(request):
    return _import(request, excel.import_items, "security.obligations", _("导入到期事项"), "security:item_list")


@login_required
def item_create(request):
    require(request.user, "security.obligations")
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        system = data.pop("system")
        try:
            obligations.save_item(request.user, system, **data)
            messages.success(request, _("已登记到期事项"))
            return redirect("security:item_list")
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "security/form.html", {"form": form, "title": _("登记到期事项"), "multipart": False})


@login_required
@require_POST
def item_renew(request, pk):
    item = selectors.expiring_item(request.user, pk)
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            obligations.renew_item(request.user, item, **form.cleaned_data)
            messages.success(request, _("已记录续期/更换"))
        except ValidationError as error:
            messages.error(request, "；".join(sum(error.message_dict.values(), [])
                                              if hasattr(error, "error_dict") else error.messages))
    return redirect("security:item_list")


# ---------------------------------------------------------------- recurring duties


@login_required
def duty_list(request):
    params = _params(request)
    occurrences = selectors.occurrences(request.user, params).filter(
        scheduled_for__lte=timezone.localdate() + dt.timedelta(days=31))
    if params.get("pending"):
        occurrences = occurrences.filter(status=OccurrenceStatus.PLANNED)
    return render(request, "security/duty_list.html", {
        "duties": selectors.duties(request.user, params), "params": params,
        "occurrences": occurrences.order_by("due_on")[:100], "today": timezone.localdate(),
        "may_create": can(request.user, "security.obligations")})


@login_required
def duty_create(request):
    """A recurring duty recorded on a page; `duties.create_duty` decides (the rule, the unique code)."""
    require(request.user, "security.obligations")
    form = DutyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        system = data.pop("system")
        try:
            duty = duties.create_duty(request.user, system, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记周期事项"))
            return redirect("security:duty_detail", pk=duty.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "security/form.html", {"form": form, "title": _("登记周期事项"), "multipart": False},
                  status=status)


@login_required
def duty_detail(request, pk):
    from django.shortcuts import get_object_or_404

    duty = get_object_or_404(selectors.duties(request.user), pk=pk)
    return render(request, "security/duty_detail.html", {
        "duty": duty, "occurrences": duty.occurrences.select_related("done_by"), "today": timezone.localdate(),
        "form": CompleteForm(initial={"done_on": timezone.localdate()})
        if can(request.user, "security.obligations") else None})


@login_required
@require_POST
def occurrence_complete(request, pk):
    occurrence = selectors.occurrence(request.user, pk)
    if not can(request.user, "security.obligations"):
        raise PermissionDenied
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            duties.complete_occurrence(request.user, occurrence, **form.cleaned_data)
            messages.success(request, _("已记录完成"))
        except ValidationError as error:
            messages.error(request, "；".join(sum(error.message_dict.values(), [])
                                              if hasattr(error, "error_dict") else error.messages))
    else:
        messages.error(request, _("请填写完成日期和执行结果"))
    return redirect(reverse("security:duty_detail", args=[occurrence.duty_id]))
