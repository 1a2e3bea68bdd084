"""Pages of the report engine: the list, the overview (due, late, awaiting signature — per unit and for the
bureau), one report (its document, the drafter's actions, the sign-off panel) and its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog.models import System
from tongyun.core.downloads import DOCX, XLSX, attachment
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can
from tongyun.core.scoping import scoped

from . import documents, reminders, selectors, services, types
from .choices import EDITABLE_STATES, ReportState
from .forms import CreateForm, NarrativesForm

PDF = "application/pdf"


@login_required
def report_list(request):
    filters = {"state": request.GET.get("state") or None, "type_key": request.GET.get("type") or None,
               "late": request.GET.get("late") == "1"}
    rows = list(selectors.report_list(request.user, filters)[:300])
    return render(request, "reports/list.html", {
        "reports": rows, "states": ReportState.choices, "types": selectors.type_choices(), "filters": filters,
        "may_create": can(request.user, "reports.draft"), "now": timezone.now()})


@login_required
def overview(request):
    now = timezone.now()
    visible = selectors.report_list(request.user)
    late = [r for r in visible.filter(state__in=selectors.OPEN_STATES).filter(selectors.late_q(now))[:100]]
    awaiting = list(visible.filter(state=ReportState.SUBMITTED)[:100])
    return render(request, "reports/overview.html", {
        "rows": selectors.report_counts(request.user, now=now), "late": late, "awaiting": awaiting, "now": now})


@login_required
def create(request):
    if not can(request.user, "reports.draft"):
        raise PermissionDenied
    systems = scoped(System.objects.order_by("row_no"), request.user)
    form = CreateForm(request.POST or None, systems=systems)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create(request.user, data["type"], start=data["period_start"], end=data["period_end"],
                                     system_id=data["system"].pk if data["system"] else None)
        except ValidationError as error:
            add_service_errors(form, error, rename=lambda name: {"type": "type"}.get(name, name))
        else:
            return redirect(report)
    return render(request, "reports/create.html", {"form": form})


def _detail_context(request, report):
    report_type = types.get(report.type_key)
    signoff = services.signoff_of(report)
    editable = report.state in EDITABLE_STATES and can(request.user, "reports.draft")
    form = NarrativesForm(headings=[str(h) for h in report_type.narratives], initial_texts=report.narratives)
    return {"report": report, "type": report_type, "signoff": signoff, "editable": editable,
            "narratives_form": form, "may_correct": report.state == ReportState.SIGNED and can(request.user,
                                                                                                "reports.draft"),
            "show_panel": signoff is not None and report.state in (ReportState.SUBMITTED, ReportState.SIGNED),
            "document": documents.context(report, signoff), "late": report.is_late()}


@login_required
def detail(request, pk: int):
    report = selectors.report_get(request.user, pk)
    reminders.mark_read(request.user, report)
    return render(request, "reports/detail.html", _detail_context(request, report))


def _act(request, pk: int, action):
    report = selectors.report_get(request.user, pk)
    try:
        result = action(report)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("没有权限执行此操作"))
    else:
        messages.success(request, _("已保存"))
        if result is not None and result.pk != report.pk:
            return redirect(result)
    return redirect(report)


@login_required
@require_POST
def submit(request, pk: int):
    return _act(request, pk, lambda r: services.submit(request.user, r, comment=request.POST.get("comment", "")))


@login_required
@require_POST
def refresh(request, pk: int):
    return _act(request, pk, lambda r: services.refresh(request.user, r))


@login_required
@require_POST
def narratives(request, pk: int):
    def save(report):
        report_type = types.get(report.type_key)
        form = NarrativesForm(request.POST, headings=[str(h) for h in report_type.narratives])
        if not form.is_valid():
            raise ValidationError(_("内容过长"))
        return services.update(request.user, report, narratives=form.narratives())
    return _act(request, pk, save)


@login_required
@require_POST
def correct(request, pk: int):
    return _act(request, pk, lambda r: services.correct(request.user, r, reason=request.POST.get("reason", "")))


@login_required
def printable(request, pk: int):
    report = selectors.report_get(request.user, pk)
    return HttpResponse(documents.html(report, services.signoff_of(report)))


@login_required
def download(request, pk: int, fmt: str):
    report = selectors.report_get(request.user, pk)
    signoff = services.signoff_of(report)
    if fmt == "pdf":
        return attachment(documents.pdf(report, signoff), documents.filename(report, "pdf"), PDF)
    if fmt == "docx":
        return attachment(documents.docx(report, signoff), documents.filename(report, "docx"), DOCX)
    return attachment(documents.xlsx(report), documents.filename(report, "xlsx"), XLSX)
