"""The SLA settings pages: the working calendar, business hours and major-event periods (重保期)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.core.downloads import attachment
from tongyun.core.excel import Problem, WorkbookInvalid, write_workbook
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import can

from . import calendar_io, selectors, services
from .forms import BusinessHoursForm, CalendarImportForm, CorrectionForm, MajorEventForm
from .models import MajorEventPeriod

# ---------------------------------------------------------------- SLA settings: working calendar, business hours


def _require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def _calendar_context(request, *, import_form=None, correction_form=None, hours_form=None, problems=None) -> dict:
    user = request.user
    context = selectors.calendar_overview()
    context.update({
        "may_edit": can(user, "incidents.calendar"),
        "business_hours": selectors.business_hours_list(user),
        "problems": problems,
    })
    if context["may_edit"]:
        context.update({
            "import_form": import_form or CalendarImportForm(initial={"year": context["next_year"]}),
            "correction_form": correction_form or CorrectionForm(),
            "hours_form": hours_form or BusinessHoursForm(user),
        })
    return context


@login_required
def calendar(request):
    _require(request.user, "incidents.view_settings")
    return render(request, "incidents/calendar.html", _calendar_context(request))


@login_required
@require_POST
def calendar_import(request):
    """Declare (or replace) a year from a file. Any problem in the file: the problems, nothing changed, 422."""
    _require(request.user, "incidents.calendar")
    form = CalendarImportForm(request.POST, request.FILES)
    problems = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = upload.read()
            days = calendar_io.read_ics(content) if form.is_ics() else calendar_io.read_workbook(content)
            if not days:
                raise WorkbookInvalid([Problem(upload.name, None, None, _("文件中没有任何日期"))])
            year = form.cleaned_data["year"]
            services.declare_calendar_year(request.user, year, days, form.cleaned_data["source"] or upload.name)
        except WorkbookInvalid as invalid:
            problems = invalid.problems
        except ValidationError as error:  # days outside the year, or a day listed as both 休 and 班
            problems = [Problem(upload.name, None, day, "；".join(reasons))
                        for day, reasons in error.message_dict.items()]
        else:
            messages.success(request, _("已录入 %(year)s 年的放假安排（%(n)s 天）") % {"year": year, "n": len(days)})
            return redirect("incidents:calendar")
    return render(request, "incidents/calendar.html",
                  _calendar_context(request, import_form=form, problems=problems), status=422)


@login_required
@require_POST
def calendar_correction(request):
    _require(request.user, "incidents.calendar")
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correct_calendar_day(request.user, form.cleaned_data["date"], form.is_working(),
                                          form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已更正 %(day)s") % {"day": form.cleaned_data["date"].isoformat()})
            return redirect("incidents:calendar")
    return render(request, "incidents/calendar.html", _calendar_context(request, correction_form=form), status=422)


@login_required
@require_POST
def calendar_correction_remove(request):
    _require(request.user, "incidents.calendar")
    try:
        day = parse_date(request.POST.get("date", ""))
    except ValueError:
        day = None
    if day is None:
        messages.error(request, _("日期格式应为 2026-01-31"))
        return redirect("incidents:calendar")
    services.remove_calendar_correction(request.user, day)
    messages.success(request, _("已撤销 %(day)s 的更正") % {"day": day.isoformat()})
    return redirect("incidents:calendar")


@login_required
def calendar_template(request):
    """An empty workbook with the sheet 日历 and its headers, to fill in and import."""
    _require(request.user, "incidents.view_settings")
    return attachment(write_workbook([(calendar_io.CALENDAR_SHEET, [])]), "tongyun-calendar-template.xlsx")


@login_required
@require_POST
def business_hours(request):
    _require(request.user, "incidents.calendar")
    form = BusinessHoursForm(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_business_hours(request.user, data["system"], data["start"], data["end"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if data["start"] is None:
                messages.success(request, _("%(system)s 已恢复默认工作时段") % {"system": data["system"].name})
            else:
                messages.success(request, _("%(system)s 的工作时段：%(start)s–%(end)s") % {
                    "system": data["system"].name, "start": f"{data['start']:%H:%M}", "end": f"{data['end']:%H:%M}"})
            return redirect("incidents:calendar")
    return render(request, "incidents/calendar.html", _calendar_context(request, hours_form=form), status=422)


# ---------------------------------------------------------------- SLA settings: major-event periods (重保期)


@login_required
def major_event_list(request):
    _require(request.user, "incidents.view_settings")
    return render(request, "incidents/major_events.html", {
        "periods": selectors.major_event_periods(), "may_edit": can(request.user, "incidents.major_events")})


@login_required
def major_event_edit(request, pk=None):
    _require(request.user, "incidents.major_events")
    period = get_object_or_404(selectors.major_event_periods(), pk=pk) if pk else MajorEventPeriod()
    status = 200
    if request.method == "POST":
        form = MajorEventForm(request.user, request.POST, instance=period)
        if form.is_valid():
            try:
                services.save_major_event_period(request.user, form.instance, form.chosen_systems())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("重保期“%(name)s”已保存，未完成工单的时限已重算")
                                 % {"name": form.instance.name})
                return redirect("incidents:major_events")
        status = 422
    else:
        form = MajorEventForm(request.user, instance=period)
    return render(request, "incidents/major_event_form.html", {"form": form, "period": period}, status=status)


@login_required
def major_event_delete(request, pk):
    _require(request.user, "incidents.major_events")
    period = get_object_or_404(selectors.major_event_periods(), pk=pk)
    if request.method == "POST":
        name = period.name
        services.delete_major_event_period(request.user, period)
        messages.success(request, _("重保期“%(name)s”已删除，未完成工单的时限已重算") % {"name": name})
        return redirect("incidents:major_events")
    return render(request, "incidents/major_event_delete.html", {"period": period})
