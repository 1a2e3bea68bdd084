import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Incident
from .templatetags.incident_tags import clock_display


class ClockColumn(tables.Column):
    """A due moment with its live countdown (countdown.js) while the clock runs."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("accessor", f"{kind}_due")
        kwargs.setdefault("default", "—")
        super().__init__(**kwargs)

    def render(self, record, value):
        cell = clock_display(selectors.clock_cell(record, self.kind))
        return render_to_string("incidents/_clock.html", {"c": cell, "badge": True})


class IncidentTable(tables.Table):
    number = tables.Column(verbose_name=_("工单号"), accessor="pk", order_by=("id",))
    title = tables.Column(verbose_name=_("故障摘要"))
    system = tables.Column(accessor="system__name", order_by="system__name", verbose_name=_("系统"))
    unit = tables.Column(accessor="system__unit__name", order_by="system__unit__name", verbose_name=_("用户单位"))
    severity = tables.Column()
    state = tables.Column()
    assignee = tables.Column(default="—")
    reported_at = tables.DateTimeColumn(format="Y-m-d H:i")
    response_due = ClockColumn("response", verbose_name=_("响应时限"))
    repair_due = ClockColumn("repair", verbose_name=_("修复时限"))

    class Meta:
        model = Incident
        fields = ("number", "title", "system", "unit", "severity", "state", "assignee", "reported_at",
                  "response_due", "repair_due")
        attrs = {"class": "striped", "data-testid": "incident-table"}
        # what to do first on an empty list (a fresh install, or filters that match nothing)
        empty_text = _("没有符合条件的工单。用户单位点击“报障”登记故障；调度可登记电话报障；"
                       "首次试用可运行 tongyun demo_month 载入一个月的演示数据。")

    def render_number(self, record):
        return format_html('<a href="{}">{}</a>', reverse("incidents:detail", args=[record.pk]), record.number)
