"""The SLA compliance report (服务达标情况) and its workbook."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongyun.core.downloads import attachment
from tongyun.core.forms import add_service_errors
from tongyun.core.permissions import require as _require

from . import compliance
from .excel import export_compliance_workbook
from .forms import ComplianceForm
from .templatetags.incident_tags import countdown_parts

# ---------------------------------------------------------------- SLA compliance (服务达标情况)


def _duration(seconds: int | None) -> str:
    return countdown_parts(seconds) if seconds else "—"


def _compliance_arguments(request) -> tuple[ComplianceForm, dict | None]:
    """The bound filter form and the compliance arguments (month, group_by, params), None if invalid."""
    form = ComplianceForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        month = compliance.parse_month(form.cleaned_data["month"]) if form.cleaned_data["month"] \
            else compliance.current_month()
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None
    return form, {"month": month, "group_by": form.cleaned_data["group_by"], "params": form.filters()}


@login_required
def compliance_report(request):
    _require(request.user, "incidents.compliance")
    form, arguments = _compliance_arguments(request)
    if arguments is None:
        return render(request, "incidents/compliance.html", {"form": form, "table": None}, status=400)
    now = timezone.now()
    table = compliance.compliance_table(request.user, now=now, **arguments)
    for row in (*table["rows"], table["total"]):
        row["breach_total_text"] = _duration(row["breach_seconds_total"])
        row["breach_max_text"] = _duration(row["breach_seconds_max"])
        row["pending"] = row["response_pending"] + row["repair_pending"]
    breaches = list(compliance.breach_list(request.user, arguments["month"], arguments["params"], now=now)[:500])
    for incident in breaches:
        incident.response_breach_text = _duration(compliance.seconds_of(incident.response_breach))
        incident.repair_breach_text = _duration(compliance.seconds_of(incident.repair_breach))
    query = request.GET.copy()
    query["month"] = f"{arguments['month']:%Y-%m}"
    query.pop("group_by", None)
    query["breaches"] = "1"
    chart = {"labels": [row["group"] for row in table["rows"]],
             "values": [row["repair_met_pct"] for row in table["rows"]]}
    form.data = form.data.copy()
    form.data["month"] = f"{arguments['month']:%Y-%m}"
    return render(request, "incidents/compliance.html", {
        "form": form, "table": table, "group_label": compliance.GROUP_LABELS[arguments["group_by"]],
        "breaches": breaches, "export_query": query.urlencode(), "chart": chart,
        "table_filtered": bool({"unit", "system"} & set(arguments["params"])),
    })


@login_required
def compliance_export(request):
    """The month's compliance workbook: a sheet per grouping and the breach list, as on the page."""
    _require(request.user, "incidents.compliance")
    form, arguments = _compliance_arguments(request)
    if arguments is None:
        return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors), status=400)
    content = export_compliance_workbook(request.user, month=arguments["month"], params=arguments["params"],
                                         breaches=True)
    return attachment(content, f"sla-compliance-{arguments['month']:%Y-%m}.xlsx")
