import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import MISSED, MISSED_LABEL
from .models import InspectionPlan, InspectionTask
from .selectors import task_state


class TaskTable(tables.Table):
    # check boxes of the bulk assignment (the form around the table posts them as `tasks`)
    pick = tables.CheckBoxColumn(accessor="pk", attrs={"input": {"name": "tasks", "form": "bulk-assign"},
                                                       "th__input": {"aria-label": _("全选")}}, orderable=False)
    scheduled_for = tables.DateColumn(format="Y-m-d", verbose_name=_("计划日期"))
    due_date = tables.DateColumn(format="Y-m-d", verbose_name=_("截止日期"))
    system = tables.Column(accessor="system__name", order_by="system__name", verbose_name=_("系统"))
    unit = tables.Column(accessor="system__unit__name", order_by="system__unit__name", verbose_name=_("用户单位"))
    plan = tables.Column(accessor="plan__name", verbose_name=_("巡检计划"))
    assignee = tables.Column(default="—", verbose_name=_("巡检人"))
    state = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = InspectionTask
        fields = ("pick", "scheduled_for", "due_date", "system", "unit", "plan", "assignee", "state")
        attrs = {"class": "striped", "data-testid": "task-table"}
        empty_text = _("没有符合条件的巡检任务。巡检任务由巡检计划生成：项目经理在“巡检计划”中核对频次和巡检人；"
                       "清除筛选条件可查看全部任务。")

    def render_scheduled_for(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("inspections:task_detail", args=[record.pk]),
                           f"{value:%Y-%m-%d}")

    def render_state(self, record):
        state = task_state(record)
        label = MISSED_LABEL if state == MISSED else record.get_state_display()
        return format_html('<span class="badge task-{}">{}</span>', state, label)


class PlanTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"))
    system = tables.Column(accessor="system__name", order_by="system__name", verbose_name=_("系统"))
    unit = tables.Column(accessor="system__unit__name", order_by="system__unit__name", verbose_name=_("用户单位"))
    frequency = tables.Column()
    mode = tables.Column()
    tender_text = tables.Column(verbose_name=_("招标原文"), attrs={"td": {"class": "wrap"}})
    assignee = tables.Column(default="—")
    task_count = tables.Column(verbose_name=_("任务数"))
    status = tables.Column()

    class Meta:
        model = InspectionPlan
        fields = ("name", "system", "unit", "frequency", "mode", "tender_text", "assignee", "task_count", "status")
        attrs = {"class": "striped", "data-testid": "plan-table"}
        empty_text = _("还没有巡检计划。运行 tongyun bootstrap 按招标需求表生成各系统的巡检计划。")

    def render_name(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("inspections:plan_detail", args=[record.pk]), value)
